/**
 * Iceberg: a parent shown a slice at a time. The refill rule: a new slice is shown only when the one shown is
 * completely filled, of size min(display', hidden), where display' = `display`, or with `jitter` j > 0 a size
 * drawn uniformly from [display·(1 − j), display·(1 + j)] from a seeded stream (so the same seed shows the
 * same slices), rounded down to whole lots and never below one lot. The hidden quantity is never shown.
 */
import { KestrelError, Rng } from '../../core/index.ts'
import { requireParam } from './schedule.ts'

/** Options of {@link Iceberg}. */
export interface IcebergOptions {
  /** Parent quantity (>= 0). */
  readonly quantity: number
  /** Shown quantity per slice (> 0). */
  readonly display: number
  /** Random variation of each slice, a fraction in [0, 1) of `display` (default 0). */
  readonly jitter?: number
  /** Slices in whole lots (default 0: any quantity). */
  readonly lot?: number
  /** Seed of the jitter draws (default 1). */
  readonly seed?: number
}

/** A working iceberg: the shown slice, the hidden rest, and the refill on a completed slice. */
export class Iceberg {
  private shownQty = 0
  private hiddenQty: number
  private filledQty = 0
  private readonly rng: Rng
  private readonly jitter: number
  private readonly lot: number

  /** `o`: quantity, display size, jitter, lot and seed; the first slice is shown at once ({@link shown}). */
  constructor(private readonly o: IcebergOptions) {
    requireParam('quantity', o.quantity, (q) => q >= 0, 'a number >= 0')
    requireParam('display', o.display, (d) => d > 0, 'a number > 0')
    this.jitter = o.jitter ?? 0
    requireParam('jitter', this.jitter, (j) => j >= 0 && j < 1, 'a fraction in [0, 1)')
    this.lot = o.lot ?? 0
    if (this.lot > 0 && o.display < this.lot)
      throw new KestrelError('PARAM_INVALID', `display ${o.display}: expected at least one lot (${this.lot})`, {
        display: o.display,
        lot: this.lot,
      })
    this.rng = new Rng(o.seed ?? 1)
    this.hiddenQty = o.quantity
    this.refill()
  }

  private sliceSize(): number {
    let d = this.o.display
    if (this.jitter > 0) d *= 1 - this.jitter + 2 * this.jitter * this.rng.uniform()
    if (this.lot > 0) d = Math.max(this.lot, Math.floor(d / this.lot) * this.lot)
    return d
  }

  private refill(): number {
    const q = Math.min(this.sliceSize(), this.hiddenQty)
    this.shownQty = q
    this.hiddenQty -= q
    return q
  }

  /**
   * Records a fill of the shown slice (at most what is shown). Returns the size of the new slice to show when
   * this fill completed the shown one and something is hidden, else 0.
   */
  onFill(quantity: number): number {
    if (!(quantity >= 0 && quantity <= this.shownQty))
      throw new KestrelError('PARAM_INVALID', `iceberg fill ${quantity}: expected 0..${this.shownQty} (shown)`, {
        fill: quantity,
        shown: this.shownQty,
      })
    this.shownQty -= quantity
    this.filledQty += quantity
    return this.shownQty === 0 && this.hiddenQty > 0 ? this.refill() : 0
  }

  /** Quantity shown now. */
  get shown(): number {
    return this.shownQty
  }

  /** Quantity not yet shown. */
  get hidden(): number {
    return this.hiddenQty
  }

  /** Quantity filled so far. */
  get filled(): number {
    return this.filledQty
  }
}
