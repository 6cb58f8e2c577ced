/**
 * Value at risk and conditional value at risk (expected shortfall) of periodic returns, three ways:
 * historical (empyrical), parametric normal, and Cornish-Fisher (normal quantile corrected for skew and excess
 * kurtosis). Convention as empyrical: the result is a *return* at the left tail (−0.02 = a 2% loss), and
 * `cutoff` is the left-tail probability (0.05 for 95% confidence, 0.01 for 99%).
 */
import {
  requireParam,
  cornishFisherTailMean,
  cornishFisherZ,
  excessKurtosis,
  mean,
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
 * Cornish-Fisher CVaR from moments: `μ + σ · E[z_cf | p < cutoff]`, the mean of the Cornish-Fisher quantile
 * function below `cutoff`, in core's exact closed form ({@link cornishFisherTailMean}).
 */
export function cornishFisherCVaRFromMoments(
  mu: number,
  sigma: number,
  skew: number,
  exKurt: number,
  cutoff = 0.05,
): number {
  checkCutoff(cutoff)
  return mu + sigma * cornishFisherTailMean(cutoff, skew, exKurt)
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
