/** Rebalancing under a turnover limit. */
import { KestrelError, type Vector } from '../../core/index.ts'

/** One-way turnover Σ|target − current| / 2. */
export function turnover(current: Vector, target: Vector): number {
  let s = 0
  for (let i = 0; i < current.length; i++) s += Math.abs(target[i]! - current[i]!)
  return s / 2
}

/**
 * Moves from `current` toward `target` as far as `maxTurnover` (one-way) allows, along the straight line, so
 * the weights still sum to the same total and every weight stays between its current and target value.
 */
export function rebalanceWithTurnoverLimit(
  current: Vector,
  target: Vector,
  maxTurnover: number,
): { weights: Vector; turnover: number; complete: boolean } {
  if (current.length !== target.length)
    throw new KestrelError('PARAM_INVALID', 'rebalance: current and target differ in length')
  if (!(maxTurnover >= 0))
    throw new KestrelError('PARAM_INVALID', `rebalance(maxTurnover): expected ≥ 0, got ${maxTurnover}`)
  const full = turnover(current, target)
  if (full <= maxTurnover) return { weights: target.slice(), turnover: full, complete: true }
  const f = maxTurnover / full
  const weights = current.map((c, i) => c + f * (target[i]! - c))
  return { weights, turnover: maxTurnover, complete: false }
}
