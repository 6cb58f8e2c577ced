/**
 * The hikkake patterns (TA-Lib CDLHIKKAKE, CDLHIKKAKEMOD): an inside bar, then a false breakout from it (±100), and
 * within three bars a close back beyond the inside bar's other side confirms the trap (±200). The pending pattern is
 * the rule's memory: `mem[0]` the bar number of the breakout, `mem[1]` its result; as in TA-Lib the rule already
 * runs on the three bars before the first output, for that memory.
 */
import type { CandlePattern, CandleState } from './candle.ts'

/** The breakout test shared by both: `setup` is the pattern's own condition on the bars before the breakout. */
function hikkake(c: CandleState, setup: (down: boolean) => boolean): number {
  const i = c.bar
  const inside = c.h(1) < c.h(2) && c.l(1) > c.l(2)
  if (
    inside &&
    ((c.h(0) < c.h(1) && c.l(0) < c.l(1) && setup(true)) || (c.h(0) > c.h(1) && c.l(0) > c.l(1) && setup(false)))
  ) {
    c.mem[1] = 100 * (c.h(0) < c.h(1) ? 1 : -1)
    c.mem[0] = i
    return c.mem[1]
  }
  const idx = c.mem[0]!
  const result = c.mem[1]!
  // the bar before the breakout, k bars back
  const k = i - (idx - 1)
  if (i <= idx + 3 && ((result > 0 && c.c(0) > c.h(k)) || (result < 0 && c.c(0) < c.l(k)))) {
    c.mem[0] = 0
    return result + 100 * (result > 0 ? 1 : -1)
  }
  return 0
}

/** CDLHIKKAKE: an inside bar, a breakout from it (±100), and its failure within three bars (±200). */
export const cdlHikkake: CandlePattern = {
  name: 'cdlhikkake',
  description: 'Hikkake Pattern',
  lookback: 5,
  averages: [],
  memory: 2,
  warmup: 3,
  detect: (c) => hikkake(c, () => true),
}

/**
 * CDLHIKKAKEMOD: the modified hikkake: two inside bars in a row, the second closing near its low (before a breakout
 * down) or its high (before a breakout up).
 */
export const cdlHikkakeMod: CandlePattern = {
  name: 'cdlhikkakemod',
  description: 'Modified Hikkake Pattern',
  lookback: 10,
  averages: [['near', 2]],
  memory: 2,
  warmup: 3,
  detect: (c) =>
    hikkake(
      c,
      (down) =>
        c.h(2) < c.h(3) && c.l(2) > c.l(3) && (down ? c.c(2) <= c.l(2) + c.avg(0) : c.c(2) >= c.h(2) - c.avg(0)),
    ),
}
