/**
 * Buying power held for open orders. An order reserves an amount when the venue accepts it (cash accounts:
 * notional + estimated fee of a buy; margin accounts: the initial margin it adds + fee), and a cash account's
 * sell also reserves the position quantity it will sell. A fill moves its share of the order's reservation
 * (proportional to quantity) into a pending hold of the fill's real cost, which the account releases when it
 * applies the fill; a terminal order (filled, canceled, rejected, expired) releases whatever is left.
 *
 * Members of one OCO group (or the exits of one bracket) cannot all fill, so a group holds the largest
 * member's amount and sell quantity, not their sum.
 */
import { SmallMap } from './small-map.ts'

/** Reject reasons for orders and fills that do not fit the account start with this code. */
export const INSUFFICIENT_BUYING_POWER = 'INSUFFICIENT_BUYING_POWER'

/** What one open order holds. */
export interface Reservation {
  readonly instrumentId: string
  /** OCO group the order shares its hold with (undefined: none). */
  readonly group: string | undefined
  /** Unfilled quantity the reservation covers. */
  qty: number
  /** Buying power held for that quantity. */
  amount: number
  /** Position quantity held for a cash account's sell (0 otherwise). */
  sellQty: number
}

interface Hold {
  readonly instrumentId: string
  amount: number
  sellQty: number
}

/** The reservations of one account. */
export class Reservations {
  // A few entries at a time, each coming and going with one order or fill: arrays, not a hash entry per order.
  private readonly open = new SmallMap<Reservation>()
  private readonly pending = new SmallMap<Hold>()
  /** Σ amounts of ungrouped open reservations and pending holds (kept as it goes: the fill path reads it). */
  private flat = 0
  /** Number of open reservations in an OCO group. */
  private grouped = 0

  /** Buying power held: open orders (an OCO group counted once, at its largest member) + pending fills. */
  get total(): number {
    if (this.grouped === 0) return this.flat
    let t = this.flat
    const groups = new Map<string, number>()
    for (const r of this.open.values())
      if (r.group !== undefined) groups.set(r.group, Math.max(groups.get(r.group) ?? 0, r.amount))
    for (const a of groups.values()) t += a
    return t
  }

  /**
   * Position quantity of an instrument held by open sells and pending sell fills; with `group`, that group's
   * members are left out (the caller adds its own share).
   */
  sellQty(instrumentId: string, group?: string): number {
    let q = 0
    for (const h of this.pending.values()) if (h.instrumentId === instrumentId) q += h.sellQty
    let groups: Map<string, number> | undefined
    for (const r of this.open.values()) {
      if (r.instrumentId !== instrumentId || r.sellQty === 0) continue
      if (r.group === undefined) q += r.sellQty
      else if (r.group !== group) {
        groups ??= new Map()
        groups.set(r.group, Math.max(groups.get(r.group) ?? 0, r.sellQty))
      }
    }
    if (groups) for (const s of groups.values()) q += s
    return q
  }

  /** Largest amount and sell quantity held by the open members of `group`. */
  groupHold(group: string | undefined): { amount: number; sellQty: number } {
    let amount = 0
    let sellQty = 0
    if (group !== undefined)
      for (const r of this.open.values())
        if (r.group === group) {
          amount = Math.max(amount, r.amount)
          sellQty = Math.max(sellQty, r.sellQty)
        }
    return { amount, sellQty }
  }

  /** The largest amount held by an open member of `group` (0 for none or no group). */
  groupAmount(group: string | undefined): number {
    if (group === undefined || this.grouped === 0) return 0
    let amount = 0
    for (const r of this.open.values()) if (r.group === group) amount = Math.max(amount, r.amount)
    return amount
  }

  /** The largest sell quantity held by an open member of `group` (0 for none or no group). */
  groupSellQty(group: string | undefined): number {
    if (group === undefined || this.grouped === 0) return 0
    let q = 0
    for (const r of this.open.values()) if (r.group === group) q = Math.max(q, r.sellQty)
    return q
  }

  /** Holds `amount` (and `sellQty` of the position) for order `id`, replacing any earlier reservation of it. */
  add(id: string, instrumentId: string, group: string | undefined, qty: number, amount: number, sellQty: number): void {
    this.release(id)
    this.open.set(id, { instrumentId, group, qty, amount, sellQty })
    if (group === undefined) this.flat += amount
    else this.grouped++
  }

  /** The reservation of order `id`, if any. */
  of(id: string): Readonly<Reservation> | undefined {
    return this.open.get(id)
  }

  /** The share of order `id`'s reservation that a fill of `qty` uses (amount and sell quantity), without taking it. */
  share(id: string, qty: number): { amount: number; sellQty: number } {
    const r = this.open.get(id)
    if (!r || !(r.qty > 0)) return { amount: 0, sellQty: 0 }
    const f = Math.min(1, qty / r.qty)
    return { amount: r.amount * f, sellQty: r.sellQty * f }
  }

  /**
   * Moves a fill of `qty` out of order `id` and holds `hold` buying power and `sellQty` of the position for
   * fill `fillId` until {@link settle}.
   */
  take(id: string, fillId: string, instrumentId: string, qty: number, hold: number, sellQty: number): void {
    const r = this.open.get(id)
    if (r) {
      const f = r.qty > 0 ? Math.min(1, qty / r.qty) : 1
      const amount = r.amount * f
      r.qty = Math.max(0, r.qty - qty)
      r.amount -= amount
      r.sellQty -= r.sellQty * f
      if (r.group === undefined) this.flat -= amount
      if (r.qty === 0) this.release(id)
    }
    if (hold > 0 || sellQty > 0) {
      const h = this.pending.get(fillId)
      if (h) {
        h.amount += hold
        h.sellQty += sellQty
      } else this.pending.set(fillId, { instrumentId, amount: hold, sellQty })
      this.flat += hold
    }
    this.tidy()
  }

  /** A split of `ratio` new units per old: the quantities held for an instrument's orders and fills scale. */
  scale(instrumentId: string, ratio: number): void {
    for (const r of this.open.values())
      if (r.instrumentId === instrumentId) {
        r.qty *= ratio
        r.sellQty *= ratio
      }
    for (const h of this.pending.values()) if (h.instrumentId === instrumentId) h.sellQty *= ratio
  }

  /** Releases the hold of an applied fill. */
  settle(fillId: string): void {
    if (this.pending.size === 0) return
    const h = this.pending.get(fillId)
    if (h === undefined) return
    this.pending.delete(fillId)
    this.flat -= h.amount
    this.tidy()
  }

  /** Releases what order `id` still holds (terminal order). */
  release(id: string): void {
    if (this.open.size === 0) return
    const r = this.open.get(id)
    if (r === undefined) return
    this.open.delete(id)
    if (r.group === undefined) this.flat -= r.amount
    else this.grouped--
    this.tidy()
  }

  /** Resets the running sum to exactly zero when nothing is held (no float drift over long runs). */
  private tidy(): void {
    if (this.open.size === 0 && this.pending.size === 0) this.flat = 0
  }

  /** Number of open reservations plus pending fill holds. */
  get count(): number {
    return this.open.size + this.pending.size
  }
}
