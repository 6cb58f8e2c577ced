/**
 * The execution engine: the cache of orders, the order state machine applied to venue reports, and routing of
 * orders to the venue adapter of each instrument. It has no public way to send an order: the only door is the
 * one {@link RiskChannel} handed out once, to the risk gate, so every order passes risk (ARCHITECTURE.md).
 *
 * Nothing it hands out can be changed: the engine keeps a private, mutable record of each order; every event
 * carries one frozen snapshot of it, shared by the strategy, the bus, risk and the recorder (one allocation per
 * event, not one per consumer, and none kept once the event is handled); `order()` and `openOrders()` return
 * frozen snapshots; a venue gets its own copy at submit. Client order ids are assigned by {@link ClientOrderIds} (see `order-ids.ts`).
 */
import { KestrelError } from '../core/index.ts'
import type { EpochMs, Fill, Instrument, Order, OrderRequest } from '../core/index.ts'
import type { OrderEvent, OrderEventKind } from '../strategy/index.ts'
import { ClientOrderIds } from './order-ids.ts'
import { isTerminal, transition } from './order-state.ts'
import type { ExecutionClient, ExecutionReport } from './venue.ts'

/** The private door from the risk gate into execution. Handed out exactly once. */
export interface RiskChannel {
  /** Sends an approved new order. */
  send(req: OrderRequest): Readonly<Order>
  /** Sends a held OTO/bracket child risk approved as `req` (its quantity is what risk checked). */
  sendHeld(req: OrderRequest): Readonly<Order>
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
  /** Node id of the client order ids (default `N1`). */
  readonly nodeId?: string
}

/** The engine's private, mutable record of an order. */
type OrderRecord = { -readonly [K in keyof Order]: Order[K] }

/** A plain copy of an order, fields listed so every copy has one shape. */
function copyOrder(o: Readonly<Order>): Order {
  return {
    clientOrderId: o.clientOrderId,
    strategyId: o.strategyId,
    instrumentId: o.instrumentId,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    trailingOffset: o.trailingOffset,
    trailingOffsetType: o.trailingOffsetType,
    timeInForce: o.timeInForce,
    reduceOnly: o.reduceOnly,
    postOnly: o.postOnly,
    expireTime: o.expireTime,
    groupId: o.groupId,
    contingency: o.contingency,
    parentOrderId: o.parentOrderId,
    tags: o.tags,
    status: o.status,
    filledQuantity: o.filledQuantity,
    avgFillPrice: o.avgFillPrice,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    venueOrderId: o.venueOrderId,
    rejectReason: o.rejectReason,
  }
}

/** Orders, their states, and the venues they go to. */
export class ExecutionEngine {
  /** Issues and claims client order ids (the scheme is in `order-ids.ts`). */
  readonly ids: ClientOrderIds
  private readonly orders = new Map<string, OrderRecord>()
  private readonly open = new Map<string, OrderRecord>()
  private readonly clients = new Map<string, ExecutionClient>()
  private readonly venueOf = new Map<string, string>()
  private channelTaken = false

  constructor(private readonly opts: ExecutionEngineOptions) {
    this.ids = new ClientOrderIds(opts.nodeId)
  }

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
      send: (req) => this.send(this.create(req)),
      sendHeld: (req) => this.sendHeld(req),
      deny: (req, reason) => this.deny(req, reason),
      cancel: (id) => this.requestCancel(id),
    }
  }

  /** Registers an order that waits for its parent (OTO/bracket child) without sending it. */
  hold(req: OrderRequest): Readonly<Order> {
    return this.emit('UPDATED', this.create(req))
  }

  /** Cancels a held order that will never be sent (its parent died). */
  cancelHeld(clientOrderId: string, reason: string): void {
    const r = this.orders.get(clientOrderId)
    if (!r || r.status !== 'INITIALIZED') return
    this.move(r, 'CANCELED', this.opts.now())
    this.finish(r)
    this.emit('CANCELED', r, undefined, reason)
  }

  /** An order by client id (a frozen snapshot). */
  order(clientOrderId: string): Readonly<Order> | undefined {
    const r = this.orders.get(clientOrderId)
    return r === undefined ? undefined : this.view(r)
  }

  /** Non-terminal orders (frozen snapshots), optionally of one strategy and instrument. */
  openOrders(strategyId?: string, instrumentId?: string): Readonly<Order>[] {
    const out: Readonly<Order>[] = []
    for (const r of this.open.values()) {
      const o = r
      if (
        (strategyId === undefined || o.strategyId === strategyId) &&
        (instrumentId === undefined || o.instrumentId === instrumentId)
      )
        out.push(this.view(r))
    }
    return out
  }

  /** Number of non-terminal orders. */
  get openCount(): number {
    return this.open.size
  }

  /** A frozen snapshot of a record (one per event, shared by every consumer of it; one per call here). */
  private view(r: OrderRecord): Readonly<Order> {
    return Object.freeze(copyOrder(r))
  }

  private move(r: OrderRecord, to: Order['status'], time: EpochMs): void {
    transition(r, to, time)
  }

  private create(req: OrderRequest): OrderRecord {
    if (this.orders.has(req.clientOrderId)) {
      throw new KestrelError('ORDER_INVALID', `order ${req.clientOrderId}: duplicate client order id`)
    }
    const t = this.opts.now()
    const r: OrderRecord = {
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
      tags: req.tags === undefined ? undefined : Object.freeze([...req.tags]),
      status: 'INITIALIZED',
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: t,
      updatedAt: t,
      venueOrderId: undefined,
      rejectReason: undefined,
    }
    this.orders.set(r.clientOrderId, r)
    this.open.set(r.clientOrderId, r)
    return r
  }

  private sendHeld(req: OrderRequest): Readonly<Order> {
    const r = this.orders.get(req.clientOrderId)
    if (!r || r.status !== 'INITIALIZED')
      throw new KestrelError('STATE_INVALID', `execution: ${req.clientOrderId} is not a held order`)
    // What goes out is what risk approved: the held order at the quantity risk checked.
    r.quantity = req.quantity
    return this.send(r)
  }

  private send(r: OrderRecord): Readonly<Order> {
    const o = r
    const venue = this.venueOf.get(o.instrumentId)
    const client = venue === undefined ? undefined : this.clients.get(venue)
    const t = this.opts.now()
    if (!client) {
      this.move(r, 'REJECTED', t)
      o.rejectReason = venue === undefined ? `unknown instrument ${o.instrumentId}` : `no venue adapter for ${venue}`
      this.finish(r)
      return this.emit('REJECTED', r, undefined, o.rejectReason)
    }
    this.move(r, 'SUBMITTED', t)
    const sent = this.emit('SUBMITTED', r)
    // The venue's own copy: nothing a strategy holds reaches it.
    client.submit(copyOrder(o), t)
    return sent
  }

  private deny(req: OrderRequest, reason: string): Readonly<Order> {
    const held = this.orders.get(req.clientOrderId)
    const r = held ?? this.create(req)
    if (held && held.status === 'INITIALIZED') held.quantity = req.quantity
    this.move(r, 'REJECTED', this.opts.now())
    r.rejectReason = reason
    this.finish(r)
    return this.emit('REJECTED', r, undefined, reason)
  }

  private requestCancel(id: string): void {
    const r = this.orders.get(id)
    if (!r) throw new KestrelError('ORDER_INVALID', `cancel: unknown order ${id}`)
    const o = r
    if (isTerminal(o.status) || o.status === 'PENDING_CANCEL') return
    if (o.status === 'INITIALIZED') return this.cancelHeld(id, 'canceled by strategy')
    this.move(r, 'PENDING_CANCEL', this.opts.now())
    this.emit('PENDING_CANCEL', r)
    this.clients.get(this.venueOf.get(o.instrumentId)!)!.cancel(id, this.opts.now())
  }

  private onReport(rep: ExecutionReport): void {
    if (rep.kind === 'FILL') return this.onFill(rep.fill, rep.venueOrder)
    const r = this.orders.get(rep.clientOrderId)
    if (!r) throw new KestrelError('STATE_INVALID', `venue report ${rep.kind} for unknown order ${rep.clientOrderId}`)
    const o = r
    switch (rep.kind) {
      case 'ACCEPTED':
        o.venueOrderId = rep.venueOrderId
        if (o.status === 'SUBMITTED') {
          this.move(r, 'ACCEPTED', rep.time)
          this.emit('ACCEPTED', r)
        }
        return
      case 'REJECTED':
        this.move(r, 'REJECTED', rep.time)
        o.rejectReason = rep.reason
        this.finish(r)
        this.emit('REJECTED', r, undefined, rep.reason)
        return
      case 'TRIGGERED':
        this.emit('TRIGGERED', r)
        return
      case 'CANCELED':
      case 'EXPIRED':
        if (isTerminal(o.status)) return
        this.move(r, rep.kind, rep.time)
        this.finish(r)
        this.emit(rep.kind, r, undefined, rep.kind === 'CANCELED' ? rep.reason : undefined)
        return
    }
  }

  private onFill(fill: Fill, venueOrder?: OrderRequest): void {
    let r = this.orders.get(fill.clientOrderId)
    if (!r && venueOrder) {
      r = this.create(venueOrder)
      this.move(r, 'SUBMITTED', fill.time)
    }
    if (!r) throw new KestrelError('STATE_INVALID', `fill ${fill.fillId} for unknown order ${fill.clientOrderId}`)
    const o = r
    if (o.status === 'SUBMITTED') transition(o, 'ACCEPTED', fill.time)
    const q0 = o.filledQuantity
    const q1 = q0 + fill.quantity
    o.avgFillPrice = q0 === 0 ? fill.price : (o.avgFillPrice * q0 + fill.price * fill.quantity) / q1
    o.filledQuantity = q1
    const full = q1 >= o.quantity - 1e-9 * o.quantity
    this.move(r, full ? 'FILLED' : 'PARTIALLY_FILLED', fill.time)
    if (full) this.finish(r)
    this.emit(full ? 'FILLED' : 'PARTIALLY_FILLED', r, Object.freeze(fill))
  }

  private finish(r: OrderRecord): void {
    this.open.delete(r.clientOrderId)
    if (this.opts.retainTerminal === false) this.orders.delete(r.clientOrderId)
  }

  private emit(kind: OrderEventKind, r: OrderRecord, fill?: Fill, reason?: string): Readonly<Order> {
    // One frozen event with one frozen snapshot, shared by every consumer; one object shape for every event
    // (fill/reason undefined when absent) keeps the hot path monomorphic.
    const order = this.view(r)
    this.opts.onEvent(Object.freeze({ kind, time: this.opts.now(), order, fill, reason }))
    return order
  }
}
