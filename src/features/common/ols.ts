/**
 * Ordinary least squares from cross-products (X'X, X'y, y'y), so nested models that share a sample and
 * leading columns (ADF lag selection) reuse one pass over the data. Solved by Cholesky; small k only.
 */
import { KestrelError } from '../../core/index.ts'

/** Result of an OLS fit. */
export interface OlsFit {
  readonly beta: Float64Array
  /** Standard errors of the coefficients (σ̂² = ssr / (n − k)). */
  readonly se: Float64Array
  /** Sum of squared residuals. */
  readonly ssr: number
  readonly n: number
  readonly k: number
  /** Gaussian log-likelihood, −n/2 (ln 2π + ln(ssr/n) + 1) (statsmodels' `llf`). */
  readonly llf: number
  /** Akaike information criterion, −2 llf + 2k. */
  readonly aic: number
}

/** Cross-products of a design: X'X (K×K, row-major), X'y, y'y over `n` rows. */
export interface Moments {
  readonly xtx: Float64Array
  readonly xty: Float64Array
  readonly yty: number
  readonly n: number
  /** Number of columns in the full design. */
  readonly K: number
}

/** Accumulates cross-products row by row. `row` must have K entries. */
export class MomentAccumulator {
  readonly xtx: Float64Array
  readonly xty: Float64Array
  yty = 0
  n = 0
  constructor(readonly K: number) {
    this.xtx = new Float64Array(K * K)
    this.xty = new Float64Array(K)
  }
  /** Adds one row (x, y). */
  add(x: ArrayLike<number>, y: number): void {
    const K = this.K
    for (let i = 0; i < K; i++) {
      const xi = x[i]!
      this.xty[i] += xi * y
      for (let j = 0; j <= i; j++) this.xtx[i * K + j] += xi * x[j]!
    }
    this.yty += y * y
    this.n++
  }
  /** The moments, with X'X made symmetric. */
  moments(): Moments {
    const K = this.K
    for (let i = 0; i < K; i++) for (let j = 0; j < i; j++) this.xtx[j * K + i] = this.xtx[i * K + j]!
    return { xtx: this.xtx, xty: this.xty, yty: this.yty, n: this.n, K }
  }
}

/** Fits OLS on the first `k` columns of the design whose moments are given. */
export function olsFromMoments(m: Moments, k = m.K): OlsFit {
  const K = m.K
  // Cholesky of the leading k×k block: A = L L'
  const L = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m.xtx[i * K + j]!
      for (let p = 0; p < j; p++) s -= L[i * k + p]! * L[j * k + p]!
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(m.xtx[i * K + i]!))))
          throw new KestrelError('PARAM_INVALID', `ols: the design is singular at column ${i}`, { column: i })
        L[i * k + i] = Math.sqrt(s)
      } else L[i * k + j] = s / L[j * k + j]!
    }
  }
  // L^{-1}
  const Li = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    Li[i * k + i] = 1 / L[i * k + i]!
    for (let j = 0; j < i; j++) {
      let s = 0
      for (let p = j; p < i; p++) s -= L[i * k + p]! * Li[p * k + j]!
      Li[i * k + j] = s / L[i * k + i]!
    }
  }
  // (X'X)^{-1} = L^{-T} L^{-1}; beta = inv X'y
  const beta = new Float64Array(k)
  const diag = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    let d = 0
    for (let p = i; p < k; p++) d += Li[p * k + i]! * Li[p * k + i]!
    diag[i] = d
  }
  const z = new Float64Array(k)
  for (let p = 0; p < k; p++) {
    let s = 0
    for (let j = 0; j <= p; j++) s += Li[p * k + j]! * m.xty[j]!
    z[p] = s
  }
  for (let i = 0; i < k; i++) {
    let s = 0
    for (let p = i; p < k; p++) s += Li[p * k + i]! * z[p]!
    beta[i] = s
  }
  let bxy = 0
  for (let i = 0; i < k; i++) bxy += beta[i]! * m.xty[i]!
  const ssr = Math.max(0, m.yty - bxy)
  const n = m.n
  const s2 = ssr / (n - k)
  const se = diag.map((d) => Math.sqrt(d * s2))
  const llf = (-n / 2) * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1)
  return { beta, se, ssr, n, k, llf, aic: -2 * llf + 2 * k }
}
