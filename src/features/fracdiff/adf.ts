/**
 * Augmented Dickey-Fuller test with a constant: Δy_t = α + β y_{t−1} + Σ_{i=1}^{p} γ_i Δy_{t−i} + ε_t; the
 * statistic is the t-ratio of β. The lag p is chosen by AIC over 0…maxLag with every candidate fitted on the
 * same sample, then the chosen model is refitted on all the rows it can use (as statsmodels' `adfuller`).
 * p-values: MacKinnon (1994) response surface; critical values: MacKinnon (2010), constant, N = 1.
 */
import { KestrelError } from '../../core/index.ts'
import { intParam } from '../common/params.ts'
import { normCdf } from '../../core/index.ts'
import { MomentAccumulator, olsFromMoments } from '../common/ols.ts'

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
  readonly critical: { readonly '1%': number; readonly '5%': number; readonly '10%': number }
  /** AIC of the chosen lag in the selection pass (NaN when the lag was fixed). */
  readonly aic: number
}

/** Options of {@link adfTest}. */
export interface AdfOptions {
  /** Largest lag considered. Default {@link defaultMaxLag}. */
  readonly maxLag?: number
  /** 'aic' picks the lag by AIC (default); 'fixed' uses maxLag. */
  readonly autolag?: 'aic' | 'fixed'
}

// MacKinnon (1994), Table 3/4 as used by statsmodels.tsa.adfvalues, constant, N = 1.
const TAU_MAX = 2.74
const TAU_MIN = -18.83
const TAU_STAR = -1.61
const SMALLP = [2.1659, 1.4412, 0.038269]
const LARGEP = [1.7339, 0.93202, -0.12745, -0.010368]
// MacKinnon (2010), Table 2, constant, N = 1: cv(T) = b0 + b1/T + b2/T² + b3/T³.
const CRIT_2010 = {
  '1%': [-3.43035, -6.5393, -16.786, -79.433],
  '5%': [-2.86154, -2.8903, -4.234, -40.04],
  '10%': [-2.56677, -1.5384, -2.809, 0],
} as const

/** MacKinnon (1994) approximate p-value of an ADF statistic (constant, one variable). */
export function mackinnonP(stat: number): number {
  if (Number.isNaN(stat)) return NaN
  if (stat > TAU_MAX) return 1
  if (stat < TAU_MIN) return 0
  const c = stat <= TAU_STAR ? SMALLP : LARGEP
  let z = 0
  for (let i = c.length - 1; i >= 0; i--) z = z * stat + c[i]!
  return normCdf(z)
}

/** MacKinnon (2010) critical values for `nobs` observations (constant, one variable). */
export function mackinnonCrit(nobs: number): AdfResult['critical'] {
  const f = (b: readonly number[]) => b[0]! + b[1]! / nobs + b[2]! / nobs ** 2 + b[3]! / nobs ** 3
  return { '1%': f(CRIT_2010['1%']), '5%': f(CRIT_2010['5%']), '10%': f(CRIT_2010['10%']) }
}

/** Moments of the ADF design with `lag` lagged differences, rows t = lag+1 … n−1 (columns: 1, y_{t−1}, Δy_{t−i}). */
function adfMoments(y: Float64Array, lag: number, firstRow: number) {
  const K = 2 + lag
  const acc = new MomentAccumulator(K)
  const row = new Float64Array(K)
  row[0] = 1
  for (let t = firstRow; t < y.length; t++) {
    row[1] = y[t - 1]!
    for (let i = 1; i <= lag; i++) row[1 + i] = y[t - i]! - y[t - i - 1]!
    acc.add(row, y[t]! - y[t - 1]!)
  }
  return acc.moments()
}

/** Default max lag, statsmodels' int(ceil(12 · (n/100)^{1/4})), capped so the regression keeps rows. */
export function defaultMaxLag(n: number): number {
  return Math.min(Math.ceil(12 * (n / 100) ** 0.25), Math.floor(n / 2) - 2)
}

/** Runs the ADF test (constant only) on `y`. NaN values are not allowed: drop the warm-up first. */
export function adfTest(y: Float64Array, opts: AdfOptions = {}): AdfResult {
  const n = y.length
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(y[i]!))
      throw new KestrelError('PARAM_INVALID', `adfTest: value ${i} is ${y[i]}; drop NaN/inf before testing`, {
        index: i,
      })
  if (n < 10) throw new KestrelError('PARAM_INVALID', `adfTest: needs at least 10 values, got ${n}`, { n })
  const maxLag = opts.maxLag ?? defaultMaxLag(n)
  intParam('adfTest(maxLag)', maxLag, 0)
  if (n - maxLag - 1 < maxLag + 4)
    throw new KestrelError('PARAM_INVALID', `adfTest(maxLag): ${maxLag} is too large for ${n} values`, { maxLag, n })
  let lag = maxLag
  let aic = NaN
  if ((opts.autolag ?? 'aic') === 'aic') {
    const m = adfMoments(y, maxLag, maxLag + 1)
    let best = Infinity
    for (let p = 0; p <= maxLag; p++) {
      const fit = olsFromMoments(m, 2 + p)
      if (fit.aic < best) {
        best = fit.aic
        lag = p
      }
    }
    aic = best
  }
  const fit = olsFromMoments(adfMoments(y, lag, lag + 1))
  const statistic = fit.beta[1]! / fit.se[1]!
  return { statistic, pValue: mackinnonP(statistic), usedLag: lag, nobs: fit.n, critical: mackinnonCrit(fit.n), aic }
}
