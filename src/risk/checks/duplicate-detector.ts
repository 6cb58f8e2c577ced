/**
 * Duplicate-order detection: the same strategy, instrument, side, quantity and price within a window is
 * presumed to be a bug (a loop re-sending) and refused. O(1) per order; old keys are swept in bulk.
 */

/** Remembers recent order keys for `windowMs`. */
export class DuplicateDetector {
  private readonly last = new Map<string, number>()
  private sweepAt = 0

  constructor(readonly windowMs: number) {}

  /** The key of an order. */
  static key(strategyId: string, instrumentId: string, side: string, quantity: number, price: number): string {
    return `${strategyId}|${instrumentId}|${side}|${quantity}|${price}`
  }

  /** Time of the previous identical order still inside the window, or undefined. */
  seen(key: string, t: number): number | undefined {
    const p = this.last.get(key)
    return p !== undefined && t - p < this.windowMs ? p : undefined
  }

  /** Records an accepted order. */
  record(key: string, t: number): void {
    this.last.set(key, t)
    if (this.last.size > 4096 && t >= this.sweepAt) {
      for (const [k, v] of this.last) if (t - v >= this.windowMs) this.last.delete(k)
      this.sweepAt = t + this.windowMs
    }
  }
}
