/**
 * Robust location and scale (median and MAD) for outlier scores that one bad tick cannot move. Large inputs
 * are sampled with a fixed stride, so the cost stays O(n) and the result deterministic.
 */

/** Median of `values` (NaN entries skipped); NaN when empty. Sorts a copy of at most `maxSample` values. */
export function median(values: ArrayLike<number>, maxSample = 100_000): number {
  const s = sample(values, maxSample)
  if (s.length === 0) return NaN
  s.sort()
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Robust scale: 1.4826 × MAD about the median; when the MAD is 0, 1.2533 × the mean absolute deviation. */
export function robustScale(values: ArrayLike<number>, center: number, maxSample = 100_000): number {
  const s = sample(values, maxSample)
  if (s.length === 0) return NaN
  let sumAbs = 0
  for (let i = 0; i < s.length; i++) {
    s[i] = Math.abs(s[i]! - center)
    sumAbs += s[i]!
  }
  s.sort()
  const m = s.length >> 1
  const mad = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
  if (mad > 0) return 1.4826 * mad
  return (1.2533 * sumAbs) / s.length
}

function sample(values: ArrayLike<number>, maxSample: number): Float64Array {
  const n = values.length
  const stride = Math.max(1, Math.ceil(n / maxSample))
  const out = new Float64Array(Math.ceil(n / stride))
  let k = 0
  for (let i = 0; i < n; i += stride) {
    const v = values[i]!
    if (!Number.isNaN(v)) out[k++] = v
  }
  return out.subarray(0, k)
}
