/**
 * Strategy against a benchmark, with empyrical's conventions (quantopian/empyrical `stats.py`): alpha and beta of
 * the regression of returns on benchmark returns (population moments, alpha annualised by compounding), up and
 * down capture as ratios of annual returns over the periods where the benchmark rose or fell, and the information
 * ratio of the active return (quantstats' `information_ratio` × √ppy, so it reads as an annual figure like Sharpe).
 * Both series are returns over the same periods, index by index.
 */
import { mean, requireParam, std } from '../../core/index.ts'
import { annualReturn, annualVolatility } from './empyrical.ts'
import { checkPeriodsPerYear } from './returns.ts'

function checkPair(returns: ArrayLike<number>, benchmark: ArrayLike<number>): void {
  requireParam(
    returns.length === benchmark.length,
    'benchmark',
    `as many returns as the strategy (${returns.length})`,
    benchmark.length,
  )
}

/** Beta: `cov(r − rf, b − rf) / var(b − rf)` (population moments, empyrical `beta`). NaN for n < 2 or flat b. */
export function benchmarkBeta(returns: ArrayLike<number>, benchmark: ArrayLike<number>, riskFree = 0): number {
  checkPair(returns, benchmark)
  const n = returns.length
  if (n < 2) return NaN
  let mb = 0
  for (let i = 0; i < n; i++) mb += (benchmark[i]! - riskFree) / n
  let cov = 0
  let v = 0
  for (let i = 0; i < n; i++) {
    const d = benchmark[i]! - riskFree - mb
    cov += (d * (returns[i]! - riskFree)) / n
    v += (d * d) / n
  }
  return v > 0 ? cov / v : NaN
}

/**
 * Alpha, annualised: `(1 + mean((r − rf) − β (b − rf)))^ppy − 1` (empyrical `alpha`). NaN when beta is.
 */
export function benchmarkAlpha(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  periodsPerYear: number,
  riskFree = 0,
): number {
  checkPeriodsPerYear(periodsPerYear)
  const b = benchmarkBeta(returns, benchmark, riskFree)
  if (Number.isNaN(b)) return NaN
  let a = 0
  for (let i = 0; i < returns.length; i++)
    a += (returns[i]! - riskFree - b * (benchmark[i]! - riskFree)) / returns.length
  return Math.pow(1 + a, periodsPerYear) - 1
}

/** Pearson correlation of the two series. NaN for n < 2 or a flat series. */
export function correlation(returns: ArrayLike<number>, benchmark: ArrayLike<number>): number {
  checkPair(returns, benchmark)
  const n = returns.length
  if (n < 2) return NaN
  const ma = mean(returns)
  const mb = mean(benchmark)
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const a = returns[i]! - ma
    const b = benchmark[i]! - mb
    sab += a * b
    saa += a * a
    sbb += b * b
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN
}

function active(returns: ArrayLike<number>, benchmark: ArrayLike<number>): Float64Array {
  checkPair(returns, benchmark)
  return Float64Array.from(returns, (r, i) => r - benchmark[i]!)
}

/** Annualised tracking error: `std(r − b, ddof=1) · √ppy`. NaN for n < 2. */
export function trackingError(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  periodsPerYear: number,
): number {
  return annualVolatility(active(returns, benchmark), periodsPerYear)
}

/**
 * Annualised information ratio: `mean(r − b) / std(r − b, ddof=1) · √ppy` (quantstats `information_ratio` and
 * empyrical `excess_sharpe` give the per-period figure). NaN for n < 2 or no active risk.
 */
export function informationRatio(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  periodsPerYear: number,
): number {
  checkPeriodsPerYear(periodsPerYear)
  const a = active(returns, benchmark)
  if (a.length < 2) return NaN
  const s = std(a, 1)
  return s > 0 ? (mean(a) / s) * Math.sqrt(periodsPerYear) : NaN
}

function captureWhere(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  periodsPerYear: number,
  keep: (b: number) => boolean,
): number {
  checkPair(returns, benchmark)
  const r: number[] = []
  const b: number[] = []
  for (let i = 0; i < returns.length; i++) {
    if (!keep(benchmark[i]!)) continue
    r.push(returns[i]!)
    b.push(benchmark[i]!)
  }
  if (r.length === 0) return NaN
  const den = annualReturn(b, periodsPerYear)
  return den !== 0 ? annualReturn(r, periodsPerYear) / den : NaN
}

/** Capture: annual return of the strategy / annual return of the benchmark (empyrical `capture`). */
export function capture(returns: ArrayLike<number>, benchmark: ArrayLike<number>, periodsPerYear: number): number {
  return captureWhere(returns, benchmark, periodsPerYear, () => true)
}

/** Up capture: {@link capture} over the periods where the benchmark rose (empyrical `up_capture`). */
export function upCapture(returns: ArrayLike<number>, benchmark: ArrayLike<number>, periodsPerYear: number): number {
  return captureWhere(returns, benchmark, periodsPerYear, (b) => b > 0)
}

/** Down capture: {@link capture} over the periods where the benchmark fell (empyrical `down_capture`). */
export function downCapture(returns: ArrayLike<number>, benchmark: ArrayLike<number>, periodsPerYear: number): number {
  return captureWhere(returns, benchmark, periodsPerYear, (b) => b < 0)
}

/** Rolling {@link benchmarkBeta} over `window` returns; NaN until the window is full (pyfolio's `rolling_beta`). */
export function rollingBenchmarkBeta(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  window: number,
): Float64Array {
  checkPair(returns, benchmark)
  requireParam(Number.isInteger(window) && window >= 2, 'window', 'an integer >= 2', window)
  const n = returns.length
  const out = new Float64Array(n).fill(NaN)
  // running sums, recomputed every `window` steps so rounding cannot drift
  let sb = 0
  let sbb = 0
  let srb = 0
  for (let j = 0; j < n; j++) {
    if (j >= window - 1 && (j - window + 1) % window === 0) {
      sb = sbb = srb = 0
      for (let i = j - window + 1; i <= j; i++) {
        sb += benchmark[i]!
        sbb += benchmark[i]! * benchmark[i]!
        srb += returns[i]! * benchmark[i]!
      }
    } else {
      sb += benchmark[j]!
      sbb += benchmark[j]! * benchmark[j]!
      srb += returns[j]! * benchmark[j]!
      if (j >= window) {
        const k = j - window
        sb -= benchmark[k]!
        sbb -= benchmark[k]! * benchmark[k]!
        srb -= returns[k]! * benchmark[k]!
      }
    }
    if (j < window - 1) continue
    let sr = 0
    for (let i = j - window + 1; i <= j; i++) sr += returns[i]!
    const mb = sb / window
    const v = sbb / window - mb * mb
    const cov = srb / window - (sr / window) * mb
    out[j] = v > 1e-14 * Math.max(sbb / window, 1e-300) ? cov / v : NaN
  }
  return out
}

/** Everything the tearsheet shows of a strategy against its benchmark (both columns are over the same periods). */
export interface BenchmarkStats {
  readonly periods: number
  readonly alpha: number
  readonly beta: number
  readonly correlation: number
  readonly rSquared: number
  readonly informationRatio: number
  readonly trackingError: number
  readonly upCapture: number
  readonly downCapture: number
}

/** {@link BenchmarkStats} of aligned strategy and benchmark returns. */
export function benchmarkStats(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  periodsPerYear: number,
  riskFree = 0,
): BenchmarkStats {
  const c = correlation(returns, benchmark)
  return {
    periods: returns.length,
    alpha: benchmarkAlpha(returns, benchmark, periodsPerYear, riskFree),
    beta: benchmarkBeta(returns, benchmark, riskFree),
    correlation: c,
    rSquared: c * c,
    informationRatio: informationRatio(returns, benchmark, periodsPerYear),
    trackingError: trackingError(returns, benchmark, periodsPerYear),
    upCapture: upCapture(returns, benchmark, periodsPerYear),
    downCapture: downCapture(returns, benchmark, periodsPerYear),
  }
}
