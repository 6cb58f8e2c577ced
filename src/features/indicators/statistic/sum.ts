/** Rolling sum (TA-Lib SUM). */
import { ExactSum, Ring } from '../../../core/index.ts'
import type { StreamingIndicator } from '../types.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * Sum of the last `period` values, TA-Lib's running sum (add, emit, subtract) held exactly, so each output is the
 * correctly rounded sum of its window (Python's `math.fsum`) however long the series. Lookback period − 1.
 */
export function sum(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  return rollingTotal('sum', values, period, 1, out)
}

/**
 * The running sum shared by SUM (`divisor` 1) and SMA (`divisor` = period): add the newest, emit total / divisor,
 * subtract the oldest. The total is an {@link ExactSum}, so no rounding accumulates over the series: every output
 * is fsum(window) / divisor, and two windows with equal means give equal outputs (a moving-average tie stays a
 * tie). Dividing by 1 is exact, so SUM's output is the correctly rounded total. A NaN or infinity poisons the
 * total from then on, as TA-Lib's running sum does.
 */
export function rollingTotal(
  name: string,
  values: Float64Array,
  period: number,
  divisor: number,
  out?: Float64Array,
): Float64Array {
  intParam(name, 'timeperiod', period, 1)
  const n = values.length
  const o = outArray(name, n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  // The pair (s, c) of ExactSum inlined over locals (the hot path); from the first bar where it cannot stay exact,
  // the rest runs on an ExactSum object, re-summed from that bar's window.
  let from = lb
  let s = 0
  let c = 0
  fast: {
    for (let i = 0; i < lb; i++) {
      const x = values[i]!
      const t = s + x
      const bp = t - s
      const e = s - (t - bp) + (x - bp)
      const c2 = c + e
      const cp = c2 - c
      if (c - (c2 - cp) + (e - cp) !== 0) break fast
      s = t
      c = c2
    }
    for (let i = lb; i < n; i++) {
      let x = values[i]!
      let t = s + x
      let bp = t - s
      let e = s - (t - bp) + (x - bp)
      let c2 = c + e
      let cp = c2 - c
      if (c - (c2 - cp) + (e - cp) !== 0) {
        from = i
        break fast
      }
      // the output: the exact t + c2 rounded once
      o[i] = (t + c2) / divisor
      s = t
      c = c2
      x = -values[i - lb]!
      t = s + x
      bp = t - s
      e = s - (t - bp) + (x - bp)
      c2 = c + e
      cp = c2 - c
      if (c - (c2 - cp) + (e - cp) !== 0) {
        from = i + 1
        break fast
      }
      s = t
      c = c2
    }
    return o
  }
  const total = new ExactSum()
  for (let i = from - lb; i < from; i++) total.add(values[i]!)
  for (let i = from, t = from - lb; i < n; i++, t++) {
    total.add(values[i]!)
    o[i] = total.value() / divisor
    total.add(-values[t]!)
  }
  return o
}

/** Streaming twin of {@link rollingTotal}: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export class RollingTotal implements StreamingIndicator {
  private readonly win: Ring
  /** Exact sum of the window (the last period − 1 inputs), and its copy from before the last update. */
  private readonly partial = new ExactSum()
  private readonly uPartial = new ExactSum()
  private last: number | undefined
  private uLast: number | undefined
  private count = 0

  constructor(
    readonly period: number,
    private readonly divisor: number,
    name: string,
  ) {
    intParam(name, 'timeperiod', period, 1)
    this.win = new Ring(period - 1)
  }

  update(x: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.partial.copyFrom(this.uPartial)
      this.last = this.uLast
      if (this.period > 1) this.win.undo()
    }
    this.uPartial.copyFrom(this.partial)
    this.uLast = this.last
    this.count++
    if (this.period === 1) return (this.last = x)
    const full = this.win.length === this.period - 1
    const old = this.win.push(x)
    this.partial.add(x)
    if (full) {
      this.last = this.partial.value() / this.divisor
      this.partial.add(-old)
    }
    return this.last
  }

  get isStable(): boolean {
    return this.count >= this.period
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.win.clear()
    this.partial.clear()
    this.last = undefined
    this.count = 0
  }
}

/** Streaming twin of {@link sum}. */
export class Sum extends RollingTotal {
  constructor(period: number) {
    super(period, 1, 'sum')
  }
}

/** TA-Lib SUM. */
export const sumDef = defineIndicator({
  name: 'sum',
  description: 'Rolling sum',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [sum(x, p)],
  stream: ([p]) => new Sum(p),
  testParams: [[5], [2]],
})
