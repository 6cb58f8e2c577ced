/**
 * Hedge (exponentiated gradient) with a floor, after Freund & Schapire (1997) and Herbster & Warmuth's fixed
 * share (1998): each expert's weight is multiplied by exp(η · reward), the weights are renormalised, then mixed
 * with the uniform distribution, w ← (1 − α)·w + α/N, so no expert's weight falls below α/N and one that starts
 * to do well can win back weight in a bounded number of steps.
 */
import { KestrelError } from '../../core/index.ts'

/**
 * One Hedge step in place: `w[i] ∝ w[i]·exp(eta·rewards[i])`, then `w = (1 − floor)·w + floor/N`. The weights
 * stay a distribution (sum 1, each ≥ floor/N). A non-finite reward counts as 0. Returns `w`.
 */
export function hedgeUpdate(w: Float64Array, rewards: ArrayLike<number>, eta: number, floor: number): Float64Array {
  const n = w.length
  if (rewards.length !== n)
    throw new KestrelError('PARAM_INVALID', `hedgeUpdate: ${rewards.length} rewards for ${n} weights`)
  if (!(eta >= 0 && Number.isFinite(eta)))
    throw new KestrelError('PARAM_INVALID', `hedgeUpdate: eta must be a finite number >= 0, got ${eta}`)
  if (!(floor >= 0 && floor <= 1))
    throw new KestrelError('PARAM_INVALID', `hedgeUpdate: floor must be in [0, 1], got ${floor}`)
  if (n === 0) return w
  // Subtract the largest exponent first: exp never overflows, and the best expert's factor is exactly 1.
  let top = -Infinity
  for (let i = 0; i < n; i++) {
    const r = rewards[i]!
    const e = eta * (Number.isFinite(r) ? r : 0)
    if (e > top) top = e
  }
  let sum = 0
  for (let i = 0; i < n; i++) {
    const r = rewards[i]!
    const v = w[i]! * Math.exp(eta * (Number.isFinite(r) ? r : 0) - top)
    w[i] = v
    sum += v
  }
  const base = floor / n
  for (let i = 0; i < n; i++) w[i] = (1 - floor) * (sum > 0 ? w[i]! / sum : 1 / n) + base
  return w
}
