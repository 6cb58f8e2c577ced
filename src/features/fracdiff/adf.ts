/**
 * Augmented Dickey-Fuller test: Δy_t = [α +] β y_{t−1} + Σ_{i=1}^{p} γ_i Δy_{t−i} + ε_t, with a constant α
 * (`regression: 'c'`, the default) or without one (`'n'`); the statistic is the t-ratio of β. The lag p is
 * chosen by AIC over 0…maxLag with every candidate fitted on the same sample (the rows maxLag+1 … n−1), then
 * the chosen model is refitted on all the rows it can use (as statsmodels' `adfuller` with autolag='AIC').
 * p-values: MacKinnon (1994) response surface; critical values: MacKinnon (2010), N = 1 (see mackinnon.ts).
 */
import { KestrelError } from '../../core/index.ts'
import { intParam } from '../common/params.ts'
import { MomentAccumulator, olsFromMoments } from '../common/ols.ts'
import { mackinnonCrit, mackinnonP, type AdfRegression, type CriticalValues } from './mackinnon.ts'

/** Result of {@link adfTest}. */
export interface AdfResult {
  /** t-ratio of β. */
  readonly statistic: number
  /** MacKinnon (1994) approximate p-value. */
  readonly pValue: number
  /** Lag p used. */
  readonly usedLag: number
  /** Observations in the final regression. */
  readonly nobs: number
  /** MacKinnon (2010) critical values for this nobs. */
  readonly critical: CriticalValues
  /** AIC of the chosen lag in the selection pass (NaN when the lag was fixed). */
  readonly aic: number
}

/** Options of {@link adfTest}. */
export interface AdfOptions {
  /** Largest lag considered. Default {@link defaultMaxLag}. */
  readonly maxLag?: number
  /** 'aic' picks the lag by AIC (default); 'fixed' uses maxLag. */
  readonly autolag?: 'aic' | 'fixed'
  /** Deterministic terms: 'c' a constant (default), 'n' none. */
  readonly regression?: AdfRegression
}

/**
 * Moments of the ADF design with `lag` lagged differences over rows t = firstRow … n−1; columns: [1,] y_{t−1},
 * Δy_{t−1} … Δy_{t−lag} (`d` = 1 with the constant, 0 without).
 */
function adfMoments(y: Float64Array, lag: number, firstRow: number, d: number) {
  const K = d + 1 + lag
  const acc = new MomentAccumulator(K)
  const row = new Float64Array(K)
  if (d === 1) row[0] = 1
  for (let t = firstRow; t < y.length; t++) {
    row[d] = y[t - 1]!
    for (let i = 1; i <= lag; i++) row[d + i] = y[t - i]! - y[t - i - 1]!
    acc.add(row, y[t]! - y[t - 1]!)
  }
  return acc.moments()
}

/**
 * Default max lag, statsmodels' ceil(12 · (n/100)^{1/4}), capped at ⌊n/2⌋ − d − 1 (d = 1 with a constant, 0
 * without) so the regression keeps rows.
 */
export function defaultMaxLag(n: number, regression: AdfRegression = 'c'): number {
  const d = regression === 'c' ? 1 : 0
  return Math.min(Math.ceil(12 * (n / 100) ** 0.25), Math.floor(n / 2) - d - 1)
}

/** Runs the ADF test on `y`. NaN values are not allowed: drop the warm-up first. */
export function adfTest(y: Float64Array, opts: AdfOptions = {}): AdfResult {
  const n = y.length
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(y[i]!))
      throw new KestrelError('PARAM_INVALID', `adfTest: value ${i} is ${y[i]}; drop NaN/inf before testing`, {
        index: i,
      })
  if (n < 10) throw new KestrelError('PARAM_INVALID', `adfTest: needs at least 10 values, got ${n}`, { n })
  const regression = opts.regression ?? 'c'
  const d = regression === 'c' ? 1 : 0
  const maxLag = opts.maxLag ?? defaultMaxLag(n, regression)
  intParam('adfTest(maxLag)', maxLag, 0)
  if (maxLag > Math.floor(n / 2) - d - 1)
    throw new KestrelError('PARAM_INVALID', `adfTest(maxLag): ${maxLag} is too large for ${n} values`, { maxLag, n })
  let lag = maxLag
  let aic = NaN
  if ((opts.autolag ?? 'aic') === 'aic') {
    const m = adfMoments(y, maxLag, maxLag + 1, d)
    let best = Infinity
    for (let p = 0; p <= maxLag; p++) {
      const fit = olsFromMoments(m, d + 1 + p)
      if (fit.aic < best) {
        best = fit.aic
        lag = p
      }
    }
    aic = best
  }
  const fit = olsFromMoments(adfMoments(y, lag, lag + 1, d))
  const statistic = fit.beta[d]! / fit.se[d]!
  return {
    statistic,
    pValue: mackinnonP(statistic, regression, 1),
    usedLag: lag,
    nobs: fit.n,
    critical: mackinnonCrit(fit.n, regression, 1),
    aic,
  }
}
