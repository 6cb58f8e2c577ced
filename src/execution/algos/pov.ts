/**
 * Participation of volume (POV): trade a target fraction `rate` of the market's volume until the parent is done.
 * Each bar the scheduler is told the market volume the child is sized against (the bar just seen, or a forecast
 * of the next: the caller chooses, and must not look ahead), and asks for
 *
 *   child = min(remaining, cap · volume, rate · Σvolume − filled), floored to whole lots, and never < 0,
 *
 * so a shortfall (a thin bar, a partial fill) is caught up later, but no child ever exceeds `cap` × its bar's
 * volume. With cap = rate (the default) there is no catching up beyond the bar's own share.
 */
import { KestrelError } from '../../core/index.ts'
import { requireParam } from './schedule.ts'

/** Options of {@link PovScheduler}. */
export interface PovOptions {
  /** Parent quantity (>= 0). */
  readonly quantity: number
  /** Target participation, a fraction of market volume in (0, 1]. */
  readonly rate: number
  /** Most of any one bar's volume a child may take, in [rate, 1] (default: rate). */
  readonly cap?: number
  /** Children in whole lots (default 0: any quantity). A last remainder smaller than a lot is sent as it is. */
  readonly lot?: number
}

/** The POV scheduler: `next(volume)` for each bar's child, `onFill` for what was filled. */
export class PovScheduler {
  /** The participation cap in force. */
  readonly cap: number
  private readonly lot: number
  private seenVolume = 0
  private filledQty = 0

  /** `o`: quantity, target rate, cap and lot. */
  constructor(private readonly o: PovOptions) {
    requireParam('quantity', o.quantity, (q) => q >= 0, 'a number >= 0')
    requireParam('rate', o.rate, (r) => r > 0 && r <= 1, 'a fraction in (0, 1]')
    this.cap = o.cap ?? o.rate
    if (!(this.cap >= o.rate && this.cap <= 1))
      throw new KestrelError('PARAM_INVALID', `cap ${this.cap}: expected a fraction in [rate ${o.rate}, 1]`, {
        cap: this.cap,
        rate: o.rate,
      })
    this.lot = o.lot ?? 0
  }

  /** The child to send against a bar of market `volume` (>= 0); never more than cap × volume. */
  next(volume: number): number {
    requireParam('volume', volume, (v) => v >= 0, 'a number >= 0')
    this.seenVolume += volume
    const left = this.o.quantity - this.filledQty
    const limit = this.cap * volume
    let q = Math.min(left, limit, this.o.rate * this.seenVolume - this.filledQty)
    if (q <= 0) return 0
    if (this.lot > 0 && q < left) q = Math.floor(q / this.lot) * this.lot
    return q
  }

  /** Records a fill of the parent. */
  onFill(quantity: number): void {
    this.filledQty += quantity
  }

  /** Quantity filled so far. */
  get filled(): number {
    return this.filledQty
  }

  /** Quantity still to do. */
  get remaining(): number {
    return this.o.quantity - this.filledQty
  }
}
