/**
 * Research-only statistics. The shared primitives (normal distribution, moments, percentiles) live in
 * `src/core/stats.ts`.
 */
import { mean } from '../../core/index.ts'

/** Pearson correlation of `y` against `x = 0, 1, …, n − 1` (the `r` of scipy.stats.linregress on a time index). */
export function correlationWithIndex(y: ArrayLike<number>): number {
  const n = y.length
  if (n < 2) return NaN
  const mx = (n - 1) / 2
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = i - mx
    const dy = y[i]! - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return syy === 0 ? NaN : 0
  return sxy / Math.sqrt(sxx * syy)
}
