/**
 * An adaptive schedule that trades faster when the price moves in the order's favour and slower when it moves
 * against it. Its rule, for period k = 1..N at price P_k, arrival price P₀, side s (+1 buy, −1 sell), price
 * volatility σ per √period and t = max(1, k − 1) periods elapsed since arrival:
 *
 *   z_k = s · (P₀ − P_k) / (σ · √t)                       the favourable move, in units of σ over the time elapsed
 *   m_k = clamp(1 + a · z_k, lo, hi)                       the rate multiplier (a: aggressiveness)
 *   n_k = min(R_k, m_k · R_k · w_k / Σ_{j=k..N} w_j)       the child; R_k is the quantity still to do
 *
 * and the last period takes all that is left (n_N = R_N). With weights w all 1 the base rate is TWAP of what
 * remains; with a volume profile it is VWAP of what remains. With a = 0 it is the base schedule exactly.
 */
import { KestrelError, type OrderSide } from '../../core/index.ts'
import { requireParam } from './schedule.ts'

/** The multiplier m = clamp(1 + a·z, lo, hi) of a favourable move `z` in units of σ. */
export function adaptiveMultiplier(z: number, a: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, 1 + a * z))
}

/** The favourable move z = s·(P₀ − P)/(σ·√t) of price `price` after `elapsed` periods (t = max(1, elapsed)). */
export function favourableMove(
  side: OrderSide,
  arrival: number,
  price: number,
  sigma: number,
  elapsed: number,
): number {
  const s = side === 'BUY' ? 1 : -1
  return (s * (arrival - price)) / (sigma * Math.sqrt(Math.max(1, elapsed)))
}

/** Options of {@link AdaptiveScheduler}. */
export interface AdaptiveOptions {
  readonly side: OrderSide
  /** Parent quantity (>= 0). */
  readonly quantity: number
  /** N periods, or the base schedule's weights per period (a volume profile); N = their count. */
  readonly periods: number | readonly number[]
  /** P₀: the arrival price. */
  readonly arrival: number
  /** σ: price volatility per √period, in price units (> 0). */
  readonly sigma: number
  /** a: aggressiveness (>= 0; default 0.5). */
  readonly aggressiveness?: number
  /** Bounds of the multiplier, 0 <= lo <= 1 <= hi (default 0.5 and 2). */
  readonly lo?: number
  readonly hi?: number
}

/** The adaptive scheduler: `next(price)` gives each period's child in turn; `onFill` records fills. */
export class AdaptiveScheduler {
  private readonly w: readonly number[]
  private readonly tail: number[]
  private k = 0
  private filledQty = 0
  private readonly a: number
  private readonly lo: number
  private readonly hi: number
  /** The multiplier of the last period asked for (1 before the first). */
  lastMultiplier = 1

  /** `o`: side, quantity, base schedule, arrival price, σ and the multiplier's rule. */
  constructor(private readonly o: AdaptiveOptions) {
    requireParam('quantity', o.quantity, (q) => q >= 0, 'a number >= 0')
    requireParam('sigma', o.sigma, (s) => s > 0, 'a number > 0')
    requireParam('arrival', o.arrival, (p) => p > 0, 'a price > 0')
    this.a = o.aggressiveness ?? 0.5
    this.lo = o.lo ?? 0.5
    this.hi = o.hi ?? 2
    requireParam('aggressiveness', this.a, (a) => a >= 0, 'a number >= 0')
    if (!(this.lo >= 0 && this.lo <= 1 && this.hi >= 1 && Number.isFinite(this.hi)))
      throw new KestrelError('PARAM_INVALID', `lo ${this.lo}, hi ${this.hi}: expected 0 <= lo <= 1 <= hi`, {
        lo: this.lo,
        hi: this.hi,
      })
    if (typeof o.periods === 'number') {
      requireParam('periods', o.periods, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1')
      this.w = new Array<number>(o.periods).fill(1)
    } else this.w = o.periods
    if (this.w.length === 0 || this.w.some((x) => !(x >= 0)) || !(this.w.reduce((x, y) => x + y, 0) > 0))
      throw new KestrelError('PARAM_INVALID', 'periods: expected weights >= 0 with a positive sum', {})
    this.tail = new Array<number>(this.w.length + 1).fill(0)
    for (let j = this.w.length - 1; j >= 0; j--) this.tail[j] = this.tail[j + 1]! + this.w[j]!
  }

  /** The child of the next period at price `price`; throws STATE_INVALID after the last period. */
  next(price: number): number {
    const n = this.w.length
    if (this.k >= n)
      throw new KestrelError('STATE_INVALID', `adaptive schedule: all ${n} periods were asked for`, { periods: n })
    const k = this.k++
    const left = Math.max(0, this.o.quantity - this.filledQty)
    const z = favourableMove(this.o.side, this.o.arrival, price, this.o.sigma, k)
    this.lastMultiplier = adaptiveMultiplier(z, this.a, this.lo, this.hi)
    if (k === n - 1) return left
    const base = this.tail[k]! > 0 ? (left * this.w[k]!) / this.tail[k]! : 0
    return Math.min(left, this.lastMultiplier * base)
  }

  /** Records a fill of the parent. */
  onFill(quantity: number): void {
    this.filledQty += quantity
  }

  /** Quantity filled so far. */
  get filled(): number {
    return this.filledQty
  }
}
