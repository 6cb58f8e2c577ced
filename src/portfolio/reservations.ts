/**
 * Buying power held for open orders. An order reserves an amount when the venue accepts it (cash accounts:
 * notional + estimated fee of a buy; margin accounts: the initial margin it adds + fee), and a cash account's
 * sell also reserves the position quantity it will sell. A fill moves its share of the order's reservation
 * (proportional to quantity) into a pending hold of the fill's real cost, which the account releases when it
 * applies the fill; a terminal order (filled, canceled, rejected, expired) releases whatever is left.
 */

/** Reject reasons for orders and fills that do not fit the account start with this code. */
export const INSUFFICIENT_BUYING_POWER = 'INSUFFICIENT_BUYING_POWER'

/** What one open order holds. */
export interface Reservation {
  readonly instrumentId: string
  /** Unfilled quantity the reservation covers. */
  qty: number
  /** Buying power held for that quantity. */
  amount: number
  /** Position quantity held for a cash account's sell (0 otherwise). */
  sellQty: number
}

/** The reservations of one account. */
export class Reservations {
  /** Σ open amounts + Σ pending fill holds. */
  total = 0
  private readonly open = new Map<string, Reservation>()
  private readonly pending = new Map<string, number>()
  private readonly sells = new Map<string, number>()

  /** Holds `amount` (and `sellQty` of the position) for order `id`, replacing any earlier reservation of it. */
  add(id: string, instrumentId: string, qty: number, amount: number, sellQty: number): void {
    this.release(id)
    this.open.set(id, { instrumentId, qty, amount, sellQty })
    this.total += amount
    if (sellQty > 0) this.sells.set(instrumentId, (this.sells.get(instrumentId) ?? 0) + sellQty)
  }

  /** The reservation of order `id`, if any. */
  of(id: string): Readonly<Reservation> | undefined {
    return this.open.get(id)
  }

  /** Position quantity held by open sells of an instrument. */
  sellQty(instrumentId: string): number {
    return this.sells.get(instrumentId) ?? 0
  }

  /** The share of order `id`'s reservation that a fill of `qty` uses (amount and sell quantity), without taking it. */
  share(id: string, qty: number): { amount: number; sellQty: number } {
    const r = this.open.get(id)
    if (!r || !(r.qty > 0)) return { amount: 0, sellQty: 0 }
    const f = Math.min(1, qty / r.qty)
    return { amount: r.amount * f, sellQty: r.sellQty * f }
  }

  /** Moves a fill's share out of order `id` and holds `hold` for fill `fillId` until {@link settle}. */
  take(id: string, fillId: string, qty: number, hold: number): void {
    const r = this.open.get(id)
    if (r) {
      const s = this.share(id, qty)
      r.qty = Math.max(0, r.qty - qty)
      r.amount -= s.amount
      r.sellQty -= s.sellQty
      this.total -= s.amount
      if (s.sellQty > 0) this.sells.set(r.instrumentId, this.sellQty(r.instrumentId) - s.sellQty)
      if (r.qty === 0) this.release(id)
    }
    if (hold > 0) {
      this.pending.set(fillId, (this.pending.get(fillId) ?? 0) + hold)
      this.total += hold
    }
    this.tidy()
  }

  /** Releases the hold of an applied fill. */
  settle(fillId: string): void {
    const h = this.pending.get(fillId)
    if (h === undefined) return
    this.pending.delete(fillId)
    this.total -= h
    this.tidy()
  }

  /** Releases what order `id` still holds (terminal order). */
  release(id: string): void {
    const r = this.open.get(id)
    if (!r) return
    this.open.delete(id)
    this.total -= r.amount
    if (r.sellQty > 0) {
      const left = this.sellQty(r.instrumentId) - r.sellQty
      if (left > 1e-12) this.sells.set(r.instrumentId, left)
      else this.sells.delete(r.instrumentId)
    }
    this.tidy()
  }

  /** Number of open reservations plus pending fill holds. */
  get count(): number {
    return this.open.size + this.pending.size
  }

  /** Resets the running total to exactly zero when nothing is held (no float drift over long runs). */
  private tidy(): void {
    if (this.open.size === 0 && this.pending.size === 0) {
      this.total = 0
      this.sells.clear()
    }
  }
}
