/**
 * Return-based performance ratios with empyrical's conventions (quantopian/empyrical `stats.py`): simple returns,
 * annualisation by periods per year, std with ddof = 1. Inputs must be finite (see `checkReturns`); where
 * empyrical returns NaN (too few observations, zero dispersion) these return NaN too, as documented per function.
 */
import { checkPeriodsPerYear } from './returns.ts'
import { mean, percentileSorted, sorted, std } from '../../core/index.ts'
import { correlationWithIndex } from './stats.ts'
import { maxDrawdown } from './drawdown.ts'

/** Compound annual growth rate: `(1 + total)^(ppy / n) − 1`. NaN when empty. */
export function annualReturn(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear)
  const n = returns.length
  if (n < 1) return NaN
  let acc = 1
  for (let i = 0; i < n; i++) acc *= 1 + returns[i]!
  return Math.pow(acc, 1 / (n / periodsPerYear)) - 1
}

/** Annualised volatility: `std(r, ddof=1) · √ppy`. NaN for fewer than 2 returns. */
export function annualVolatility(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear)
  if (returns.length < 2) return NaN
  return std(returns, 1) * Math.sqrt(periodsPerYear)
}

function minus(returns: ArrayLike<number>, c: number): Float64Array {
  const out = new Float64Array(returns.length)
  for (let i = 0; i < returns.length; i++) out[i] = returns[i]! - c
  return out
}

/**
 * Annualised Sharpe ratio: `mean(r − rf) / std(r − rf, ddof=1) · √ppy`, `rf` per period.
 * NaN for fewer than 2 returns or zero dispersion.
 */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear: number, riskFree = 0): number {
  checkPeriodsPerYear(periodsPerYear)
  if (returns.length < 2) return NaN
  const adj = minus(returns, riskFree)
  const s = std(adj, 1)
  if (s === 0) return NaN
  return (mean(adj) / s) * Math.sqrt(periodsPerYear)
}

/**
 * Annualised downside deviation below `requiredReturn`: `sqrt(mean(min(r − req, 0)²)) · √ppy` (the mean runs over
 * all periods, as in empyrical). NaN when empty.
 */
export function downsideRisk(returns: ArrayLike<number>, periodsPerYear: number, requiredReturn = 0): number {
  checkPeriodsPerYear(periodsPerYear)
  const n = returns.length
  if (n < 1) return NaN
  let s = 0
  for (let i = 0; i < n; i++) {
    const d = Math.min(returns[i]! - requiredReturn, 0)
    s += d * d
  }
  return Math.sqrt(s / n) * Math.sqrt(periodsPerYear)
}

/**
 * Annualised Sortino ratio: `mean(r − req) · ppy / downsideRisk`. NaN for fewer than 2 returns; +Infinity when
 * nothing falls below `requiredReturn` and the mean excess is positive (empyrical gives `inf` too).
 */
export function sortinoRatio(returns: ArrayLike<number>, periodsPerYear: number, requiredReturn = 0): number {
  checkPeriodsPerYear(periodsPerYear)
  if (returns.length < 2) return NaN
  const mu = mean(minus(returns, requiredReturn)) * periodsPerYear
  const dr = downsideRisk(returns, periodsPerYear, requiredReturn)
  return mu / dr
}

/** Calmar ratio: annual return / |max drawdown|. NaN when there is no drawdown. */
export function calmarRatio(returns: ArrayLike<number>, periodsPerYear: number): number {
  const mdd = maxDrawdown(returns)
  if (!(mdd < 0)) return NaN
  const r = annualReturn(returns, periodsPerYear) / Math.abs(mdd)
  return Number.isFinite(r) ? r : NaN
}

/**
 * Omega ratio: gains over losses around a threshold `rf + ((1 + requiredReturn)^(1/annualization) − 1)`, where
 * `requiredReturn` is annual (empyrical's convention; `annualization` defaults to 252 as in empyrical, pass 1 to
 * use `requiredReturn` per period as it is). NaN for fewer than 2 returns, no losses, or requiredReturn ≤ −1.
 */
export function omegaRatio(returns: ArrayLike<number>, riskFree = 0, requiredReturn = 0, annualization = 252): number {
  if (returns.length < 2) return NaN
  let threshold: number
  if (annualization === 1) threshold = requiredReturn
  else if (requiredReturn <= -1) return NaN
  else threshold = Math.pow(1 + requiredReturn, 1 / annualization) - 1
  let num = 0
  let den = 0
  for (let i = 0; i < returns.length; i++) {
    const d = returns[i]! - riskFree - threshold
    if (d > 0) num += d
    else if (d < 0) den -= d
  }
  return den > 0 ? num / den : NaN
}

/** Tail ratio: |95th percentile| / |5th percentile| (numpy linear percentiles). NaN when empty. */
export function tailRatio(returns: ArrayLike<number>): number {
  return tailRatioSorted(sorted(returns))
}

/** {@link tailRatio} of returns already sorted ascending (sort once, reuse for several tail metrics). */
export function tailRatioSorted(sortedReturns: ArrayLike<number>): number {
  if (sortedReturns.length < 1) return NaN
  return Math.abs(percentileSorted(sortedReturns, 95)) / Math.abs(percentileSorted(sortedReturns, 5))
}

/**
 * Stability of the time series: R² of an OLS fit of cumulative log returns `Σ log1p(r)` on time.
 * 1 is a perfectly steady compounding line. NaN for fewer than 2 returns.
 */
export function stabilityOfTimeseries(returns: ArrayLike<number>): number {
  if (returns.length < 2) return NaN
  const cum = new Float64Array(returns.length)
  let acc = 0
  for (let i = 0; i < returns.length; i++) {
    acc += Math.log1p(returns[i]!)
    cum[i] = acc
  }
  const r = correlationWithIndex(cum)
  return r * r
}
