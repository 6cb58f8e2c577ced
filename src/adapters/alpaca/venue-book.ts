/**
 * The state behind the local Alpaca server: orders, fills (as account activities), positions and cash, matched by
 * Kestrel's {@link SimulatedExchange} so fills follow the same rules as a backtest. It knows nothing of HTTP:
 * the server turns its results and trade updates into the wire format's messages.
 *
 * The clock is the replay's: before the first bar it is that bar's open, after a bar its close. An order
 * arriving at time t matches from the first bar opening at or after t (the exchange's no-look-ahead rule).
 */
import { KestrelError, Rng, isoUtc } from '../../core/index.ts'
import type { Bar, EpochMs, ExecutionReport, Instrument, Order, OrderType, TimeInForce } from '../../core/index.ts'
import { SimulatedExchange, type VenueAccount } from '../../execution/index.ts'
import {
  ALPACA_ERRORS,
  OPEN_STATUSES,
  dec,
  type AlpacaAccount,
  type AlpacaOrder,
  type AlpacaPosition,
  type FillActivity,
  type TradeUpdate,
} from './protocol.ts'
import { VenueRefusal } from './venue-refusal.ts'
import { assetId, newWireOrder, validateOrder, type ValidOrder } from './venue-orders.ts'

/** Options of {@link VenueBook}. */
export interface VenueBookOptions {
  readonly instruments: readonly Instrument[]
  readonly seed?: number
  /** Starting cash in USD. Default 100,000. */
  readonly cash?: number
  /** Share of each bar's volume one bar may fill (0..1; 1 = no cap). Default 1. */
  readonly participation?: number
  /** The clock before the first bar. */
  readonly startTime: EpochMs
}

/** An order as the book keeps it: the wire object plus what matching needs. */
interface BookOrder {
  wire: AlpacaOrder
  notional: number
  /** Set while a replace cancels it: the id of the order replacing it. */
  replacing?: string
}

/** The venue's book: submit, cancel, replace, replay bars; every change comes out as trade updates. */
export class VenueBook {
  private clock: EpochMs
  private readonly rng: Rng
  private readonly exchange: SimulatedExchange
  private readonly bySymbol = new Map<string, Instrument>()
  private readonly orders = new Map<string, BookOrder>()
  private readonly byClient = new Map<string, string>()
  private readonly byKestrelId = new Map<string, string>()
  private readonly activities: FillActivity[] = []
  private readonly positions = new Map<string, { qty: number; cost: number }>()
  private readonly last = new Map<string, number>()
  private cash: number
  private pendingReject: string | undefined
  private capturing = false
  /** Receives every trade update, in the order they happen. */
  onUpdate: (u: TradeUpdate) => void = () => {}

  constructor(opts: VenueBookOptions) {
    this.clock = opts.startTime
    this.rng = new Rng((opts.seed ?? 1) + 7919)
    this.cash = opts.cash ?? 100_000
    const account: VenueAccount = {
      canAfford: (id, side, qty, price) => {
        if (side === 'SELL') return { ok: true }
        return qty * price <= this.buyingPower() + 1e-9
          ? { ok: true }
          : { ok: false, reason: 'insufficient buying power' }
      },
      strategyPosition: (_s, id) => this.positions.get(this.symbolOfId(id))?.qty ?? 0,
      belowMaintenance: () => false,
      openPositions: () => [],
    }
    this.exchange = new SimulatedExchange({
      venue: 'ALPACA',
      now: () => this.clock,
      account,
      fill: { participation: opts.participation ?? 1 },
    })
    for (const inst of opts.instruments) {
      this.exchange.addInstrument(inst)
      this.bySymbol.set(inst.symbol.replace('-', '/'), inst)
    }
    this.exchange.connect((r) => this.onReport(r))
  }

  /** The replay clock. */
  get time(): EpochMs {
    return this.clock
  }

  /** A seeded UUID (so a seeded run gives the same ids). */
  uuid(): string {
    const h = Array.from({ length: 4 }, () =>
      this.rng
        .int(0, 2 ** 32)
        .toString(16)
        .padStart(8, '0'),
    ).join('')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  /** Replays one bar: matches resting orders on it and marks positions at its close. */
  onBar(bar: Bar): void {
    if (bar.closeTime > this.clock) this.clock = bar.closeTime
    this.exchange.onBar(bar)
    this.exchange.advance(this.clock)
    this.last.set(this.symbolOfId(bar.instrumentId), bar.close)
  }

  /** Submits an order (the body of `POST /v2/orders`); `reject` makes the venue refuse it after accepting. */
  submit(body: Record<string, unknown>, reject = false): AlpacaOrder {
    const req = validateOrder(
      body,
      this.bySymbol,
      (c) => this.byClient.has(c),
      () => this.uuid(),
    )
    const id = this.uuid()
    const t = isoUtc(this.clock)
    const wire = { ...newWireOrder(id, req, t), ...(reject ? { status: 'accepted' } : {}) }
    this.orders.set(id, { wire, notional: 0 })
    this.byClient.set(req.clientOrderId, id)
    if (reject) {
      this.byKestrelId.set(req.clientOrderId, id)
      queueMicrotask(() => this.update(this.orders.get(id)!, 'rejected', 'rejected', { failed_at: t }))
      return { ...wire }
    }
    this.place(id, req)
    return { ...this.orders.get(id)!.wire }
  }

  /** Replaces an open order (`PATCH /v2/orders/{id}`): a new order takes its place, the old one ends `replaced`. */
  replace(id: string, body: Record<string, unknown>): AlpacaOrder {
    const old = this.get(id)
    if (!OPEN_STATUSES.has(old.wire.status) || old.replacing)
      throw new VenueRefusal(422, ALPACA_ERRORS.unprocessable, 'order is not open')
    const w = old.wire
    const merged = {
      symbol: w.symbol,
      side: w.side,
      type: w.type,
      qty: body.qty ?? dec(Number(w.qty) - Number(w.filled_qty)),
      time_in_force: body.time_in_force ?? w.time_in_force,
      limit_price: body.limit_price ?? w.limit_price ?? undefined,
      stop_price: body.stop_price ?? w.stop_price ?? undefined,
      client_order_id: body.client_order_id,
    }
    const req = validateOrder(
      merged,
      this.bySymbol,
      (c) => this.byClient.has(c),
      () => this.uuid(),
    )
    const nid = this.uuid()
    old.replacing = nid
    this.exchange.cancel(w.client_order_id, this.clock)
    if (old.wire.status !== 'replaced') {
      old.replacing = undefined
      throw new VenueRefusal(422, ALPACA_ERRORS.unprocessable, 'order is not open')
    }
    const wire = { ...newWireOrder(nid, req, isoUtc(this.clock)), replaces: id }
    this.orders.set(nid, { wire, notional: 0 })
    this.byClient.set(req.clientOrderId, nid)
    this.place(nid, req)
    return { ...this.orders.get(nid)!.wire }
  }

  /** Cancels an open order (`DELETE /v2/orders/{id}`). */
  cancel(id: string): void {
    const o = this.get(id)
    if (!OPEN_STATUSES.has(o.wire.status))
      throw new VenueRefusal(422, ALPACA_ERRORS.unprocessable, 'order is not cancelable')
    this.exchange.cancel(o.wire.client_order_id, this.clock)
  }

  /** Cancels every open order; the ids canceled. */
  cancelAll(): AlpacaOrder[] {
    const out: AlpacaOrder[] = []
    for (const o of this.orders.values()) {
      if (!OPEN_STATUSES.has(o.wire.status)) continue
      this.exchange.cancel(o.wire.client_order_id, this.clock)
      out.push({ ...o.wire })
    }
    return out
  }

  /** The order with this id; 404 when there is none. */
  order(id: string): AlpacaOrder {
    return { ...this.get(id).wire }
  }

  /** The order with this client order id; 404 when there is none. */
  orderByClientId(clientOrderId: string): AlpacaOrder {
    const id = this.byClient.get(clientOrderId)
    if (id === undefined) throw new VenueRefusal(404, ALPACA_ERRORS.notFound, 'order not found')
    return this.order(id)
  }

  /** Orders in creation order, filtered like `GET /v2/orders`. */
  listOrders(status: string, after?: EpochMs, until?: EpochMs): AlpacaOrder[] {
    const out: AlpacaOrder[] = []
    for (const o of this.orders.values()) {
      const open = OPEN_STATUSES.has(o.wire.status)
      if ((status === 'open' && !open) || (status === 'closed' && open)) continue
      const t = Date.parse(o.wire.submitted_at)
      if ((after !== undefined && t <= after) || (until !== undefined && t >= until)) continue
      out.push({ ...o.wire })
    }
    return out
  }

  /** Fill activities, oldest first. */
  fills(): readonly FillActivity[] {
    return this.activities
  }

  positionList(): AlpacaPosition[] {
    const out: AlpacaPosition[] = []
    for (const [symbol, p] of this.positions) {
      if (p.qty === 0) continue
      const px = this.last.get(symbol) ?? p.cost / p.qty
      const mv = p.qty * px
      out.push({
        asset_id: assetId(symbol),
        symbol,
        exchange: 'NASDAQ',
        asset_class: symbol.includes('/') ? 'crypto' : 'us_equity',
        avg_entry_price: dec(p.cost / p.qty),
        qty: dec(p.qty),
        qty_available: dec(p.qty),
        side: p.qty > 0 ? 'long' : 'short',
        market_value: dec(mv),
        cost_basis: dec(p.cost),
        unrealized_pl: dec(mv - p.cost),
        current_price: dec(px),
      })
    }
    return out
  }

  account(): AlpacaAccount {
    let long = 0
    let short = 0
    for (const [symbol, p] of this.positions) {
      const v = p.qty * (this.last.get(symbol) ?? (p.qty ? p.cost / p.qty : 0))
      if (v > 0) long += v
      else short += v
    }
    const equity = this.cash + long + short
    return {
      id: '8f4b5c2e-0000-4000-a000-000000000001',
      account_number: 'PA0KESTREL',
      status: 'ACTIVE',
      currency: 'USD',
      cash: dec(this.cash),
      equity: dec(equity),
      portfolio_value: dec(equity),
      buying_power: dec(this.buyingPower()),
      long_market_value: dec(long),
      short_market_value: dec(short),
      pattern_day_trader: false,
      trading_blocked: false,
    }
  }

  private buyingPower(): number {
    return Math.max(0, this.cash)
  }

  private get(id: string): BookOrder {
    const o = this.orders.get(id)
    if (!o) throw new VenueRefusal(404, ALPACA_ERRORS.notFound, 'order not found')
    return o
  }

  private symbolOfId(instrumentId: string): string {
    const dot = instrumentId.lastIndexOf('.')
    return instrumentId.slice(0, dot).replace('-', '/')
  }

  /** Hands a validated order to the exchange; a refusal on arrival is answered as Alpaca does (403 or 422). */
  private place(id: string, r: ValidOrder): void {
    const order: Order = {
      clientOrderId: r.clientOrderId,
      strategyId: 'alpaca',
      instrumentId: r.inst.id,
      side: r.side === 'buy' ? 'BUY' : 'SELL',
      type: r.type.toUpperCase() as OrderType,
      quantity: r.qty,
      limitPrice: r.limit,
      stopPrice: r.stop,
      timeInForce: r.tif.toUpperCase() as TimeInForce,
      reduceOnly: false,
      postOnly: false,
      status: 'SUBMITTED',
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: this.clock,
      updatedAt: this.clock,
    }
    this.byKestrelId.set(r.clientOrderId, id)
    this.capturing = true
    this.pendingReject = undefined
    try {
      this.exchange.submit(order, this.clock)
    } finally {
      this.capturing = false
    }
    const why = this.pendingReject as string | undefined
    if (why !== undefined) {
      this.orders.delete(id)
      this.byClient.delete(r.clientOrderId)
      this.byKestrelId.delete(r.clientOrderId)
      if (why === 'insufficient buying power') throw new VenueRefusal(403, ALPACA_ERRORS.forbidden, why)
      throw new VenueRefusal(422, ALPACA_ERRORS.invalid, why)
    }
  }

  private onReport(r: ExecutionReport): void {
    const cid = r.kind === 'FILL' ? r.fill.clientOrderId : r.clientOrderId
    const id = this.byKestrelId.get(cid)
    const o = id === undefined ? undefined : this.orders.get(id)
    if (!o) throw new KestrelError('INTERNAL', `alpaca venue: report for unknown order ${cid}`)
    const t = isoUtc(r.kind === 'FILL' ? r.fill.time : r.time)
    switch (r.kind) {
      case 'ACCEPTED':
        this.update(o, 'new', 'new', {})
        return
      case 'REJECTED':
        if (this.capturing) this.pendingReject = r.reason
        else this.update(o, 'rejected', 'rejected', { failed_at: t })
        return
      case 'TRIGGERED':
        return
      case 'CANCELED':
        if (o.replacing) this.update(o, 'replaced', 'replaced', { replaced_at: t, replaced_by: o.replacing })
        else this.update(o, 'canceled', 'canceled', { canceled_at: t })
        return
      case 'EXPIRED':
        this.update(o, 'expired', 'expired', { expired_at: t })
        return
      case 'FILL': {
        const f = r.fill
        const w = o.wire
        const cum = Number(w.filled_qty) + f.quantity
        o.notional += f.quantity * f.price
        const done = cum >= Number(w.qty) - 1e-9
        const sign = f.side === 'BUY' ? 1 : -1
        const pos = this.positions.get(w.symbol) ?? { qty: 0, cost: 0 }
        const q0 = pos.qty
        const q1 = q0 + sign * f.quantity
        if (q0 === 0 || Math.sign(q0) === sign) pos.cost += sign * f.quantity * f.price
        else if (Math.sign(q1) === Math.sign(q0) || q1 === 0) pos.cost *= q1 / q0
        else pos.cost = q1 * f.price
        pos.qty = q1
        this.positions.set(w.symbol, pos)
        this.cash -= sign * f.quantity * f.price
        const exec = this.uuid()
        this.activities.push({
          activity_type: 'FILL',
          id: `${new Date(f.time).toISOString().replace(/[-:TZ.]/g, '')}::${exec}`,
          cum_qty: dec(cum),
          leaves_qty: dec(Math.max(0, Number(w.qty) - cum)),
          price: dec(f.price),
          qty: dec(f.quantity),
          side: w.side,
          symbol: w.symbol,
          transaction_time: t,
          order_id: w.id,
          type: done ? 'fill' : 'partial_fill',
        })
        this.update(
          o,
          done ? 'filled' : 'partially_filled',
          done ? 'fill' : 'partial_fill',
          {
            filled_qty: dec(cum),
            filled_avg_price: dec(Math.round((o.notional / cum) * 1e6) / 1e6),
            ...(done ? { filled_at: t } : {}),
          },
          { execution_id: exec, price: dec(f.price), qty: dec(f.quantity), position_qty: dec(q1) },
          t,
        )
      }
    }
  }

  /** Applies a change to an order and tells {@link onUpdate}. */
  update(
    o: BookOrder,
    status: string,
    event: TradeUpdate['event'],
    patch: Partial<AlpacaOrder>,
    fill?: Pick<TradeUpdate, 'execution_id' | 'price' | 'qty' | 'position_qty'>,
    time = isoUtc(this.clock),
  ): void {
    Object.assign(o.wire, patch, { status, updated_at: time })
    this.onUpdate({ event, timestamp: time, order: { ...o.wire }, ...fill })
  }
}
