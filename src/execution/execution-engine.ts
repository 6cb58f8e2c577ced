/**
 * The execution engine: the cache of orders, the order state machine applied to venue reports, and routing of
 * orders to the venue adapter of each instrument. It has no public way to send an order: the only door is the
 * one {@link RiskChannel} handed out once, to the risk gate, so every order passes risk (ARCHITECTURE.md).
 */
import { KestrelError } from '../core/index.ts'
import type { EpochMs, Fill, Instrument, Order, OrderRequest } from '../core/index.ts'
import type { OrderEvent, OrderEventKind } from '../strategy/index.ts'
import { isTerminal, transition } from './order-state.ts'
import type { ExecutionClient, ExecutionReport } from './venue.ts'

/** The private door from the risk gate into execution. Handed out exactly once. */
export interface RiskChannel {
  /** Sends an approved order (a new one, or a held OTO child already in the cache). */
  send(req: OrderRequest): Readonly<Order>
  /** Records an order risk refused (the strategy sees REJECTED). */
  deny(req: OrderRequest, reason: string): Readonly<Order>
  /** Forwards an approved cancel. */
  cancel(clientOrderId: string): void
}

/** Options of {@link ExecutionEngine}. */
export interface ExecutionEngineOptions {
  readonly now: () => EpochMs
  /** Told of every order event, in order (fills after the order's state changed). */
  readonly onEvent: (e: OrderEvent) => void
  /** Keep terminal orders in the cache (default true; long runs turn it off). */
  readonly retainTerminal?: boolean
}

/** Orders, their states, and the venues they go to. */
export class ExecutionEngine {
  private readonly orders = new Map<string, Order>()
  private readonly open = new Map<string, Order>()
  private readonly clients = new Map<string, ExecutionClient>()
  private readonly venueOf = new Map<string, string>()
  private channelTaken = false

  constructor(private readonly opts: ExecutionEngineOptions) {}

  /** Connects a venue adapter; its reports flow into this engine. */
  addClient(client: ExecutionClient): void {
    if (this.clients.has(client.venue))
      throw new KestrelError('STATE_INVALID', `execution: venue ${client.venue} is already connected`)
    this.clients.set(client.venue, client)
    client.connect((r) => this.onReport(r))
  }

  /** Tells the engine which venue trades an instrument. */
  addInstrument(inst: Instrument): void {
    this.venueOf.set(inst.id, inst.venue)
  }

  /**
   * Opens the one channel through which orders enter execution. The kernel gives it to the risk gate at
   * construction; a second call throws STATE_INVALID, so nothing else can obtain it.
   */
  openRiskChannel(): RiskChannel {
    if (this.channelTaken) {
      throw new KestrelError(
        'STATE_INVALID',
        'execution: the risk channel is already taken; orders must go through risk',
      )
    }
    this.channelTaken = true
    return {
      send: (req) => this.send(req),
      deny: (req, reason) => this.deny(req, reason),
      cancel: (id) => this.requestCancel(id),
    }
  }

  /** Registers an order that waits for its parent (OTO/bracket child) without sending it. */
  hold(req: OrderRequest): Readonly<Order> {
    const o = this.create(req)
    this.emit('UPDATED', o)
    return o
  }

  /** Replaces the quantity of a held order (a bracket child after a partial entry). */
  resize(clientOrderId: string, quantity: number): void {
    const o = this.orders.get(clientOrderId)
    if (!o || o.status !== 'INITIALIZED') return
    const next: Order = { ...o, quantity }
    this.orders.set(o.clientOrderId, next)
    this.open.set(o.clientOrderId, next)
  }

  /** Cancels a held order that will never be sent (its parent died). */
  cancelHeld(clientOrderId: string, reason: string): void {
    const o = this.orders.get(clientOrderId)
    if (!o || o.status !== 'INITIALIZED') return
    transition(o, 'CANCELED', this.opts.now())
    this.finish(o)
    this.emit('CANCELED', o, undefined, reason)
  }

  /** An order by client id. */
  order(clientOrderId: string): Readonly<Order> | undefined {
    return this.orders.get(clientOrderId)
  }

  /** Non-terminal orders, optionally of one strategy and instrument. */
  openOrders(strategyId?: string, instrumentId?: string): Readonly<Order>[] {
    const out: Order[] = []
    for (const o of this.open.values()) {
      if (
        (strategyId === undefined || o.strategyId === strategyId) &&
        (instrumentId === undefined || o.instrumentId === instrumentId)
      )
        out.push(o)
    }
    return out
  }

  /** Number of non-terminal orders. */
  get openCount(): number {
    return this.open.size
  }

  private create(req: OrderRequest): Order {
    if (this.orders.has(req.clientOrderId)) {
      throw new KestrelError('ORDER_INVALID', `order ${req.clientOrderId}: duplicate client order id`)
    }
    const t = this.opts.now()
    const o: Order = {
      clientOrderId: req.clientOrderId,
      strategyId: req.strategyId,
      instrumentId: req.instrumentId,
      side: req.side,
      type: req.type,
      quantity: req.quantity,
      limitPrice: req.limitPrice,
      stopPrice: req.stopPrice,
      trailingOffset: req.trailingOffset,
      trailingOffsetType: req.trailingOffsetType,
      timeInForce: req.timeInForce,
      reduceOnly: req.reduceOnly,
      postOnly: req.postOnly,
      expireTime: req.expireTime,
      groupId: req.groupId,
      contingency: req.contingency,
      parentOrderId: req.parentOrderId,
      tags: req.tags,
      status: 'INITIALIZED',
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: t,
      updatedAt: t,
      venueOrderId: undefined,
      rejectReason: undefined,
    }
    this.orders.set(o.clientOrderId, o)
    this.open.set(o.clientOrderId, o)
    return o
  }

  private send(req: OrderRequest): Readonly<Order> {
    const existing = this.orders.get(req.clientOrderId)
    const o = existing && existing.status === 'INITIALIZED' ? existing : this.create(req)
    const venue = this.venueOf.get(o.instrumentId)
    const client = venue === undefined ? undefined : this.clients.get(venue)
    const t = this.opts.now()
    if (!client) {
      transition(o, 'REJECTED', t)
      o.rejectReason = venue === undefined ? `unknown instrument ${o.instrumentId}` : `no venue adapter for ${venue}`
      this.finish(o)
      this.emit('REJECTED', o, undefined, o.rejectReason)
      return o
    }
    transition(o, 'SUBMITTED', t)
    this.emit('SUBMITTED', o)
    client.submit(o, t)
    return o
  }

  private deny(req: OrderRequest, reason: string): Readonly<Order> {
    const o = this.orders.get(req.clientOrderId) ?? this.create(req)
    transition(o, 'REJECTED', this.opts.now())
    o.rejectReason = reason
    this.finish(o)
    this.emit('REJECTED', o, undefined, reason)
    return o
  }

  private requestCancel(id: string): void {
    const o = this.orders.get(id)
    if (!o) throw new KestrelError('ORDER_INVALID', `cancel: unknown order ${id}`)
    if (isTerminal(o.status) || o.status === 'PENDING_CANCEL') return
    if (o.status === 'INITIALIZED') return this.cancelHeld(id, 'canceled by strategy')
    transition(o, 'PENDING_CANCEL', this.opts.now())
    this.emit('PENDING_CANCEL', o)
    this.clients.get(this.venueOf.get(o.instrumentId)!)!.cancel(id, this.opts.now())
  }

  private onReport(r: ExecutionReport): void {
    if (r.kind === 'FILL') return this.onFill(r.fill, r.venueOrder)
    const o = this.orders.get(r.clientOrderId)
    if (!o) throw new KestrelError('STATE_INVALID', `venue report ${r.kind} for unknown order ${r.clientOrderId}`)
    switch (r.kind) {
      case 'ACCEPTED':
        o.venueOrderId = r.venueOrderId
        if (o.status === 'SUBMITTED') {
          transition(o, 'ACCEPTED', r.time)
          this.emit('ACCEPTED', o)
        }
        return
      case 'REJECTED':
        transition(o, 'REJECTED', r.time)
        o.rejectReason = r.reason
        this.finish(o)
        return this.emit('REJECTED', o, undefined, r.reason)
      case 'TRIGGERED':
        return this.emit('TRIGGERED', o)
      case 'CANCELED':
      case 'EXPIRED':
        if (isTerminal(o.status)) return
        transition(o, r.kind, r.time)
        this.finish(o)
        return this.emit(r.kind, o, undefined, r.kind === 'CANCELED' ? r.reason : undefined)
    }
  }

  private onFill(fill: Fill, venueOrder?: OrderRequest): void {
    let o = this.orders.get(fill.clientOrderId)
    if (!o && venueOrder) {
      o = this.create(venueOrder)
      transition(o, 'SUBMITTED', fill.time)
    }
    if (!o) throw new KestrelError('STATE_INVALID', `fill ${fill.fillId} for unknown order ${fill.clientOrderId}`)
    if (o.status === 'SUBMITTED') transition(o, 'ACCEPTED', fill.time)
    const q0 = o.filledQuantity
    const q1 = q0 + fill.quantity
    o.avgFillPrice = q0 === 0 ? fill.price : (o.avgFillPrice * q0 + fill.price * fill.quantity) / q1
    o.filledQuantity = q1
    const full = q1 >= o.quantity - 1e-9 * o.quantity
    transition(o, full ? 'FILLED' : 'PARTIALLY_FILLED', fill.time)
    if (full) this.finish(o)
    this.emit(full ? 'FILLED' : 'PARTIALLY_FILLED', o, fill)
  }

  private finish(o: Order): void {
    this.open.delete(o.clientOrderId)
    if (this.opts.retainTerminal === false) this.orders.delete(o.clientOrderId)
  }

  private emit(kind: OrderEventKind, order: Order, fill?: Fill, reason?: string): void {
    // One object shape for every event (fill/reason undefined when absent): keeps the hot path monomorphic.
    const e: OrderEvent = { kind, time: this.opts.now(), order, fill, reason }
    this.opts.onEvent(e)
  }
}
