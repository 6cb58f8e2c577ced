/**
 * Layer-1 scanner: momentum shift. Two kinds, both causal (the kernels use bars 0..i for bar i):
 * - `ema`: the short-minus-long momentum line EMA(fast) − EMA(slow) of the closes changes sign at bar i. Score:
 *   the line's one-bar change in units of the standard deviation of one-bar close changes over the last `slow`
 *   bars, squashed to [0, 1).
 * - `rsi`: RSI(period) crosses `level` (default 50) at bar i. Score: how far past the level it closed, over the
 *   distance to the nearest bound (0 or 100), squashed.
 * The alert is stamped with bar i's close time; `details.direction` is `up` (turned bullish) or `down`.
 */
import { ema, rsi } from '../../features/index.ts'
import { KestrelError } from '../../core/index.ts'
import { requireInt, squash, type BarScanner, type ScannerAlert } from './types.ts'

/** Options of {@link momentumShiftScanner}. */
export interface MomentumShiftOptions {
  /** `ema` (sign change of the fast-minus-slow EMA line) or `rsi` (RSI crossing `level`). Default ema. */
  readonly kind?: 'ema' | 'rsi'
  /** ema: fast period. Default 12. */
  readonly fast?: number
  /** ema: slow period. Default 26. */
  readonly slow?: number
  /** rsi: period. Default 14. */
  readonly period?: number
  /** rsi: the level crossed. Default 50. */
  readonly level?: number
  /** Scanner name in the alerts. Default `momentum-shift`. */
  readonly name?: string
}

/** The momentum-shift scanner (see the module comment). */
export function momentumShiftScanner(opts: MomentumShiftOptions = {}): BarScanner {
  const kind = opts.kind ?? 'ema'
  const fast = opts.fast ?? 12
  const slow = opts.slow ?? 26
  const period = opts.period ?? 14
  const level = opts.level ?? 50
  const name = opts.name ?? 'momentum-shift'
  requireInt(fast, 'momentumShift.fast', 1)
  requireInt(slow, 'momentumShift.slow', 2)
  requireInt(period, 'momentumShift.period', 2)
  if (fast >= slow)
    throw new KestrelError('PARAM_INVALID', `momentumShift: fast (${fast}) must be below slow (${slow})`, {
      fast,
      slow,
    })
  if (!(level > 0 && level < 100))
    throw new KestrelError('PARAM_INVALID', `momentumShift.level: expected a number in (0, 100), got ${level}`)
  return {
    name,
    scan(s) {
      const out: ScannerAlert[] = []
      const c = s.close
      const push = (i: number, up: boolean, score: number, details: Record<string, number | string>) =>
        out.push({
          time: s.closeTime[i]!,
          instrumentId: s.instrumentId,
          scanner: name,
          score,
          details: { kind, direction: up ? 'up' : 'down', ...details },
        })
      if (kind === 'rsi') {
        const r = rsi(c, period)
        for (let i = 1; i < c.length; i++) {
          const a = r[i - 1]!
          const b = r[i]!
          if (!(Number.isFinite(a) && Number.isFinite(b))) continue
          const up = a <= level && b > level
          const down = a >= level && b < level
          if (up || down) push(i, up, squash(up ? (b - level) / (100 - level) : (level - b) / level), { rsi: b, level })
        }
        return out
      }
      const f = ema(c, fast)
      const sl = ema(c, slow)
      let prevLine = NaN
      for (let i = 0; i < c.length; i++) {
        const line = f[i]! - sl[i]!
        if (Number.isFinite(prevLine) && Number.isFinite(line) && line !== 0 && prevLine !== 0) {
          if (Math.sign(line) !== Math.sign(prevLine) && i >= slow) {
            let sum = 0
            let sumSq = 0
            for (let j = i - slow + 1; j <= i; j++) {
              const d = c[j]! - c[j - 1]!
              sum += d
              sumSq += d * d
            }
            const m = sum / slow
            const sd = Math.sqrt(Math.max(0, (sumSq - slow * m * m) / (slow - 1)))
            const change = Math.abs(line - prevLine)
            push(i, line > 0, sd > 0 ? squash(change / sd) : 1, { line, previousLine: prevLine })
          }
        }
        if (Number.isFinite(line) && line !== 0) prevLine = line
      }
      return out
    },
  }
}
