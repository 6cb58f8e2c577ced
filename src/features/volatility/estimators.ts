/**
 * Range-based and close-to-close volatility estimators over a rolling window of `window` bars. Each returns σ
 * per bar times √`periodsPerYear` (1 = per-bar σ; 252 for daily bars → annual σ). Batch kernels run the same
 * streaming class over the series, so the two agree exactly. NaN in any input bar of the window gives NaN.
 *
 * Formulas (per bar i; o = ln(O_i/C_{i−1}), u = ln(H_i/O_i), d = ln(L_i/O_i), c = ln(C_i/O_i)):
 * - close-to-close: sample variance (n−1) of r_i = ln(C_i/C_{i−1}).
 * - Parkinson (1980): σ² = Σ ln(H/L)² / (4 n ln 2).
 * - Garman-Klass (1980): σ² = (1/n) Σ [½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)²].
 * - Rogers-Satchell (1991): σ² = (1/n) Σ [u(u − c) + d(d − c)].
 * - Yang-Zhang (2000): σ² = σ_o² + k σ_c² + (1 − k) σ_RS², k = 0.34 / (1.34 + (n+1)/(n−1)), with σ_o², σ_c²
 *   the sample variances of o and c over the window and σ_RS² the Rogers-Satchell mean.
 */
import { RollingSum } from '../common/rolling.ts'
import { intParam, numParam, sameLength } from '../common/params.ts'

/** Options shared by the estimators. */
export interface VolOptions {
  /** Bars in the rolling window (≥ 2). */
  readonly window: number
  /** Annualisation: σ is multiplied by √periodsPerYear. Default 1 (per-bar σ). */
  readonly periodsPerYear?: number
}

/** OHLC input of one bar. */
export interface Ohlc {
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
}

/** Kinds of rolling estimator. */
export type VolEstimator = 'closeToClose' | 'parkinson' | 'garmanKlass' | 'rogersSatchell' | 'yangZhang'

const LN2 = Math.LN2
const GK_C = 2 * LN2 - 1

/** Streaming twin of the rolling estimators: O(1) per update; `value` is NaN inside the window. */
export class RollingVol {
  readonly window: number
  readonly scale: number
  private readonly a: RollingSum
  private readonly b: RollingSum
  private readonly cc: RollingSum
  private prevClose = NaN
  private last = NaN

  constructor(
    readonly kind: VolEstimator,
    opts: VolOptions,
  ) {
    this.window = intParam(`${kind}(window)`, opts.window, 2)
    this.scale = Math.sqrt(numParam(`${kind}(periodsPerYear)`, opts.periodsPerYear ?? 1, Number.MIN_VALUE))
    this.a = new RollingSum(this.window)
    this.b = new RollingSum(this.window)
    this.cc = new RollingSum(this.window)
  }

  /** Adds one bar; returns σ (NaN until the window is full). */
  update(bar: Ohlc): number {
    const { open: O, high: H, low: L, close: C } = bar
    const pc = this.prevClose
    this.prevClose = C
    switch (this.kind) {
      case 'closeToClose': {
        if (!this.seen) return this.first()
        this.a.push(Math.log(C / pc))
        return (this.last = this.a.full ? Math.sqrt(this.a.variance(1)) * this.scale : NaN)
      }
      case 'parkinson': {
        const hl = Math.log(H / L)
        this.a.push(hl * hl)
        return (this.last = this.a.full ? Math.sqrt(this.a.mean() / (4 * LN2)) * this.scale : NaN)
      }
      case 'garmanKlass': {
        const hl = Math.log(H / L)
        const co = Math.log(C / O)
        this.a.push(0.5 * hl * hl - GK_C * co * co)
        return (this.last = this.a.full ? Math.sqrt(Math.max(0, this.a.mean())) * this.scale : NaN)
      }
      case 'rogersSatchell': {
        this.a.push(rsTerm(O, H, L, C))
        return (this.last = this.a.full ? Math.sqrt(Math.max(0, this.a.mean())) * this.scale : NaN)
      }
      case 'yangZhang': {
        if (!this.seen) return this.first() // the overnight term needs a previous close
        this.a.push(Math.log(O / pc))
        this.b.push(Math.log(C / O))
        this.cc.push(rsTerm(O, H, L, C))
        if (!this.a.full) return (this.last = NaN)
        const n = this.window
        const k = 0.34 / (1.34 + (n + 1) / (n - 1))
        const v = this.a.variance(1) + k * this.b.variance(1) + (1 - k) * this.cc.mean()
        return (this.last = Math.sqrt(Math.max(0, v)) * this.scale)
      }
    }
  }

  private seen = false

  private first(): number {
    this.seen = true
    return (this.last = NaN)
  }

  /** The last output. */
  get value(): number {
    return this.last
  }
  /** True once the window is full. */
  get isStable(): boolean {
    return !Number.isNaN(this.last)
  }
  reset(): void {
    this.a.reset()
    this.b.reset()
    this.cc.reset()
    this.prevClose = NaN
    this.last = NaN
    this.seen = false
  }
}

function rsTerm(O: number, H: number, L: number, C: number): number {
  const u = Math.log(H / O)
  const d = Math.log(L / O)
  const c = Math.log(C / O)
  return u * (u - c) + d * (d - c)
}

/** Batch form of any rolling estimator over OHLC columns. */
export function rollingVol(
  kind: VolEstimator,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  opts: VolOptions,
  out?: Float64Array,
): Float64Array {
  const n = sameLength(kind, open, high, low, close)
  const res = out ?? new Float64Array(n)
  const s = new RollingVol(kind, opts)
  const bar = { open: 0, high: 0, low: 0, close: 0 }
  for (let i = 0; i < n; i++) {
    bar.open = open[i]!
    bar.high = high[i]!
    bar.low = low[i]!
    bar.close = close[i]!
    res[i] = s.update(bar)
  }
  return res
}

/** Close-to-close σ: sample std of log returns over `window` returns (first value at bar `window`). */
export function closeToCloseVol(close: Float64Array, opts: VolOptions): Float64Array {
  return rollingVol('closeToClose', close, close, close, close, opts)
}
/** Parkinson (1980) high-low σ. */
export function parkinsonVol(high: Float64Array, low: Float64Array, opts: VolOptions): Float64Array {
  return rollingVol('parkinson', high, high, low, low, opts)
}
/** Garman-Klass (1980) OHLC σ. */
export function garmanKlassVol(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, opts: VolOptions) {
  return rollingVol('garmanKlass', o, h, l, c, opts)
}
/** Rogers-Satchell (1991) drift-independent OHLC σ. */
export function rogersSatchellVol(
  o: Float64Array,
  h: Float64Array,
  l: Float64Array,
  c: Float64Array,
  opts: VolOptions,
): Float64Array {
  return rollingVol('rogersSatchell', o, h, l, c, opts)
}
/** Yang-Zhang (2000) σ with overnight gaps (first value at bar `window`). */
export function yangZhangVol(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, opts: VolOptions) {
  return rollingVol('yangZhang', o, h, l, c, opts)
}
