/**
 * Statistics primitives every layer needs (features, risk, research): the normal distribution, moments and
 * quantiles with numpy's conventions. Pure functions over array-likes, no allocation beyond what is returned.
 */

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)
}

/** Standard normal CDF with full double precision in both tails (via {@link erfc}). */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2)
}

/**
 * Complementary error function. |x| < 2: the all-positive series erf(x) = 2x/√π·e^(−x²)·Σ (2x²)ⁿ/(1·3···(2n+1))
 * (no cancellation); |x| ≥ 2: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))
 * evaluated by the modified Lentz method. Both converge to machine precision.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  const ax = Math.abs(x)
  let r: number
  if (ax < 2) {
    const x2 = ax * ax
    let term = 1
    let sum = 1
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1)
      sum += term
      if (term < 1e-17 * sum) break
    }
    const erf = ((2 * ax) / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum
    r = 1 - erf
  } else {
    // Lentz: f = b0 + a1/(b1 + a2/(b2 + ...)) with b_k = x, a_k = k/2.
    const tiny = 1e-300
    let f = ax
    let c = ax
    let d = 0
    for (let k = 1; k < 500; k++) {
      const a = k / 2
      d = ax + a * d
      d = Math.abs(d) < tiny ? tiny : d
      c = ax + a / c
      c = Math.abs(c) < tiny ? tiny : c
      d = 1 / d
      const delta = c * d
      f *= delta
      if (Math.abs(delta - 1) < 1e-16) break
    }
    r = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f)
  }
  return x < 0 ? 2 - r : r
}

/**
 * Standard normal quantile (inverse CDF): Acklam's rational approximation refined by one Halley step on
 * {@link normCdf}, giving full double precision. `p` outside (0, 1) gives ±Infinity or NaN.
 */
export function normPpf(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const pl = 0.02425
  let x: number
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p))
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  } else if (p <= 1 - pl) {
    const q = p - 0.5
    const r = q * q
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  for (let k = 0; k < 2; k++) {
    const e = normCdf(x) - p
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x)
    x = x - u / (1 + 0.5 * x * u)
  }
  return x
}

/** Arithmetic mean (NaN for an empty input). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!
  return xs.length ? s / xs.length : NaN
}

/** Variance with `ddof` degrees of freedom removed (numpy's convention; default 1, the sample variance). */
export function variance(xs: ArrayLike<number>, ddof = 1): number {
  const n = xs.length
  if (n - ddof <= 0) return NaN
  const m = mean(xs)
  let s = 0
  for (let i = 0; i < n; i++) s += (xs[i]! - m) ** 2
  return s / (n - ddof)
}

/** Standard deviation with `ddof` (default 1). */
export function std(xs: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(xs, ddof))
}

/** Skewness, biased (scipy.stats.skew default): m3 / m2^1.5. */
export function skewness(xs: ArrayLike<number>): number {
  const n = xs.length
  const m = mean(xs)
  let m2 = 0
  let m3 = 0
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m
    m2 += d * d
    m3 += d * d * d
  }
  m2 /= n
  m3 /= n
  return m3 / m2 ** 1.5
}

/** Excess kurtosis, biased (scipy.stats.kurtosis default, Fisher): m4 / m2² − 3. */
export function excessKurtosis(xs: ArrayLike<number>): number {
  const n = xs.length
  const m = mean(xs)
  let m2 = 0
  let m4 = 0
  for (let i = 0; i < n; i++) {
    const d2 = (xs[i]! - m) ** 2
    m2 += d2
    m4 += d2 * d2
  }
  m2 /= n
  m4 /= n
  return m4 / (m2 * m2) - 3
}

/** The q-quantile (q in [0, 1]) with numpy's default linear interpolation. Sorts a copy. */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(xs as ArrayLike<number>).sort()
  return quantileSorted(s, q)
}

/** {@link quantile} on data already sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN
  const h = (n - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}
