/**
 * Shared test vectors: empyrical's own (quantopian/empyrical `tests/test_stats.py`) and a deterministic
 * 100-return series whose reference statistics were computed with numpy 2.4 / scipy 1.17.
 */
import assert from 'node:assert/strict'

/** empyrical `mixed_returns` without its leading NaN (empyrical's nan-aware functions skip it). */
export const MIXED8 = [1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100)
/** empyrical `mixed_returns` with the NaN as 0 (what `cum_returns` does with it; `len` counts it). */
export const MIXED9 = [0, ...MIXED8]
/** empyrical `weekly_returns` / `monthly_returns` (same numbers). */
export const WEEKLY = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100)
export const POSITIVE = [1, 2, 1, 1, 1, 1, 1, 1, 1].map((x) => x / 100)
export const NEGATIVE = [0, -6, -7, -1, -9, -2, -6, -8, -5].map((x) => x / 100)
export const DF_ONE = [
  -0.00171614, 0.01322056, 0.03063862, -0.01422057, -0.00489779, 0.01268925, -0.03357711, 0.01797036,
]
export const DF_TWO = [0.01846232, 0.00793951, -0.01448395, 0.00422537, -0.00339611, 0.03756813, 0.0151531, 0.03549769]

/** r[i] = 0.01 sin(1.7 i) + 0.003 cos(0.3 i) − 0.0005 for i < 100, with two shocks (r[17] = −4.5%, r[63] = 3.8%). */
export function wave100(): Float64Array {
  const r = new Float64Array(100)
  for (let i = 0; i < 100; i++) r[i] = 0.01 * Math.sin(i * 1.7) + 0.003 * Math.cos(i * 0.3) - 0.0005
  r[17] = -0.045
  r[63] = 0.038
  return r
}

/** numpy / scipy reference values of {@link wave100}. */
export const WAVE100 = {
  std1: 0.009468927744267028,
  std0: 0.009421464148416018,
  pct: [
    [0, -0.045],
    [1, -0.01380242222725063],
    [5, -0.011878251600609738],
    [37.5, -0.004442862804159691],
    [50, -0.0005877112073331323],
    [95, 0.01143118757251556],
    [99, 0.01253983099618262],
    [100, 0.038],
  ] as const,
  skew: -0.33371420906639415,
  kurtosis: 5.398248986880608,
  cvar95: -0.019472093396847374,
  cvar99: -0.045,
  pvar95: -0.01624591862335156,
  pvar99: -0.022698938407174442,
  pcvar95: -0.0202025970113145,
  cfvar95: -0.01609278944983535,
  cfvar99: -0.036575829652745626,
  /** scipy.integrate.quad of the Cornish-Fisher quantile over (0, 0.05), divided by 0.05. */
  cfcvar95: -0.029215732609429595,
  stability: 0.29505822890584715,
  tail: 0.9623628086753753,
  maxDrawdown: -0.09497133720260753,
  ulcer: 0.06390126910800441,
  drawdownDuration: 94,
  sharpePerPeriod: -0.07085474701807896,
  sharpe252: -1.1247842389093938,
  psr: 0.23881710357543384,
  total: -0.06906844698250536,
  annualReturn252: -0.16502642483035068,
}

/** Asserts |actual − expected| ≤ tol (NaN equals NaN, ±Infinity equal themselves). */
export function assertClose(actual: number, expected: number, tol = 1e-12, what = ''): void {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`)
  if (!Number.isFinite(expected)) return assert.equal(actual, expected, what)
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, got ${actual} (tol ${tol})`)
}
