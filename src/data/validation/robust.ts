/**
 * Robust location and scale (median and MAD) for outlier scores that one bad tick cannot move. Large inputs
 * are sampled with a fixed stride, so the cost stays O(n) and the result deterministic. The middle values are
 * found by selection (O(n)), not by sorting: the same values a sort would put in the middle.
 */

/** Median of `values` (NaN entries skipped); NaN when empty. Looks at most `maxSample` values. */
export function median(values: ArrayLike<number>, maxSample = 100_000): number {
  return middle(sample(values, maxSample))
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
  const mad = middle(s)
  if (mad > 0) return 1.4826 * mad
  return (1.2533 * sumAbs) / s.length
}

/** The stride {@link median} and {@link robustScale} sample `n` values with: every `sampleStride(n)`-th from 0. */
export function sampleStride(n: number, maxSample = 100_000): number {
  return Math.max(1, Math.ceil(n / maxSample))
}

function sample(values: ArrayLike<number>, maxSample: number): Float64Array {
  const n = values.length
  const stride = sampleStride(n, maxSample)
  const out = new Float64Array(Math.ceil(n / stride))
  let k = 0
  for (let i = 0; i < n; i += stride) {
    const v = values[i]!
    if (!Number.isNaN(v)) out[k++] = v
  }
  return out.subarray(0, k)
}

/** The median of `s` (no NaN; reordered in place): the middle value, or the mean of the two middle ones. */
function middle(s: Float64Array): number {
  const n = s.length
  if (n === 0) return NaN
  const m = n >> 1
  const hi = select(s, m)
  if (n % 2) return hi
  // The largest value left of m is the (m-1)-th smallest.
  let lo = s[0]!
  for (let i = 1; i < m; i++) if (s[i]! > lo) lo = s[i]!
  return (lo + hi) / 2
}

/**
 * The k-th smallest value of `s` (Hoare's selection with a median-of-three pivot), leaving every value left of
 * k no larger and every value right of it no smaller.
 */
function select(s: Float64Array, k: number): number {
  let lo = 0
  let hi = s.length - 1
  while (hi > lo) {
    const mid = (lo + hi) >> 1
    const a = s[lo]!
    const b = s[mid]!
    const c = s[hi]!
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b
    let i = lo
    let j = hi
    while (i <= j) {
      while (s[i]! < pivot) i++
      while (s[j]! > pivot) j--
      if (i <= j) {
        const t = s[i]!
        s[i++] = s[j]!
        s[j--] = t
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return s[k]!
  }
  return s[k]!
}
