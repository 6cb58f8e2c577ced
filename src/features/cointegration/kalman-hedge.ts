/**
 * Kalman-filter hedge ratio: the state θ_t = (α_t, β_t) of y_t = α_t + β_t·x_t + v_t, v ~ N(0, R), follows a
 * random walk θ_t = θ_{t−1} + w_t, w ~ N(0, q·R·I). `q` (the process noise relative to the observation
 * noise) sets how fast the hedge ratio may drift; with q = 0 the filter is recursive least squares.
 *
 * Initialisation is exact-diffuse: the first `warmup` points are fitted by OLS, θ is their estimate and P its
 * covariance R·(X'X)⁻¹, so with q = 0 the filtered state after t points is the OLS fit of those t points (up
 * to rounding) and R cancels from the state: it only scales the forecast variance. R defaults to the warm-up's
 * residual variance ssr/(warmup − 2).
 *
 * No look-ahead: {@link KalmanHedge.update} returns the one-step forecast made from θ_{t|t−1} (the hedge
 * before seeing bar t) with its innovation and variance, then updates θ with bar t.
 */
import { KestrelError } from '../../core/index.ts'
import { intParam, numParam, sameLength } from '../common/params.ts'

/** Options of {@link KalmanHedge} and {@link kalmanHedge}. */
export interface KalmanHedgeOptions {
  /** Process noise relative to the observation noise, q ≥ 0. Default 1e-4. */
  readonly q?: number
  /** Points fitted by OLS to start the filter (≥ 3). Default 20. */
  readonly warmup?: number
  /** Observation noise variance R; default the warm-up residual variance. */
  readonly observationVariance?: number
}

/** What one update hands back. */
export interface KalmanStep {
  /** Intercept and hedge ratio before this point (the ones that forecast it). */
  readonly alphaPrior: number
  readonly betaPrior: number
  /** y − (α + β·x) with the prior state: the spread's surprise. */
  readonly innovation: number
  /** Its variance F = h'P⁻h + R. */
  readonly variance: number
  /** State after this point. */
  readonly alpha: number
  readonly beta: number
}

interface State {
  a: number
  b: number
  // P = [[p00, p01], [p01, p11]]
  p00: number
  p01: number
  p11: number
  r: number
}

/** One predict + update of the filter: the recurrence both the class and the batch function use. */
function step(s: State, q: number, x: number, y: number): KalmanStep {
  const qr = q * s.r
  const p00 = s.p00 + qr
  const p01 = s.p01
  const p11 = s.p11 + qr
  const alphaPrior = s.a
  const betaPrior = s.b
  const innovation = y - (alphaPrior + betaPrior * x)
  // Ph = P⁻·(1, x)
  const ph0 = p00 + p01 * x
  const ph1 = p01 + p11 * x
  const variance = ph0 + ph1 * x + s.r
  const k0 = ph0 / variance
  const k1 = ph1 / variance
  s.a = alphaPrior + k0 * innovation
  s.b = betaPrior + k1 * innovation
  // P = P⁻ − K·(Ph)' (symmetric by construction)
  s.p00 = p00 - k0 * ph0
  s.p01 = p01 - k0 * ph1
  s.p11 = p11 - k1 * ph1
  return { alphaPrior, betaPrior, innovation, variance, alpha: s.a, beta: s.b }
}

/** OLS of the warm-up and its covariance: the exact-diffuse start. */
function initState(xs: ArrayLike<number>, ys: ArrayLike<number>, r: number | undefined): State {
  const n = xs.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += xs[i]!
    my += ys[i]!
  }
  mx /= n
  my /= n
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2
    sxy += (xs[i]! - mx) * (ys[i]! - my)
  }
  if (!(sxx > 0)) throw new KestrelError('PARAM_INVALID', 'kalmanHedge: x is constant over the warm-up', { n })
  const b = sxy / sxx
  const a = my - b * mx
  let ssr = 0
  for (let i = 0; i < n; i++) ssr += (ys[i]! - a - b * xs[i]!) ** 2
  const rr = r ?? ssr / (n - 2)
  if (!(rr > 0))
    throw new KestrelError('PARAM_INVALID', 'kalmanHedge: the warm-up fits exactly; give observationVariance', { n })
  // (X'X)⁻¹ of [1, x]: [[Σx², −Σx], [−Σx, n]] / (n·sxx), with Σx² = sxx + n·mx²
  const sx2 = sxx + n * mx * mx
  const det = n * sxx
  return { a, b, p00: (rr * sx2) / det, p01: (-rr * n * mx) / det, p11: (rr * n) / det, r: rr }
}

function checkOptions(o: KalmanHedgeOptions): { q: number; warmup: number } {
  const q = numParam('kalmanHedge(q)', o.q ?? 1e-4, 0)
  const warmup = intParam('kalmanHedge(warmup)', o.warmup ?? 20, 3)
  if (o.observationVariance !== undefined) numParam('kalmanHedge(observationVariance)', o.observationVariance, 1e-300)
  return { q, warmup }
}

/** Streaming Kalman hedge ratio: O(1) per update after the warm-up. */
export class KalmanHedge {
  private readonly q: number
  private readonly warmup: number
  private readonly xs: number[] = []
  private readonly ys: number[] = []
  private s: State | undefined
  constructor(private readonly opts: KalmanHedgeOptions = {}) {
    const c = checkOptions(opts)
    this.q = c.q
    this.warmup = c.warmup
  }
  /** Feeds one point; undefined during the warm-up (the point completing it starts the filter). */
  update(x: number, y: number): KalmanStep | undefined {
    if (this.s) return step(this.s, this.q, x, y)
    this.xs.push(x)
    this.ys.push(y)
    if (this.xs.length === this.warmup) {
      this.s = initState(this.xs, this.ys, this.opts.observationVariance)
      this.xs.length = 0
      this.ys.length = 0
    }
    return undefined
  }
  /** True once the filter runs. */
  get isStable(): boolean {
    return this.s !== undefined
  }
  /** Current intercept and hedge ratio (NaN before the warm-up ends). */
  get alpha(): number {
    return this.s?.a ?? NaN
  }
  get beta(): number {
    return this.s?.b ?? NaN
  }
}

/** Batch Kalman filter over a pair: each array holds the value after point t (NaN during the warm-up). */
export interface KalmanHedgeSeries {
  readonly alpha: Float64Array
  readonly beta: Float64Array
  /** One-step innovations y_t − α_{t|t−1} − β_{t|t−1}·x_t and their variances. */
  readonly innovation: Float64Array
  readonly variance: Float64Array
}

/** Runs the filter over y and x (the same recurrence as {@link KalmanHedge}). */
export function kalmanHedge(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  opts: KalmanHedgeOptions = {},
): KalmanHedgeSeries {
  const n = sameLength('kalmanHedge', y, x)
  const { q, warmup } = checkOptions(opts)
  if (n < warmup)
    throw new KestrelError('PARAM_INVALID', `kalmanHedge: needs at least warmup = ${warmup} points, got ${n}`, { n })
  const out = {
    alpha: new Float64Array(n).fill(NaN),
    beta: new Float64Array(n).fill(NaN),
    innovation: new Float64Array(n).fill(NaN),
    variance: new Float64Array(n).fill(NaN),
  }
  const s = initState(
    Array.prototype.slice.call(x, 0, warmup),
    Array.prototype.slice.call(y, 0, warmup),
    opts.observationVariance,
  )
  out.alpha[warmup - 1] = s.a
  out.beta[warmup - 1] = s.b
  for (let t = warmup; t < n; t++) {
    const k = step(s, q, x[t]!, y[t]!)
    out.alpha[t] = k.alpha
    out.beta[t] = k.beta
    out.innovation[t] = k.innovation
    out.variance[t] = k.variance
  }
  return out
}
