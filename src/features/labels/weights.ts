/**
 * Sample weights for overlapping labels (AFML ch. 4). A label spans bars [t0, t1] (inclusive, as AFML's
 * `t1.loc[tIn:tOut]`). Concurrency c_t counts the labels spanning bar t (snippet 4.1); a label's average
 * uniqueness is the mean of 1/c_t over its span (snippet 4.2); its return-attribution weight is
 * |Σ_{t∈[t0,t1]} r_t / c_t| with r_t = ln(C_t/C_{t−1}), scaled so the weights sum to the number of labels
 * (snippet 4.10).
 */
import { requireParam } from '../../core/index.ts'
import { sameLength } from '../common/params.ts'

/** Number of labels spanning each bar, for labels [t0[i], t1[i]]; NaN t1 labels are skipped. */
export function concurrency(n: number, t0: ArrayLike<number>, t1: ArrayLike<number>): Float64Array {
  sameLength('concurrency(t0, t1)', t0, t1)
  const diff = new Float64Array(n + 1)
  for (let i = 0; i < t0.length; i++) {
    const a = t0[i]!
    const b = t1[i]!
    if (Number.isNaN(b)) continue
    requireParam(
      Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= a && b < n,
      `concurrency(label ${i})`,
      `0 <= t0 <= t1 < ${n}`,
      [a, b],
    )
    diff[a]++
    diff[b + 1]--
  }
  const c = new Float64Array(n)
  let run = 0
  for (let t = 0; t < n; t++) c[t] = run += diff[t]!
  return c
}

/** Average uniqueness of each label (NaN for unresolved labels). */
export function averageUniqueness(n: number, t0: ArrayLike<number>, t1: ArrayLike<number>): Float64Array {
  const c = concurrency(n, t0, t1)
  const out = new Float64Array(t0.length)
  for (let i = 0; i < t0.length; i++) {
    const a = t0[i]!
    const b = t1[i]!
    if (Number.isNaN(b)) {
      out[i] = NaN
      continue
    }
    let s = 0
    for (let t = a; t <= b; t++) s += 1 / c[t]!
    out[i] = s / (b - a + 1)
  }
  return out
}

/** Return-attribution weights (normalised to sum to the number of resolved labels; NaN for unresolved). */
export function returnAttributionWeights(
  close: Float64Array,
  t0: ArrayLike<number>,
  t1: ArrayLike<number>,
): Float64Array {
  const n = close.length
  const c = concurrency(n, t0, t1)
  const out = new Float64Array(t0.length)
  let sum = 0
  let count = 0
  for (let i = 0; i < t0.length; i++) {
    const a = t0[i]!
    const b = t1[i]!
    if (Number.isNaN(b)) {
      out[i] = NaN
      continue
    }
    let s = 0
    for (let t = Math.max(1, a); t <= b; t++) s += Math.log(close[t]! / close[t - 1]!) / c[t]!
    out[i] = Math.abs(s)
    sum += out[i]!
    count++
  }
  if (sum > 0) for (let i = 0; i < out.length; i++) if (!Number.isNaN(out[i]!)) out[i] = (out[i]! * count) / sum
  return out
}
