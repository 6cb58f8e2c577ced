/** Fixed-fractional and fixed-risk sizing, with ATR-based stops. */
import { requireParam } from '../../core/index.ts'

/** Quantity worth `fraction` of equity at `price` (before lot rounding). */
export function fixedFractional(equity: number, fraction: number, price: number): number {
  requireParam(equity >= 0, 'fixedFractional(equity)', '≥ 0', equity)
  requireParam(fraction >= 0 && fraction <= 1, 'fixedFractional(fraction)', 'in [0, 1]', fraction)
  requireParam(price > 0, 'fixedFractional(price)', '> 0', price)
  return (equity * fraction) / price
}

/**
 * Quantity such that a stop-out loses `riskFraction` of equity: q = equity·risk / |entry − stop|.
 * The stop must be on the losing side of the entry for the given direction.
 */
export function fixedRisk(
  equity: number,
  riskFraction: number,
  entry: number,
  stop: number,
  side: 'LONG' | 'SHORT' = 'LONG',
): number {
  requireParam(equity >= 0, 'fixedRisk(equity)', '≥ 0', equity)
  requireParam(riskFraction > 0 && riskFraction <= 1, 'fixedRisk(riskFraction)', 'in (0, 1]', riskFraction)
  requireParam(entry > 0, 'fixedRisk(entry)', '> 0', entry)
  const ok = side === 'LONG' ? stop < entry : stop > entry
  requireParam(ok, 'fixedRisk(stop)', side === 'LONG' ? `below the entry ${entry}` : `above the entry ${entry}`, stop)
  return (equity * riskFraction) / Math.abs(entry - stop)
}

/** Stop `multiple` ATRs from the entry, on the losing side. */
export function atrStop(entry: number, atr: number, multiple: number, side: 'LONG' | 'SHORT' = 'LONG'): number {
  requireParam(atr > 0, 'atrStop(atr)', '> 0', atr)
  requireParam(multiple > 0, 'atrStop(multiple)', '> 0', multiple)
  return side === 'LONG' ? entry - multiple * atr : entry + multiple * atr
}
