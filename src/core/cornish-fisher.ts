/**
 * The Cornish-Fisher expansion of the standard normal quantile for a distribution with skewness S and excess
 * kurtosis K, and the exact mean of that quantile over a left tail (the Cornish-Fisher expected shortfall).
 * One closed form that risk (VaR limits) and research (tail-risk metrics) both use, so the two never disagree.
 */
import { normPdf, normPpf } from './stats.ts'

/**
 * Cornish-Fisher quantile of a standard normal z adjusted for skewness S and excess kurtosis K:
 * `z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36`.
 */
export function cornishFisherZ(z: number, skew: number, exKurt: number): number {
  const z2 = z * z
  const z3 = z2 * z
  return z + ((z2 - 1) * skew) / 6 + ((z3 - 3 * z) * exKurt) / 24 - ((2 * z3 - 5 * z) * skew * skew) / 36
}

/**
 * Mean of the Cornish-Fisher quantile over the left tail (0, α), in standard units (a negative number for the
 * usual α): `(1/α) ∫₀^α z_cf(Φ⁻¹(p)) dp`. With z = Φ⁻¹(p) this is `(1/α) ∫_{−∞}^c z_cf(z) φ(z) dz`, c = Φ⁻¹(α),
 * and the truncated normal moments ∫zφ = −φ(c), ∫z²φ = Φ(c) − cφ(c), ∫z³φ = −(c² + 2)φ(c) make it exact:
 *
 *   `−φ(c)/α · [1 + cS/6 − (1 − c²)K/24 + (1 − 2c²)S²/36]`.
 *
 * With S = K = 0 it is the Gaussian −φ(c)/α. The expected shortfall of returns with mean μ and deviation σ is
 * `μ + σ · cornishFisherTailMean(α, S, K)` as a return, or minus that as a loss.
 */
export function cornishFisherTailMean(alpha: number, skew: number, exKurt: number): number {
  const c = normPpf(alpha)
  const c2 = c * c
  const bracket = 1 + (c * skew) / 6 - ((1 - c2) * exKurt) / 24 + ((1 - 2 * c2) * skew * skew) / 36
  return (-normPdf(c) / alpha) * bracket
}
