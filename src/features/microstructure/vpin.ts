/**
 * VPIN with bulk volume classification (Easley, López de Prado, O'Hara 2012, "Flow Toxicity and Liquidity in
 * a High-Frequency World", RFS 25(5)). Each bar's volume is split into buy volume V·Φ(ΔP/σ_ΔP) and sell volume
 * V·(1 − Φ(ΔP/σ_ΔP)), with σ_ΔP the sample std of the last `sigmaWindow` price changes (past only). Volume
 * fills buckets of `bucketVolume`; a bar larger than the space left spills into the next buckets in
 * proportion. VPIN = Σ_{last n buckets} |V_B − V_S| / (n · bucketVolume), updated when a bucket completes and
 * carried between completions; NaN until `buckets` buckets are complete or while σ is undefined.
 */
import { RollingSum } from '../common/rolling.ts'
import { normCdf } from '../../core/index.ts'
import { intParam, numParam, sameLength } from '../common/params.ts'

/** Options of {@link vpin}. */
export interface VpinOptions {
  /** Volume per bucket (e.g. average daily volume / 50). */
  readonly bucketVolume: number
  /** Buckets in the moving window (the paper uses 50). */
  readonly buckets: number
  /** Price changes in the σ estimate. Default 100. */
  readonly sigmaWindow?: number
}

/** Streaming VPIN. O(1) per bar plus O(min(buckets completed, window)). */
export class Vpin {
  private readonly bucketVolume: number
  private readonly imb: RollingSum
  private readonly dps: RollingSum
  private prev = NaN
  private fill = 0
  private buy = 0
  private last = NaN

  constructor(opts: VpinOptions) {
    this.bucketVolume = numParam('vpin(bucketVolume)', opts.bucketVolume, Number.MIN_VALUE)
    this.imb = new RollingSum(intParam('vpin(buckets)', opts.buckets, 1))
    this.dps = new RollingSum(intParam('vpin(sigmaWindow)', opts.sigmaWindow ?? 100, 2))
  }

  /** Adds a bar's close and volume; returns VPIN after it. */
  update(close: number, volume: number): number {
    const p = this.prev
    this.prev = close
    if (Number.isNaN(p)) return this.last
    const dp = close - p
    const sd = Math.sqrt(this.dps.variance(1))
    this.dps.push(dp)
    if (!(sd > 0) || !(volume >= 0)) return this.last // σ not yet defined: the bar is not classified
    const buyFrac = normCdf(dp / sd)
    const B = this.bucketVolume
    let v = volume
    // top up the open bucket
    const take = Math.min(v, B - this.fill)
    this.fill += take
    this.buy += take * buyFrac
    v -= take
    if (this.fill >= B * (1 - 1e-12)) this.closeBucket(this.buy, this.fill)
    // whole buckets inside this bar all have the same split; only the last `buckets` of them can stay in the window
    const whole = Math.floor(v / B)
    for (let k = 0; k < Math.min(whole, this.imb.size); k++) this.closeBucket(B * buyFrac, B)
    v = Math.max(0, v - whole * B)
    if (v > 0) {
      this.fill = v
      this.buy = v * buyFrac
    }
    return this.last
  }
  private closeBucket(buy: number, total: number): void {
    this.imb.push(Math.abs(buy - (total - buy)))
    this.fill = 0
    this.buy = 0
    if (this.imb.full) this.last = this.imb.sum / (this.imb.size * this.bucketVolume)
  }
  get value(): number {
    return this.last
  }
  reset(): void {
    this.imb.reset()
    this.dps.reset()
    this.prev = NaN
    this.fill = 0
    this.buy = 0
    this.last = NaN
  }
}

/** VPIN per bar (the value as of each bar's close). */
export function vpin(close: Float64Array, volume: Float64Array, opts: VpinOptions): Float64Array {
  const n = sameLength('vpin', close, volume)
  const s = new Vpin(opts)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = s.update(close[i]!, volume[i]!)
  return out
}
