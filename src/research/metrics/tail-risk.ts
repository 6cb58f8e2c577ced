/**
 * Value at risk and conditional value at risk (expected shortfall) of periodic returns, three ways:
 * historical (empyrical), parametric normal, and Cornish-Fisher (normal quantile corrected for skew and excess
 * kurtosis). Convention as empyrical: the result is a *return* at the left tail (−0.02 = a 2% loss), and
 * `cutoff` is the left-tail probability (0.05 for 95% confidence, 0.01 for 99%).
 */
import {
  requireParam,
  excessKurtosis,
  mean,
  normCdf,
  normPdf,
  normPpf,
  percentileSorted,
  skewness,
  sorted,
  std,
} from '../../core/index.ts'

function checkCutoff(cutoff: number): void {
  requireParam(cutoff > 0 && cutoff < 1, 'cutoff', 'a left-tail probability in (0, 1)', cutoff)
}

/** Historical VaR: numpy's linear `percentile(returns, 100 · cutoff)` (empyrical `value_at_risk`). NaN when empty. */
export function valueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  return valueAtRiskSorted(sorted(returns), cutoff)
}

/** {@link valueAtRisk} of returns already sorted ascending. */
export function valueAtRiskSorted(sortedReturns: ArrayLike<number>, cutoff = 0.05): number {
  checkCutoff(cutoff)
  if (sortedReturns.length < 1) return NaN
  return percentileSorted(sortedReturns, 100 * cutoff)
}

/**
 * Historical CVaR: the mean of the `⌊(n − 1) · cutoff⌋ + 1` lowest returns (quantopian/empyrical
 * `conditional_value_at_risk`). NaN when empty.
 */
export function conditionalValueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  return conditionalValueAtRiskSorted(sorted(returns), cutoff)
}

/** {@link conditionalValueAtRisk} of returns already sorted ascending. */
export function conditionalValueAtRiskSorted(sortedReturns: ArrayLike<number>, cutoff = 0.05): number {
  checkCutoff(cutoff)
  const n = sortedReturns.length
  if (n < 1) return NaN
  const k = Math.floor((n - 1) * cutoff) + 1
  let sum = 0
  for (let i = 0; i < k; i++) sum += sortedReturns[i]!
  return sum / k
}

/** Parametric normal VaR: `μ + σ · Φ⁻¹(cutoff)` with the sample mean and std (ddof = 1). NaN for n < 2. */
export function parametricValueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  checkCutoff(cutoff)
  if (returns.length < 2) return NaN
  return mean(returns) + std(returns, 1) * normPpf(cutoff)
}

/** Parametric normal CVaR: `μ − σ · φ(z) / cutoff`, z = Φ⁻¹(cutoff). NaN for n < 2. */
export function parametricConditionalValueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  checkCutoff(cutoff)
  if (returns.length < 2) return NaN
  return mean(returns) - (std(returns, 1) * normPdf(normPpf(cutoff))) / cutoff
}

/**
 * Cornish-Fisher quantile of a standard normal z adjusted for skewness S and excess kurtosis K:
 * `z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36`.
 */
export function cornishFisherZ(z: number, skew: number, exKurt: number): number {
  const z2 = z * z
  const z3 = z2 * z
  return z + ((z2 - 1) * skew) / 6 + ((z3 - 3 * z) * exKurt) / 24 - ((2 * z3 - 5 * z) * skew * skew) / 36
}

/** Cornish-Fisher VaR from moments: `μ + σ · z_cf(cutoff)`. */
export function cornishFisherVaRFromMoments(
  mu: number,
  sigma: number,
  skew: number,
  exKurt: number,
  cutoff = 0.05,
): number {
  checkCutoff(cutoff)
  return mu + sigma * cornishFisherZ(normPpf(cutoff), skew, exKurt)
}

/**
 * Cornish-Fisher CVaR from moments: the mean of the Cornish-Fisher quantile function below `cutoff`,
 * `μ + σ/α · E[z_cf(Z); Z < z_α]`, integrated exactly with the truncated normal moments
 * ∫z φ = −φ(c), ∫z² φ = Φ(c) − cφ(c), ∫z³ φ = −(c² + 2)φ(c) over (−∞, c].
 */
export function cornishFisherCVaRFromMoments(
  mu: number,
  sigma: number,
  skew: number,
  exKurt: number,
  cutoff = 0.05,
): number {
  checkCutoff(cutoff)
  const c = normPpf(cutoff)
  const phi = normPdf(c)
  const i0 = normCdf(c)
  const i1 = -phi
  const i2 = i0 - c * phi
  const i3 = -(c * c + 2) * phi
  const ez = i1 + ((i2 - i0) * skew) / 6 + ((i3 - 3 * i1) * exKurt) / 24 - ((2 * i3 - 5 * i1) * skew * skew) / 36
  return mu + (sigma * ez) / i0
}

/**
 * Cornish-Fisher (modified) VaR of returns, with the sample mean, std (ddof = 1), and scipy's biased skewness and
 * excess kurtosis. NaN for n < 2. The expansion is only reliable for moderate skew and kurtosis.
 */
export function cornishFisherValueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  if (returns.length < 2) return NaN
  return cornishFisherVaRFromMoments(mean(returns), std(returns, 1), skewness(returns), excessKurtosis(returns), cutoff)
}

/** Cornish-Fisher CVaR of returns (see {@link cornishFisherCVaRFromMoments}). NaN for n < 2. */
export function cornishFisherConditionalValueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  if (returns.length < 2) return NaN
  return cornishFisherCVaRFromMoments(
    mean(returns),
    std(returns, 1),
    skewness(returns),
    excessKurtosis(returns),
    cutoff,
  )
}
