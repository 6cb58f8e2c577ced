/**
 * One strategy's net position in one instrument: average price, realised and unrealised P&L, and the
 * round-trip trade currently open. Fills are applied in order; a fill that crosses zero closes the trade and
 * opens a new one in the other direction with the rest.
 */
import type { EpochMs, Fill, Position } from '../core/index.ts'

/** One round-trip trade (entry to flat). Fits research's `TradeRecord`. */
export interface RoundTrip {
  readonly strategyId: string
  readonly instrumentId: string
  readonly side: 'LONG' | 'SHORT'
  readonly entryTime: EpochMs
  readonly exitTime: EpochMs
  /** Volume-weighted average entry price. */
  readonly entryPrice: number
  /** Volume-weighted average exit price (the last mark for a trade still open). */
  readonly exitPrice: number
  /** Total quantity entered (positive). */
  readonly quantity: number
  /** Net P&L: gross P&L − `fees` − `borrowFees` + `carry`. */
  readonly pnl: number
  /** pnl / entry notional. */
  readonly returnPct: number
  /** Trading fees of the trade's fills. */
  readonly fees: number
  /** Borrow fees charged while this (short) trade was open; 0 for long trades. Already subtracted from `pnl`. */
  readonly borrowFees: number
  /**
   * Cash the position received while this trade was open from dividends, funding and swap (negative: paid).
   * Already added to `pnl`.
   */
  readonly carry: number
  /** True when the position was still open at the end and is valued at the last mark. */
  readonly open?: boolean
}

interface OpenTrade {
  side: 'LONG' | 'SHORT'
  entryTime: EpochMs
  entryQty: number
  entryNotional: number
  exitQty: number
  exitNotional: number
  gross: number
  fees: number
  borrow: number
  carry: number
}

/** The position of one strategy in one instrument, and its round trips. */
export class PositionTracker {
  readonly position: Position
  private trade: OpenTrade | undefined
  /** Fees paid on this position's fills, in total. */
  fees = 0
  /** Borrow fees charged to this position, in total. */
  borrowFees = 0
  /** Dividends, funding and swap received by this position, in total (negative: paid). */
  carry = 0

  constructor(
    strategyId: string,
    instrumentId: string,
    readonly multiplier: number,
  ) {
    this.position = {
      instrumentId,
      strategyId,
      quantity: 0,
      avgPrice: 0,
      realizedPnl: 0,
      unrealizedPnl: 0,
      lastPrice: NaN,
      openedAt: 0,
      updatedAt: 0,
    }
  }

  /** Applies a fill; returns the round trip it closed, if any. */
  apply(fill: Fill): RoundTrip | undefined {
    const p = this.position
    const m = this.multiplier
    const signed = fill.side === 'BUY' ? fill.quantity : -fill.quantity
    this.fees += fill.fee
    let closed: RoundTrip | undefined
    if (p.quantity === 0 || Math.sign(p.quantity) === Math.sign(signed)) {
      const q0 = Math.abs(p.quantity)
      const q1 = q0 + fill.quantity
      p.avgPrice = (p.avgPrice * q0 + fill.price * fill.quantity) / q1
      if (p.quantity === 0) {
        p.openedAt = fill.time
        this.trade = newTrade(signed > 0 ? 'LONG' : 'SHORT', fill.time)
      }
      p.quantity += signed
      this.trade!.entryQty += fill.quantity
      this.trade!.entryNotional += fill.quantity * fill.price
      this.trade!.fees += fill.fee
    } else {
      const closeQty = Math.min(Math.abs(p.quantity), fill.quantity)
      const dir = p.quantity > 0 ? 1 : -1
      const gross = closeQty * (fill.price - p.avgPrice) * dir * m
      const closeFee = (fill.fee * closeQty) / fill.quantity
      p.realizedPnl += gross
      const t = this.trade!
      t.exitQty += closeQty
      t.exitNotional += closeQty * fill.price
      t.gross += gross
      t.fees += closeFee
      p.quantity += dir === 1 ? -closeQty : closeQty
      if (Math.abs(p.quantity) <= 1e-12 * Math.max(1, closeQty)) {
        p.quantity = 0
        closed = finish(t, p.strategyId!, p.instrumentId, fill.time, t.exitNotional / t.exitQty, m, false)
        this.trade = undefined
        p.avgPrice = 0
        const rest = fill.quantity - closeQty
        if (rest > 0) {
          p.quantity = -dir * rest
          p.avgPrice = fill.price
          p.openedAt = fill.time
          this.trade = newTrade(dir === 1 ? 'SHORT' : 'LONG', fill.time)
          this.trade.entryQty = rest
          this.trade.entryNotional = rest * fill.price
          this.trade.fees = fill.fee - closeFee
        }
      }
    }
    p.updatedAt = fill.time
    if (!Number.isNaN(p.lastPrice) || p.quantity !== 0) this.mark(Number.isNaN(p.lastPrice) ? fill.price : p.lastPrice)
    return closed
  }

  /** Charges a borrow fee to the open (short) trade. */
  chargeBorrow(fee: number): void {
    this.borrowFees += fee
    if (this.trade) this.trade.borrow += fee
  }

  /** Credits (or, negative, charges) an account event's cash to the position and its open trade. */
  addCarry(amount: number): void {
    this.carry += amount
    if (this.trade) this.trade.carry += amount
  }

  /**
   * Applies a split of `ratio` new units per old: the quantity is multiplied, the average and last prices
   * divided, so the position's cost and value are unchanged. The open trade's entry and exit quantities scale
   * the same way (its prices are per new unit from now on).
   */
  split(ratio: number): void {
    const p = this.position
    p.quantity *= ratio
    p.avgPrice /= ratio
    p.lastPrice /= ratio
    const t = this.trade
    if (t) {
      t.entryQty *= ratio
      t.exitQty *= ratio
    }
  }

  /** Marks the position at `price` (updates unrealised P&L). */
  mark(price: number): void {
    const p = this.position
    p.lastPrice = price
    p.unrealizedPnl = p.quantity === 0 ? 0 : p.quantity * (price - p.avgPrice) * this.multiplier
  }

  /** The open trade valued at the last mark, or undefined when flat. */
  openTrade(time: EpochMs): RoundTrip | undefined {
    const t = this.trade
    const p = this.position
    if (!t || p.quantity === 0) return undefined
    const dir = p.quantity > 0 ? 1 : -1
    const q = Math.abs(p.quantity)
    const price = Number.isNaN(p.lastPrice) ? p.avgPrice : p.lastPrice
    const view: OpenTrade = {
      ...t,
      exitQty: t.exitQty + q,
      exitNotional: t.exitNotional + q * price,
      gross: t.gross + q * (price - p.avgPrice) * dir * this.multiplier,
    }
    return finish(view, p.strategyId!, p.instrumentId, time, view.exitNotional / view.exitQty, this.multiplier, true)
  }
}

function newTrade(side: 'LONG' | 'SHORT', time: EpochMs): OpenTrade {
  return {
    side,
    entryTime: time,
    entryQty: 0,
    entryNotional: 0,
    exitQty: 0,
    exitNotional: 0,
    gross: 0,
    fees: 0,
    borrow: 0,
    carry: 0,
  }
}

function finish(
  t: OpenTrade,
  strategyId: string,
  instrumentId: string,
  exitTime: EpochMs,
  exitPrice: number,
  multiplier: number,
  open: boolean,
): RoundTrip {
  const pnl = t.gross - t.fees - t.borrow + t.carry
  const notional = t.entryNotional * multiplier
  return {
    strategyId,
    instrumentId,
    side: t.side,
    entryTime: t.entryTime,
    exitTime,
    entryPrice: t.entryNotional / t.entryQty,
    exitPrice,
    quantity: t.entryQty,
    pnl,
    returnPct: notional > 0 ? pnl / notional : 0,
    fees: t.fees,
    borrowFees: t.borrow,
    carry: t.carry,
    ...(open ? { open: true } : {}),
  }
}
