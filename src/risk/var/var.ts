/**
 * Value at Risk and Expected Shortfall of one return series. Convention: both are reported as positive
 * losses (a fraction of value); `confidence` is e.g. 0.99. VaR is the loss not exceeded with that
 * confidence, −q₁₋c of the return distribution; ES is the mean loss beyond it.
 */
import {
  cornishFisherTailMean,
  cornishFisherZ,
  excessKurtosis,
  mean,
  normPdf,
  normPpf,
  quantileSorted,
  requireParam,
  skewness,
  std,
} from '../../core/index.ts'

function checkConfidence(where: string, c: number): void {
  requireParam(c > 0.5 && c < 1, `${where}(confidence)`, 'in (0.5, 1), e.g. 0.99', c)
}

/** Historical VaR: the empirical (1−c) quantile of returns, numpy-linear, as a loss. */
export function historicalVar(returns: ArrayLike<number>, confidence: number): number {
  checkConfidence('historicalVar', confidence)
  requireParam(returns.length > 0, 'historicalVar(returns)', 'a non-empty series', returns.length)
  const s = Float64Array.from(returns).sort()
  return -quantileSorted(s, 1 - confidence)
}

/** Historical ES: minus the mean of the returns at or below the (1−c) quantile. */
export function historicalEs(returns: ArrayLike<number>, confidence: number): number {
  checkConfidence('historicalEs', confidence)
  requireParam(returns.length > 0, 'historicalEs(returns)', 'a non-empty series', returns.length)
  const s = Float64Array.from(returns).sort()
  const q = quantileSorted(s, 1 - confidence)
  let sum = 0
  let n = 0
  for (let i = 0; i < s.length && s[i]! <= q; i++) {
    sum += s[i]!
    n++
  }
  return -(sum / n)
}

/** Gaussian VaR: zσ − μ with z = Φ⁻¹(c). */
export function parametricVar(mu: number, sigma: number, confidence: number): number {
  checkConfidence('parametricVar', confidence)
  requireParam(sigma >= 0, 'parametricVar(sigma)', '≥ 0', sigma)
  return normPpf(confidence) * sigma - mu
}

/** Gaussian ES: σφ(z)/(1−c) − μ. */
export function parametricEs(mu: number, sigma: number, confidence: number): number {
  checkConfidence('parametricEs', confidence)
  requireParam(sigma >= 0, 'parametricEs(sigma)', '≥ 0', sigma)
  return (sigma * normPdf(normPpf(confidence))) / (1 - confidence) - mu
}

/**
 * The Cornish-Fisher expansion of a standard normal quantile z for a distribution with skew S and excess
 * kurtosis K: z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36 (core's {@link cornishFisherZ}).
 */
export const cornishFisherQuantile = cornishFisherZ

/** Modified (Cornish-Fisher) VaR: −(μ + z_cf·σ) with z_cf the adjusted (1−c) quantile. */
export function cornishFisherVar(mu: number, sigma: number, skew: number, exKurt: number, confidence: number): number {
  checkConfidence('cornishFisherVar', confidence)
  requireParam(sigma >= 0, 'cornishFisherVar(sigma)', '≥ 0', sigma)
  return -(mu + cornishFisherQuantile(normPpf(1 - confidence), skew, exKurt) * sigma)
}

/**
 * Cornish-Fisher ES: minus the mean of the adjusted return quantiles over the tail (0, 1−c), μ + σ·E[z_cf], in
 * core's exact closed form ({@link cornishFisherTailMean}).
 */
export function cornishFisherEs(mu: number, sigma: number, skew: number, exKurt: number, confidence: number): number {
  checkConfidence('cornishFisherEs', confidence)
  requireParam(sigma >= 0, 'cornishFisherEs(sigma)', '≥ 0', sigma)
  return -(mu + sigma * cornishFisherTailMean(1 - confidence, skew, exKurt))
}

/** VaR/ES of a sample by every method, from its own moments. */
export function varReport(
  returns: ArrayLike<number>,
  confidence: number,
): Record<'historical' | 'parametric' | 'cornishFisher', { var: number; es: number }> {
  const mu = mean(returns)
  const sigma = std(returns)
  const sk = skewness(returns)
  const ku = excessKurtosis(returns)
  return {
    historical: { var: historicalVar(returns, confidence), es: historicalEs(returns, confidence) },
    parametric: { var: parametricVar(mu, sigma, confidence), es: parametricEs(mu, sigma, confidence) },
    cornishFisher: {
      var: cornishFisherVar(mu, sigma, sk, ku, confidence),
      es: cornishFisherEs(mu, sigma, sk, ku, confidence),
    },
  }
}
