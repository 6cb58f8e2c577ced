/**
 * Inference on the Sharpe ratio: the probabilistic Sharpe ratio (Bailey & López de Prado, "The Sharpe Ratio
 * Efficient Frontier", 2012), the expected maximum Sharpe of N trials and the deflated Sharpe ratio ("The
 * Deflated Sharpe Ratio", 2014), and the minimum track record length (2012).
 * All Sharpe ratios here are per period (not annualised); skew is the sample skewness γ3 and kurtosis is the
 * *raw* (non-excess) γ4, as in the papers.
 */
import { requireParam } from '../../core/index.ts'
import { normCdf, normPpf } from '../../core/index.ts'

/** The Euler-Mascheroni constant γ. */
export const EULER_MASCHERONI = 0.5772156649015329

/** Standard error factor of the estimated Sharpe: `1 − γ3·SR + (γ4 − 1)/4 · SR²`. */
function sharpeVarianceFactor(sr: number, skew: number, kurtosis: number): number {
  return 1 - skew * sr + ((kurtosis - 1) / 4) * sr * sr
}

/**
 * Probabilistic Sharpe ratio: `Φ((SR − SR*) · √(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²))`, the probability that
 * the true Sharpe exceeds the benchmark `srBenchmark`. NaN for n < 2 or a non-positive variance factor.
 */
export function probabilisticSharpeRatio(
  sr: number,
  n: number,
  skew: number,
  kurtosis: number,
  srBenchmark = 0,
): number {
  if (!(n >= 2) || !Number.isFinite(sr)) return NaN
  const v = sharpeVarianceFactor(sr, skew, kurtosis)
  if (!(v > 0)) return NaN
  return normCdf(((sr - srBenchmark) * Math.sqrt(n - 1)) / Math.sqrt(v))
}

/**
 * Expected maximum Sharpe of `trials` independent trials with true Sharpe 0 and Sharpe variance `variance`:
 * `√V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))` (the "false strategy" theorem). 0 for a single trial.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  requireParam(Number.isInteger(trials) && trials >= 1, 'trials', 'an integer >= 1', trials)
  requireParam(variance >= 0, 'trialSharpeVariance', 'a variance >= 0', variance)
  if (trials === 1) return 0
  const g = EULER_MASCHERONI
  return Math.sqrt(variance) * ((1 - g) * normPpf(1 - 1 / trials) + g * normPpf(1 - 1 / (trials * Math.E)))
}

/**
 * Deflated Sharpe ratio: the probabilistic Sharpe ratio against the expected maximum Sharpe of `trials` trials
 * whose Sharpe ratios vary with `trialSharpeVariance`. With one trial it is PSR(0).
 */
export function deflatedSharpeRatio(
  sr: number,
  n: number,
  skew: number,
  kurtosis: number,
  trials: number,
  trialSharpeVariance: number,
): number {
  return probabilisticSharpeRatio(sr, n, skew, kurtosis, expectedMaxSharpe(trials, trialSharpeVariance))
}

/**
 * Minimum track record length, in periods: `1 + (1 − γ3·SR + (γ4 − 1)/4·SR²) · (Φ⁻¹(confidence) / (SR − SR*))²`,
 * the number of observations needed for PSR(SR*) to reach `confidence`. Infinity when SR ≤ SR*.
 */
export function minTrackRecordLength(
  sr: number,
  skew: number,
  kurtosis: number,
  srBenchmark = 0,
  confidence = 0.95,
): number {
  requireParam(confidence > 0 && confidence < 1, 'confidence', 'a probability in (0, 1)', confidence)
  if (!Number.isFinite(sr)) return NaN
  if (sr <= srBenchmark) return Infinity
  const z = normPpf(confidence)
  return 1 + sharpeVarianceFactor(sr, skew, kurtosis) * Math.pow(z / (sr - srBenchmark), 2)
}
