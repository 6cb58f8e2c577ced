/**
 * Engle-Granger two-step cointegration test of a pair, as statsmodels' `coint(y, x, trend='c')`:
 * 1. OLS y_t = a + b·x_t + e_t (the hedge ratio b and intercept a);
 * 2. ADF on the residuals e_t without a constant (they have mean zero by construction), the lag chosen by AIC
 *    up to maxLag on a common sample and then refitted;
 * the p-value is MacKinnon's (1994) surface for N = 2 variables with a constant, the critical values
 * MacKinnon's (2010) for N = 2 with nobs − 1 observations (Stata's `egranger` convention, which statsmodels
 * follows). The half-life of the residuals' mean reversion comes with it.
 */
import { KestrelError } from '../../core/index.ts'
import { sameLength } from '../common/params.ts'
import { adfTest, mackinnonCrit, mackinnonP, type CriticalValues } from '../fracdiff/index.ts'
import { halfLife } from './half-life.ts'

/** Intercept, slope and fit of a simple regression y = a + b·x. */
export interface LineFit {
  readonly intercept: number
  readonly slope: number
  /** Coefficient of determination. */
  readonly rSquared: number
}

/** OLS of y on a constant and x (two-pass, centred: no cancellation on price levels). */
export function fitLine(y: ArrayLike<number>, x: ArrayLike<number>): LineFit {
  const n = sameLength('fitLine', y, x)
  if (n < 3) throw new KestrelError('PARAM_INVALID', `fitLine: needs at least 3 points, got ${n}`, { n })
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i]!
    my += y[i]!
  }
  mx /= n
  my /= n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx
    const dy = y[i]! - my
    sxx += dx * dx
    sxy += dx * dy
    syy += dy * dy
  }
  if (!(sxx > 0)) throw new KestrelError('PARAM_INVALID', 'fitLine: x is constant', { n })
  const slope = sxy / sxx
  const rSquared = syy > 0 ? (slope * sxy) / syy : 1
  return { intercept: my - slope * mx, slope, rSquared }
}

/** Options of {@link engleGranger}. */
export interface EngleGrangerOptions {
  /** Largest ADF lag; default ceil(12·(n/100)^¼) capped at ⌊n/2⌋ − 1. 0 gives the plain Dickey-Fuller test. */
  readonly maxLag?: number
  /** 'aic' picks the lag by AIC (default); 'fixed' uses maxLag. */
  readonly autolag?: 'aic' | 'fixed'
}

/** Result of {@link engleGranger}. */
export interface EngleGrangerResult {
  /** b of y = a + b·x: units of x per unit of y in the spread y − b·x. */
  readonly hedgeRatio: number
  /** a of y = a + b·x. */
  readonly intercept: number
  /** ADF τ of the residuals; −Infinity when y and x are (almost) exactly collinear. */
  readonly statistic: number
  /** MacKinnon (1994) p-value, N = 2 with a constant (0 when collinear). */
  readonly pValue: number
  /** ADF lag used. */
  readonly lags: number
  /** Observations of the pair. */
  readonly nobs: number
  /** MacKinnon (2010) critical values, N = 2, constant, nobs − 1. */
  readonly critical: CriticalValues
  /** Half-life of the residuals in bars (see {@link halfLife}); NaN for a collinear pair. */
  readonly halfLife: number
  /** The residuals e_t = y_t − a − b·x_t. */
  readonly residuals: Float64Array
}

/** statsmodels' collinearity threshold: R² ≥ 1 − 100·√ε makes the test meaningless. */
const COLLINEAR_R2 = 1 - 100 * Math.sqrt(Number.EPSILON)

/** Engle-Granger test that y and x (equal lengths, finite) are cointegrated. */
export function engleGranger(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  opts: EngleGrangerOptions = {},
): EngleGrangerResult {
  const n = sameLength('engleGranger', y, x)
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(y[i]!) || !Number.isFinite(x[i]!))
      throw new KestrelError('PARAM_INVALID', `engleGranger: value ${i} is not finite (y ${y[i]}, x ${x[i]})`, {
        index: i,
      })
  const fit = fitLine(y, x)
  const e = new Float64Array(n)
  for (let i = 0; i < n; i++) e[i] = y[i]! - fit.intercept - fit.slope * x[i]!
  const critical = mackinnonCrit(n - 1, 'c', 2)
  const base = { hedgeRatio: fit.slope, intercept: fit.intercept, nobs: n, critical, residuals: e }
  if (fit.rSquared >= COLLINEAR_R2) return { ...base, statistic: -Infinity, pValue: 0, lags: 0, halfLife: NaN }
  const adf = adfTest(e, { regression: 'n', maxLag: opts.maxLag, autolag: opts.autolag ?? 'aic' })
  return {
    ...base,
    statistic: adf.statistic,
    pValue: mackinnonP(adf.statistic, 'c', 2),
    lags: adf.usedLag,
    halfLife: halfLife(e),
  }
}
