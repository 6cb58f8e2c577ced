/**
 * MacKinnon's response surfaces for unit-root and Engle-Granger cointegration tests, for N = 1…6 integrated
 * variables (N = 1: the Dickey-Fuller test; N = 2: a pair).
 *
 * - p-values: MacKinnon, J. G. (1994), "Approximate asymptotic distribution functions for unit-root and
 *   cointegration tests", Journal of Business & Economic Statistics 12(2), 167-176, Tables 3 and 4: Φ of a
 *   polynomial in τ, one polynomial below τ* and another above it, 0 below τ_min and 1 above τ_max.
 * - critical values: MacKinnon, J. G. (2010), "Critical values for cointegration tests", Queen's Economics
 *   Department Working Paper 1227, Table 2 (constant); the no-constant N = 1 row is from MacKinnon (1996),
 *   "Numerical distribution functions for unit root and cointegration tests", J. Applied Econometrics 11.
 *   cv(T) = β∞ + β₁/T + β₂/T² + β₃/T³.
 * These are the published constants statsmodels' `mackinnonp` and `mackinnoncrit` also use.
 */
import { KestrelError, normCdf } from '../../core/index.ts'

/** Deterministic terms of a Dickey-Fuller regression: `c` a constant, `n` none. */
export type AdfRegression = 'c' | 'n'

/** Critical values at 1 %, 5 % and 10 %. */
export interface CriticalValues {
  readonly '1%': number
  readonly '5%': number
  readonly '10%': number
}

interface PTable {
  readonly tauStar: readonly number[]
  readonly tauMin: readonly number[]
  readonly tauMax: readonly number[]
  /** Coefficients γ₀, γ₁, γ₂ (ascending powers of τ) for τ ≤ τ*. */
  readonly small: readonly (readonly number[])[]
  /** Coefficients γ₀…γ₃ for τ > τ*. */
  readonly large: readonly (readonly number[])[]
}

// MacKinnon (1994) Table 3 (τ*, τ_min, τ_max) and Table 4 (coefficients), rows N = 1…6. The published
// small-p γ₂ are ×100 and the large-p γ₁, γ₂ ×10, γ₃ ×100; the scale is applied below.
const P94: Readonly<Record<AdfRegression, PTable>> = {
  n: {
    tauStar: [-1.04, -1.53, -2.68, -3.09, -3.07, -3.77],
    tauMin: [-19.04, -19.62, -21.21, -23.25, -21.63, -25.74],
    tauMax: [Infinity, 1.51, 0.86, 0.88, 1.05, 1.24],
    small: [
      [0.6344, 1.2378, 3.2496],
      [1.9129, 1.3857, 3.5322],
      [2.7648, 1.4502, 3.4186],
      [3.4336, 1.4835, 3.19],
      [4.0999, 1.5533, 3.59],
      [4.5388, 1.5344, 2.9807],
    ],
    large: [
      [0.4797, 9.3557, -0.6999, 3.3066],
      [1.5578, 8.558, -2.083, -3.3549],
      [2.2268, 6.8093, -3.2362, -5.4448],
      [2.7654, 6.4502, -3.0811, -4.4946],
      [3.2684, 6.8051, -2.6778, -3.4972],
      [3.7268, 7.167, -2.3648, -2.8288],
    ],
  },
  c: {
    tauStar: [-1.61, -2.62, -3.13, -3.47, -3.78, -3.93],
    tauMin: [-18.83, -18.86, -23.48, -28.07, -25.96, -23.27],
    tauMax: [2.74, 0.92, 0.55, 0.61, 0.79, 1],
    small: [
      [2.1659, 1.4412, 3.8269],
      [2.92, 1.5012, 3.9796],
      [3.4699, 1.4856, 3.164],
      [3.9673, 1.4777, 2.6315],
      [4.5509, 1.5338, 2.9545],
      [5.1399, 1.6036, 3.4445],
    ],
    large: [
      [1.7339, 9.3202, -1.2745, -1.0368],
      [2.1945, 6.4695, -2.9198, -4.2377],
      [2.5893, 4.5168, -3.6529, -5.0074],
      [3.0387, 4.5452, -3.3666, -4.1921],
      [3.5049, 5.2098, -2.9158, -3.3468],
      [3.9489, 5.8933, -2.5359, -2.721],
    ],
  },
}
const SMALL_SCALE = [1, 1, 1e-2]
const LARGE_SCALE = [1, 1e-1, 1e-1, 1e-2]

// MacKinnon (2010) Table 2, constant, N = 1…6; each row: 1 %, 5 %, 10 % as [β∞, β₁, β₂, β₃].
const CRIT_C: readonly (readonly (readonly number[])[])[] = [
  [
    [-3.43035, -6.5393, -16.786, -79.433],
    [-2.86154, -2.8903, -4.234, -40.04],
    [-2.56677, -1.5384, -2.809, 0],
  ],
  [
    [-3.89644, -10.9519, -33.527, 0],
    [-3.33613, -6.1101, -6.823, 0],
    [-3.04445, -4.2412, -2.72, 0],
  ],
  [
    [-4.29374, -14.4354, -33.195, 47.433],
    [-3.74066, -8.5632, -10.852, 27.982],
    [-3.45218, -6.2143, -3.718, 0],
  ],
  [
    [-4.64332, -18.1031, -37.972, 0],
    [-4.096, -11.2349, -11.175, 0],
    [-3.8102, -8.3931, -4.137, 0],
  ],
  [
    [-4.95756, -21.8883, -45.142, 0],
    [-4.41519, -14.0405, -12.575, 0],
    [-4.13157, -10.7417, -3.784, 0],
  ],
  [
    [-5.24568, -25.6688, -57.737, 88.639],
    [-4.70693, -16.9178, -17.492, 60.007],
    [-4.42501, -13.1875, -5.104, 27.877],
  ],
]
// MacKinnon (1996), no constant, N = 1 only (not updated in 2010).
const CRIT_N1: readonly (readonly number[])[] = [
  [-2.56574, -2.2358, -3.627, 0],
  [-1.941, -0.2686, -3.365, 31.223],
  [-1.61682, 0.2656, -2.714, 25.364],
]

function checkN(what: string, N: number, max: number): void {
  if (!Number.isInteger(N) || N < 1 || N > max)
    throw new KestrelError('PARAM_INVALID', `${what}: N must be an integer in 1…${max}, got ${N}`, { N })
}

/**
 * MacKinnon (1994) approximate asymptotic p-value of a Dickey-Fuller τ statistic: `regression` is the
 * deterministic part of the test regression (for Engle-Granger, the one of the cointegrating regression) and
 * `N` the number of I(1) variables (1 for a unit-root test, 2 for a pair).
 */
export function mackinnonP(stat: number, regression: AdfRegression = 'c', N = 1): number {
  checkN('mackinnonP', N, 6)
  if (Number.isNaN(stat)) return NaN
  const t = P94[regression]
  if (stat > t.tauMax[N - 1]!) return 1
  if (stat < t.tauMin[N - 1]!) return 0
  const small = stat <= t.tauStar[N - 1]!
  const c = small ? t.small[N - 1]! : t.large[N - 1]!
  const scale = small ? SMALL_SCALE : LARGE_SCALE
  let z = 0
  for (let i = c.length - 1; i >= 0; i--) z = z * stat + c[i]! * scale[i]!
  return normCdf(z)
}

/**
 * MacKinnon (2010) finite-sample critical values for `nobs` observations (Infinity: the asymptotic ones).
 * With no constant only N = 1 is published; other N give NaN.
 */
export function mackinnonCrit(nobs: number, regression: AdfRegression = 'c', N = 1): CriticalValues {
  checkN('mackinnonCrit', N, 6)
  const rows = regression === 'c' ? CRIT_C[N - 1]! : N === 1 ? CRIT_N1 : undefined
  if (rows === undefined) return { '1%': NaN, '5%': NaN, '10%': NaN }
  const f = (b: readonly number[]) => b[0]! + b[1]! / nobs + b[2]! / nobs ** 2 + b[3]! / nobs ** 3
  return { '1%': f(rows[0]!), '5%': f(rows[1]!), '10%': f(rows[2]!) }
}
