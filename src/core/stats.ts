/**
 * Statistics primitives every layer needs (features, risk, research), with numpy / scipy conventions: the
 * standard normal distribution (Φ, φ and Φ⁻¹ by Wichura's AS 241, agreeing with scipy.stats.norm to ~1e-15),
 * moments (`ddof` as numpy; skewness and excess kurtosis as scipy's biased defaults) and percentiles with
 * numpy's default linear interpolation.
 */

const SQRT2 = Math.SQRT2
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI)

/** Density φ(z). */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z)
}

/** erf(x) by its Maclaurin series; used for |x| < 2.5, where it converges to full precision. */
function erfSeries(x: number): number {
  // erf(x) = 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1))
  let term = x
  let sum = x
  const x2 = x * x
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n
    const add = term / (2 * n + 1)
    sum += add
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break
  }
  return (2 / Math.sqrt(Math.PI)) * sum
}

/** erfc(x) for x ≥ 2.5 by its continued fraction (modified Lentz). */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + …)))))
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let n = 1; n < 500; n++) {
    const a = n / 2
    d = x + a * d
    d = d === 0 ? tiny : d
    c = x + a / c
    c = c === 0 ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f)
}

/** Complementary error function. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x < 0) return 2 - erfc(-x)
  if (x < 2.5) return 1 - erfSeries(x)
  return erfcContinuedFraction(x)
}

/** Cumulative distribution Φ(z). */
export function normCdf(z: number): number {
  if (Number.isNaN(z)) return NaN
  return 0.5 * erfc(-z / SQRT2)
}

// Wichura (1988), Algorithm AS 241 (PPND16): numerators and denominators, lowest power first.
const A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087,
  33430.57558358813, 2509.0809287301227,
]
const B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943,
  5226.495278852546,
]
const C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
]
const D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
]
const E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
]
const F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548,
  1.421511758316446e-7, 2.0442631033899397e-15,
]

/** Polynomial with coefficients `c` (lowest power first) at `x`, by Horner's rule. */
function poly(c: readonly number[], x: number): number {
  let s = 0
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i]!
  return s
}

/** Quantile Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1, NaN outside. */
export function normPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (q * poly(A, r)) / poly(B, r)
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p))
  let x: number
  if (r <= 5) {
    r -= 1.6
    x = poly(C, r) / poly(D, r)
  } else {
    r -= 5
    x = poly(E, r) / poly(F, r)
  }
  return q < 0 ? -x : x
}

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

/** The q-quantile (q in [0, 1]) of data sorted ascending, numpy's linear method; NaN for empty data or q outside [0, 1]. */
export function quantileSorted(sortedX: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) return NaN
  return percentileSorted(sortedX, q * 100)
}

/** The q-quantile (q in [0, 1]) of unsorted data (sorts a copy). */
export function quantile(x: ArrayLike<number>, q: number): number {
  return quantileSorted(sorted(x), q)
}
