/**
 * Half-life of mean reversion: OLS of Δe_t = α + β·e_{t−1} + ε_t, then −ln 2 / ln(1 + β), the bars an
 * AR(1) e_t = (1 + β)·e_{t−1} + … takes to close half a gap. The constant keeps the estimate right for a
 * spread whose mean is not exactly zero (a window of a longer spread).
 */
import { KestrelError } from '../../core/index.ts'

/**
 * Half-life in bars of the mean reversion of `e`. Infinity when β ≥ 0 (no mean reversion); NaN when β ≤ −1
 * (the series overshoots: 1 + β ≤ 0 has no logarithm).
 */
export function halfLife(e: ArrayLike<number>): number {
  const n = e.length - 1
  if (n < 3) throw new KestrelError('PARAM_INVALID', `halfLife: needs at least 4 values, got ${e.length}`, { n })
  let mx = 0
  let my = 0
  for (let t = 1; t <= n; t++) {
    mx += e[t - 1]!
    my += e[t]! - e[t - 1]!
  }
  mx /= n
  my /= n
  let sxx = 0
  let sxy = 0
  for (let t = 1; t <= n; t++) {
    const dx = e[t - 1]! - mx
    sxx += dx * dx
    sxy += dx * (e[t]! - e[t - 1]! - my)
  }
  if (!(sxx > 0)) throw new KestrelError('PARAM_INVALID', 'halfLife: the series is constant', { n })
  const beta = sxy / sxx
  if (beta >= 0) return Infinity
  if (beta <= -1) return NaN
  return -Math.LN2 / Math.log1p(beta)
}
