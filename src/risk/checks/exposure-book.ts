/**
 * The risk engine's own running view of exposure: per instrument the net position, the open buy and sell
 * quantity, the price and multiplier, and account sums kept up to date in O(1) per change. Limits are checked
 * against the worst case: the position plus every open order on one side filling.
 */
import { KestrelError } from '../../core/index.ts'
import type { Instrument, OrderSide } from '../../core/index.ts'

/** One instrument's slot. */
export interface ExposureSlot {
  readonly index: number
  readonly instrument: Instrument
  position: number
  openBuy: number
  openSell: number
  price: number
  /** Worst-case |value| (position plus one side of open orders). */
  worst: number
  /** Value of the position alone (signed). */
  value: number
  longWorst: number
  shortWorst: number
}

/** Running sums over all instruments, O(1) per update. */
export class ExposureBook {
  readonly slots: ExposureSlot[] = []
  private readonly byId = new Map<string, ExposureSlot>()
  private readonly open = new Map<string, { slot: ExposureSlot; side: OrderSide; remaining: number }>()
  /** Σ worst-case |value|. */
  grossWorst = 0
  /** Σ |position value|. */
  gross = 0
  /** Σ position value. */
  net = 0
  /** Σ (position + open buys) value. */
  netLongWorst = 0
  /** Σ (position − open sells) value. */
  netShortWorst = 0

  constructor(instruments: readonly Instrument[]) {
    for (const inst of instruments) this.add(inst)
  }

  /** Adds an instrument (ignored when known). */
  add(inst: Instrument): ExposureSlot {
    const had = this.byId.get(inst.id)
    if (had) return had
    const s: ExposureSlot = {
      index: this.slots.length,
      instrument: inst,
      position: 0,
      openBuy: 0,
      openSell: 0,
      price: NaN,
      worst: 0,
      value: 0,
      longWorst: 0,
      shortWorst: 0,
    }
    this.slots.push(s)
    this.byId.set(inst.id, s)
    return s
  }

  /** The slot of an instrument, or undefined. */
  get(instrumentId: string): ExposureSlot | undefined {
    return this.byId.get(instrumentId)
  }

  /** The slot of an instrument, or DATA_NOT_FOUND. */
  slot(instrumentId: string): ExposureSlot {
    const s = this.byId.get(instrumentId)
    if (!s) throw new KestrelError('DATA_NOT_FOUND', `risk: unknown instrument ${instrumentId}`)
    return s
  }

  /** Sets price and position of an instrument (from the portfolio), updating the sums. */
  sync(s: ExposureSlot, price: number, position: number): void {
    if ((price === s.price || (price !== price && s.price !== s.price)) && position === s.position) return
    if (price === price) s.price = price
    s.position = position
    this.refresh(s)
  }

  /** Records an order sent to execution (open until filled or terminal). */
  openOrder(clientOrderId: string, s: ExposureSlot, side: OrderSide, quantity: number): void {
    this.open.set(clientOrderId, { slot: s, side, remaining: quantity })
    if (side === 'BUY') s.openBuy += quantity
    else s.openSell += quantity
    this.refresh(s)
  }

  /** Reduces an open order by a fill (the position itself comes from {@link sync}). */
  filled(clientOrderId: string, quantity: number): void {
    const o = this.open.get(clientOrderId)
    if (!o) return
    const q = Math.min(quantity, o.remaining)
    o.remaining -= q
    if (o.side === 'BUY') o.slot.openBuy -= q
    else o.slot.openSell -= q
    if (o.remaining <= 1e-12) this.open.delete(clientOrderId)
    this.refresh(o.slot)
  }

  /** Releases what is left of an order that ended (canceled, expired, rejected by the venue). */
  closed(clientOrderId: string): void {
    const o = this.open.get(clientOrderId)
    if (!o) return
    this.open.delete(clientOrderId)
    if (o.side === 'BUY') o.slot.openBuy -= o.remaining
    else o.slot.openSell -= o.remaining
    this.refresh(o.slot)
  }

  /** Number of orders this book believes are open. */
  get openCount(): number {
    return this.open.size
  }

  private refresh(s: ExposureSlot): void {
    const px = s.price === s.price ? s.price * s.instrument.multiplier : 0
    const value = s.position * px
    const longW = (s.position + s.openBuy) * px
    const shortW = (s.position - s.openSell) * px
    const worst = Math.max(Math.abs(longW), Math.abs(shortW))
    this.gross += Math.abs(value) - Math.abs(s.value)
    this.net += value - s.value
    this.grossWorst += worst - s.worst
    this.netLongWorst += longW - s.longWorst
    this.netShortWorst += shortW - s.shortWorst
    s.value = value
    s.worst = worst
    s.longWorst = longW
    s.shortWorst = shortW
  }

  /** Recomputes the sums from scratch (drift guard; O(n)). */
  resum(): void {
    this.gross = this.net = this.grossWorst = this.netLongWorst = this.netShortWorst = 0
    for (const s of this.slots) {
      this.gross += Math.abs(s.value)
      this.net += s.value
      this.grossWorst += s.worst
      this.netLongWorst += s.longWorst
      this.netShortWorst += s.shortWorst
    }
  }
}
