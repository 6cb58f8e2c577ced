/**
 * Regime labels from the past only:
 * - volatility regime: where the current volatility ranks among its last `window` values (inclusive);
 *   0 = low (below the first quantile), 1 = normal, 2 = high (above the second). O(window) per bar.
 * - trend regime: t-ratio of the OLS slope of ln(close) on time over the last `window` bars; +1 above
 *   `threshold`, −1 below −threshold, else 0. O(window) per bar.
 */
import { intParam, numParam } from '../common/params.ts'

/** Options of {@link volatilityRegime}. */
export interface VolRegimeOptions {
  readonly window: number
  /** Rank cut-offs as fractions. Default [1/3, 2/3]. */
  readonly quantiles?: readonly [number, number]
}

/** Streaming volatility regime. */
export class VolatilityRegime {
  private readonly buf: Float64Array
  private n = 0
  private readonly q: readonly [number, number]
  constructor(opts: VolRegimeOptions) {
    this.buf = new Float64Array(intParam('volatilityRegime(window)', opts.window, 2))
    this.q = opts.quantiles ?? [1 / 3, 2 / 3]
    numParam('volatilityRegime(quantiles[0])', this.q[0], 0, 1)
    numParam('volatilityRegime(quantiles[1])', this.q[1], this.q[0], 1)
  }
  /** Adds a volatility value; returns 0/1/2 (NaN for NaN input or before `window` values). */
  update(vol: number): number {
    if (Number.isNaN(vol)) return NaN
    const w = this.buf.length
    this.buf[this.n % w] = vol
    this.n++
    if (this.n < w) return NaN
    let below = 0
    for (let i = 0; i < w; i++) if (this.buf[i]! < vol) below++
    const rank = below / (w - 1)
    return rank < this.q[0] ? 0 : rank <= this.q[1] ? 1 : 2
  }
  reset(): void {
    this.n = 0
  }
}

/** Batch volatility regime labels. */
export function volatilityRegime(vol: Float64Array, opts: VolRegimeOptions): Float64Array {
  const s = new VolatilityRegime(opts)
  return vol.map((v) => s.update(v))
}

/** Streaming trend regime; `update` returns [label, tStat] (reused array). */
export class TrendRegime {
  private readonly buf: Float64Array
  private n = 0
  private readonly out = new Float64Array(2)
  readonly threshold: number
  constructor(window: number, threshold = 2) {
    this.buf = new Float64Array(intParam('trendRegime(window)', window, 3))
    this.threshold = numParam('trendRegime(threshold)', threshold, 0)
  }
  update(close: number): Float64Array {
    const w = this.buf.length
    this.buf[this.n % w] = Math.log(close)
    this.n++
    if (this.n < w) return this.out.fill(NaN)
    const xm = (w - 1) / 2
    let sy = 0
    for (let k = 0; k < w; k++) sy += this.buf[(this.n - w + k) % w]!
    const ym = sy / w
    let sxy = 0
    let sxx = 0
    let syy = 0
    for (let k = 0; k < w; k++) {
      const dy = this.buf[(this.n - w + k) % w]! - ym
      const dx = k - xm
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    const b = sxy / sxx
    const res = Math.max(0, syy - b * sxy) / (w - 2)
    const t = res > 0 ? b / Math.sqrt(res / sxx) : b === 0 ? 0 : Math.sign(b) * Infinity
    this.out[0] = Number.isNaN(t) ? NaN : t > this.threshold ? 1 : t < -this.threshold ? -1 : 0
    this.out[1] = t
    return this.out
  }
  reset(): void {
    this.n = 0
  }
}

/** Batch trend regime: `label` (−1/0/+1) and the slope's `tStat`. */
export function trendRegime(
  close: Float64Array,
  window: number,
  threshold = 2,
): { label: Float64Array; tStat: Float64Array } {
  const s = new TrendRegime(window, threshold)
  const label = new Float64Array(close.length)
  const tStat = new Float64Array(close.length)
  for (let i = 0; i < close.length; i++) {
    const v = s.update(close[i]!)
    label[i] = v[0]!
    tStat[i] = v[1]!
  }
  return { label, tStat }
}
