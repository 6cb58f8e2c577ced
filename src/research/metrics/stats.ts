/**
 * Descriptive statistics over Float64Array with numpy / scipy semantics (the conventions empyrical inherits):
 * `std` takes `ddof`, `percentile` is numpy's default linear interpolation, `skewness` and `excessKurtosis`
 * are scipy.stats' biased defaults (`bias=True`, Fisher's excess kurtosis).
 */

/** Arithmetic mean; NaN for an empty array. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length
  if (n === 0) return NaN
  let s = 0
  for (let i = 0; i < n; i++) s += x[i]!
  return s / n
}

/**
 * Mean computed as `x[0] + mean(x − x[0])`: the same value to rounding, but exactly `x[0]` for constant data, so
 * the deviations of constant data are exactly 0 (a constant series has zero, not 1e-18, dispersion).
 */
function shiftedMean(x: ArrayLike<number>): number {
  const n = x.length
  const k = x[0]!
  let s = 0
  for (let i = 0; i < n; i++) s += x[i]! - k
  return k + s / n
}

/** Variance with `ddof` delta degrees of freedom (numpy `var(ddof=…)`); NaN when `n - ddof <= 0`. */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const n = x.length
  if (n - ddof <= 0) return NaN
  const m = shiftedMean(x)
  let s = 0
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m
    s += d * d
  }
  return s / (n - ddof)
}

/** Standard deviation with `ddof` (numpy `std(ddof=…)`). */
export function std(x: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(x, ddof))
}

/** Sorted copy (ascending). */
export function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort()
}

/**
 * The `q`-th percentile (0–100) with numpy's default linear interpolation: position `(n - 1) q / 100` between
 * the order statistics. `sortedX` must be sorted ascending. NaN for an empty array.
 */
export function percentileSorted(sortedX: ArrayLike<number>, q: number): number {
  const n = sortedX.length
  if (n === 0) return NaN
  const pos = ((n - 1) * q) / 100
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, n - 1)
  const frac = pos - lo
  const a = sortedX[lo]!
  const b = sortedX[hi]!
  // numpy's _lerp: a + (b - a) * t, switched to b - (b - a) * (1 - t) for t >= 0.5 (exact at both ends)
  return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac
}

/** The `q`-th percentile (0–100) of unsorted data, numpy's linear method. */
export function percentile(x: ArrayLike<number>, q: number): number {
  return percentileSorted(sorted(x), q)
}

/** Central moments m2, m3, m4 (population, divided by n). */
function centralMoments(x: ArrayLike<number>): [number, number, number] {
  const n = x.length
  const m = shiftedMean(x)
  let m2 = 0
  let m3 = 0
  let m4 = 0
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m
    const d2 = d * d
    m2 += d2
    m3 += d2 * d
    m4 += d2 * d2
  }
  return [m2 / n, m3 / n, m4 / n]
}

/** Sample skewness, scipy.stats.skew default (biased: m3 / m2^1.5). NaN for n < 1; 0/0 (constant data) is NaN. */
export function skewness(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN
  const [m2, m3] = centralMoments(x)
  return m3 / Math.pow(m2, 1.5)
}

/** Excess kurtosis, scipy.stats.kurtosis default (Fisher, biased: m4 / m2² − 3). Normal data gives ≈ 0. */
export function excessKurtosis(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN
  const [m2, , m4] = centralMoments(x)
  return m4 / (m2 * m2) - 3
}

/** Pearson correlation of `y` against `x = 0, 1, …, n − 1` (the `r` of scipy.stats.linregress on a time index). */
export function correlationWithIndex(y: ArrayLike<number>): number {
  const n = y.length
  if (n < 2) return NaN
  const mx = (n - 1) / 2
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = i - mx
    const dy = y[i]! - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return syy === 0 ? NaN : 0
  return sxy / Math.sqrt(sxx * syy)
}
