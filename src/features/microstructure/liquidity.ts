/**
 * Liquidity and price-impact measures from bars, over a rolling window of `window` bars (O(1) streaming):
 * - Kyle's lambda (Kyle 1985; as estimated in AFML §19.3.1): the OLS slope of ΔP_t on signed volume
 *   b_t·V_t, where b_t is the tick rule's sign of ΔP_t (the previous sign when ΔP_t = 0).
 * - Amihud illiquidity (Amihud 2002): mean of |r_t| / (P_t·V_t), r_t = P_t / P_{t−1} − 1 the simple return, as in
 *   the paper (absolute return per unit of dollar volume).
 *   A bar with zero volume has no defined ratio: windows holding one are NaN.
 * - Roll spread (Roll 1984): 2·√(−cov(ΔP_t, ΔP_{t−1})); a positive covariance has no spread estimate and
 *   gives 0 (the usual convention).
 */
import { RollingPairs, RollingSum } from '../common/rolling.ts'
import { intParam, sameLength } from '../common/params.ts'

/** Streaming Kyle's lambda. */
export class KyleLambda {
  private readonly pairs: RollingPairs
  private prev = NaN
  private sign = 0
  private last = NaN
  constructor(readonly window: number) {
    this.pairs = new RollingPairs(intParam('kyleLambda(window)', window, 3))
  }
  /** Adds a bar's close and volume; returns λ (NaN inside the window). */
  update(close: number, volume: number): number {
    const p = this.prev
    this.prev = close
    if (Number.isNaN(p)) return (this.last = NaN)
    const dp = close - p
    if (dp > 0) this.sign = 1
    else if (dp < 0) this.sign = -1
    this.pairs.push(this.sign * volume, dp)
    return (this.last = this.pairs.full ? this.pairs.slope() : NaN)
  }
  get value(): number {
    return this.last
  }
  reset(): void {
    this.pairs.reset()
    this.prev = NaN
    this.sign = 0
    this.last = NaN
  }
}

/** Kyle's lambda over a rolling window of price changes. */
export function kyleLambda(close: Float64Array, volume: Float64Array, window: number): Float64Array {
  const n = sameLength('kyleLambda', close, volume)
  const s = new KyleLambda(window)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = s.update(close[i]!, volume[i]!)
  return out
}

/** Streaming Amihud illiquidity. */
export class Amihud {
  private readonly sum: RollingSum
  private prev = NaN
  private last = NaN
  constructor(readonly window: number) {
    this.sum = new RollingSum(intParam('amihud(window)', window, 1))
  }
  /** Adds a bar; returns the mean of |r|/(P·V) over the window, r the simple return. */
  update(close: number, volume: number): number {
    const p = this.prev
    this.prev = close
    if (Number.isNaN(p)) return (this.last = NaN)
    const dv = close * volume
    this.sum.push(dv > 0 ? Math.abs(close / p - 1) / dv : NaN)
    return (this.last = this.sum.mean())
  }
  get value(): number {
    return this.last
  }
  reset(): void {
    this.sum.reset()
    this.prev = NaN
    this.last = NaN
  }
}

/** Amihud illiquidity over a rolling window of returns. */
export function amihud(close: Float64Array, volume: Float64Array, window: number): Float64Array {
  const n = sameLength('amihud', close, volume)
  const s = new Amihud(window)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = s.update(close[i]!, volume[i]!)
  return out
}

/** Streaming Roll spread. */
export class RollSpread {
  private readonly pairs: RollingPairs
  private p1 = NaN
  private p2 = NaN
  private last = NaN
  constructor(readonly window: number) {
    this.pairs = new RollingPairs(intParam('rollSpread(window)', window, 3))
  }
  /** Adds a close; returns the spread estimate in price units. */
  update(close: number): number {
    const a = this.p2
    const b = this.p1
    this.p2 = b
    this.p1 = close
    if (Number.isNaN(a)) return (this.last = NaN)
    this.pairs.push(close - b, b - a)
    if (!this.pairs.full) return (this.last = NaN)
    const c = this.pairs.covariance()
    return (this.last = Number.isNaN(c) ? NaN : c < 0 ? 2 * Math.sqrt(-c) : 0)
  }
  get value(): number {
    return this.last
  }
  reset(): void {
    this.pairs.reset()
    this.p1 = NaN
    this.p2 = NaN
    this.last = NaN
  }
}

/** Roll's spread over a rolling window of consecutive price-change pairs. */
export function rollSpread(close: Float64Array, window: number): Float64Array {
  const s = new RollSpread(window)
  return close.map((c) => s.update(c))
}
