/**
 * Triple-barrier labels (AFML ch. 3, snippets 3.2–3.5). For an event at bar i with volatility σ_i (a rolling
 * σ of returns, e.g. EWMA), the horizontal barriers sit at `profitTake`·σ_i above and `stopLoss`·σ_i below in
 * log-return space, and the vertical barrier `maxHold` bars later. The label is the first barrier touched
 * (on closes), `t1` its bar. With a `side` (a primary model's +1/−1 call) returns are signed by the side and
 * the label becomes a meta-label: 1 when the side's bet was right (profit-take or a positive vertical
 * return), 0 otherwise.
 *
 * Labels use the future by design; `t1` records how far, so purged cross-validation can drop overlaps.
 * An event whose window runs off the end of the data before any barrier is hit gets label NaN and t1 NaN.
 */
import { requireParam } from '../../core/index.ts'
import { intParam, numParam, sameLength } from '../common/params.ts'

/** Which barrier ended the label. */
export const BARRIER = { stopLoss: -1, vertical: 0, profitTake: 1 } as const

/** Options of {@link tripleBarrier}. */
export interface TripleBarrierOptions {
  /** Multiple of σ for the profit-take barrier; 0 disables it. Default 1. */
  readonly profitTake?: number
  /** Multiple of σ for the stop-loss barrier; 0 disables it. Default 1. */
  readonly stopLoss?: number
  /** Vertical barrier: bars after the event. */
  readonly maxHold: number
  /** Smallest σ for an event to be labelled (AFML's minRet). Default 0. */
  readonly minVol?: number
  /** Label at the vertical barrier: sign of the return (default) or 0. */
  readonly verticalLabel?: 'sign' | 'zero'
}

/** Labels of every event, aligned with the `events` given. */
export interface TripleBarrierLabels {
  /** Event bar indices. */
  readonly events: Int32Array
  /** −1/0/+1 (or 0/1 meta-labels with a side); NaN when unresolved or σ < minVol. */
  readonly label: Float64Array
  /** Bar index of the first touch (NaN when unresolved). Always ≥ the event bar. */
  readonly t1: Float64Array
  /** Log return from the event to t1 (signed by side when given). */
  readonly ret: Float64Array
  /** Which barrier was touched: {@link BARRIER}. NaN when unresolved. */
  readonly barrier: Float64Array
}

/**
 * Triple-barrier labels for events at `events` (bar indices; default every bar) over `close`, with barrier
 * widths from `vol` (σ of log returns at the event bar). `side` (+1/−1 per bar) turns them into meta-labels.
 */
export function tripleBarrier(
  close: Float64Array,
  vol: Float64Array,
  opts: TripleBarrierOptions,
  events?: ArrayLike<number>,
  side?: Float64Array,
): TripleBarrierLabels {
  const n = sameLength('tripleBarrier(close, vol)', close, vol)
  if (side) sameLength('tripleBarrier(close, side)', close, side)
  const pt = numParam('tripleBarrier(profitTake)', opts.profitTake ?? 1, 0)
  const sl = numParam('tripleBarrier(stopLoss)', opts.stopLoss ?? 1, 0)
  const h = intParam('tripleBarrier(maxHold)', opts.maxHold, 1)
  const minVol = numParam('tripleBarrier(minVol)', opts.minVol ?? 0, 0)
  const ev = events ? Int32Array.from(events) : Int32Array.from({ length: n }, (_, i) => i)
  const m = ev.length
  const label = new Float64Array(m).fill(NaN)
  const t1 = new Float64Array(m).fill(NaN)
  const ret = new Float64Array(m).fill(NaN)
  const barrier = new Float64Array(m).fill(NaN)
  for (let e = 0; e < m; e++) {
    const i = ev[e]!
    requireParam(Number.isInteger(i) && i >= 0 && i < n, `tripleBarrier(events[${e}])`, `a bar index < ${n}`, i)
    const s = vol[i]!
    const sd = side ? side[i]! : 1
    if (!(s >= minVol) || !Number.isFinite(s) || !(sd === 1 || sd === -1)) continue
    const up = pt > 0 ? pt * s : Infinity
    const dn = sl > 0 ? -sl * s : -Infinity
    const c0 = close[i]!
    const end = i + h
    for (let j = i + 1; j <= Math.min(end, n - 1); j++) {
      const r = Math.log(close[j]! / c0) * sd
      if (r >= up || r <= dn || j === end) {
        const b = r >= up ? 1 : r <= dn ? -1 : 0
        t1[e] = j
        ret[e] = r
        barrier[e] = b
        if (side) label[e] = r > 0 && b !== -1 ? 1 : 0
        else label[e] = b !== 0 ? b : opts.verticalLabel === 'zero' ? 0 : Math.sign(r)
        break
      }
    }
  }
  return { events: ev, label, t1, ret, barrier }
}

/** Options of {@link fixedHorizonLabels}. */
export interface FixedHorizonOptions {
  readonly horizon: number
  /** |return| at or below this is labelled 0. Default 0. */
  readonly threshold?: number
}

/**
 * Fixed-horizon labels: r = ln(C_{t+h}/C_t), label = sign(r) when |r| > threshold, else 0; t1 = t + h.
 * The last h bars are unresolved: label, ret and t1 are NaN.
 */
export function fixedHorizonLabels(
  close: Float64Array,
  opts: FixedHorizonOptions,
): { label: Float64Array; ret: Float64Array; t1: Float64Array } {
  const h = intParam('fixedHorizonLabels(horizon)', opts.horizon, 1)
  const thr = numParam('fixedHorizonLabels(threshold)', opts.threshold ?? 0, 0)
  const n = close.length
  const label = new Float64Array(n).fill(NaN)
  const ret = new Float64Array(n).fill(NaN)
  const t1 = new Float64Array(n).fill(NaN)
  for (let t = 0; t + h < n; t++) {
    const r = Math.log(close[t + h]! / close[t]!)
    ret[t] = r
    t1[t] = t + h
    label[t] = Math.abs(r) > thr ? Math.sign(r) : Number.isNaN(r) ? NaN : 0
  }
  return { label, ret, t1 }
}
