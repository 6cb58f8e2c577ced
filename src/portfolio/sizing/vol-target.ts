/** Volatility targeting: scale exposure so the position's expected volatility equals a target. */
import { requireParam } from '../../core/index.ts'

/**
 * EWMA volatility of returns (RiskMetrics recursion σ²ₜ = λσ²ₜ₋₁ + (1−λ)r²ₜ, seeded with the first squared
 * return), per period. Returns the last value.
 */
export function ewmaVolatility(returns: ArrayLike<number>, lambda = 0.94): number {
  requireParam(lambda > 0 && lambda < 1, 'ewmaVolatility(lambda)', 'in (0, 1)', lambda)
  requireParam(returns.length > 0, 'ewmaVolatility(returns)', 'at least one return', returns.length)
  let v = returns[0]! ** 2
  for (let i = 1; i < returns.length; i++) v = lambda * v + (1 - lambda) * returns[i]! ** 2
  return Math.sqrt(v)
}

/**
 * Leverage (exposure / equity) that targets `targetVol` given the asset's `realisedVol` (same units, e.g. both
 * annualised), capped at `maxLeverage`.
 */
export function volTargetLeverage(targetVol: number, realisedVol: number, maxLeverage = 1): number {
  requireParam(targetVol > 0, 'volTargetLeverage(targetVol)', '> 0', targetVol)
  requireParam(maxLeverage > 0, 'volTargetLeverage(maxLeverage)', '> 0', maxLeverage)
  if (!(realisedVol > 0)) return 0
  return Math.min(maxLeverage, targetVol / realisedVol)
}
