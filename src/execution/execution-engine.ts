/**
 * The execution engine: the cache of orders, the order state machine applied to venue reports, and routing of
 * orders to the venue adapter of each instrument. It has no public way to send an order: the only door is the
 * one {@link RiskChannel} handed out once, to the risk gate, so every order passes risk (ARCHITECTURE.md).
 *
 * Nothing it hands out can be changed: the engine keeps a private, mutable record of each order and freezes it
 * once the order is terminal (it never changes again, so from then on the record is its own snapshot). An event
 * is made only when someone will look at it, as one frozen object with one frozen snapshot shared by every
 * consumer (strategy, bus, risk); `order()` and `openOrders()` return frozen snapshots; a venue gets its own
 * frozen copy at submit. Client order ids are assigned by {@link ClientOrderIds} (see `order-ids.ts`); the
 * cache is keyed by their sequence number.
 */
import { KestrelError, roundPrice, roundQuantity } from '../core/index.ts'
import type { EpochMs, Fill, Instrument, Order, OrderEvent, OrderEventKind, OrderRequest } from '../core/index.ts'
import { ClientOrderIds } from './order-ids.ts'
import { SeqTable } from './seq-table.ts'
import { isTerminal, transition } from './order-state.ts'
import { isSimulatedVenue, type ExecutionClient, type ExecutionReport } from './venue.ts'

/**
 * An order as the engine read it from a request, before it is registered: every field read once, so what risk
 * checks is what execution sends. Made by {@link ExecutionEngine.draft}; registered by the risk channel or
 * {@link ExecutionEngine.hold}. Private to the engine and the kernel's order path: never handed to a strategy.
 */
export type OrderDraft = OrderRecord & { readonly [DRAFT]: true }
declare const DRAFT: unique symbol

/** The private door from the risk gate into execution. Handed out exactly once. */
export interface RiskChannel {
  /** Registers and sends an approved new order. */
  send(draft: OrderDraft): void
  /** Sends a held OTO/bracket child risk approved as `req` (its quantity is what risk checked). */
  sendHeld(req: OrderRequest): void
  /** Records an order risk refused (the strategy sees REJECTED): a draft, or a held child by its id. */
  deny(req: OrderDraft | OrderRequest, reason: string): void
  /** Forwards an approved cancel. */
  cancel(clientOrderId: string): void
}

/**
 * Told of every order event, in order (fills after the order's state changed). `order` is the engine's own
 * record: read it during the call, never keep or change it. `view` is a frozen snapshot of it after the event
 * when the engine has one at hand (the venue's copy at SUBMITTED, the record itself once terminal); for any
 * other, {@link ExecutionEngine.event} makes one. Nothing is allocated for an event nobody looks at.
 */
export type OrderEventSink = (
  kind: OrderEventKind,
  order: Readonly<Order>,
  fill: Fill | undefined,
  reason: string | undefined,
  view: Readonly<Order> | undefined,
) => void

/** Options of {@link ExecutionEngine}. */
export interface ExecutionEngineOptions {
  readonly now: () => EpochMs
  readonly onEvent: OrderEventSink
  /** Keep terminal orders in the cache (default true; long runs turn it off). */
  readonly retainTerminal?: boolean
  /** Node id of the client order ids (default `N1`). */
  readonly nodeId?: string
}

/** The engine's private, mutable record of an order (frozen once terminal: it never changes again). */
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
  /** Live (non-terminal) orders with ids of this node's scheme, by sequence number (see `order-ids.ts`). */
  private readonly bySeq = new SeqTable<OrderRecord>()
  /** Terminal orders kept (`retainTerminal`), indexed by sequence number: appended in order, looked up by index. */
  private readonly doneBySeq: OrderRecord[] = []
  /** Orders with any other id (a venue's own, e.g. a liquidation). */
  private readonly byId = new Map<string, OrderRecord>()
  private readonly open = new Set<OrderRecord>()
  private readonly clients = new Map<string, ExecutionClient>()
  private readonly venueOf = new Map<string, string>()
  private readonly clientOf = new Map<string, ExecutionClient>()
  private readonly retain: boolean
  private channelTaken = false

  constructor(private readonly opts: ExecutionEngineOptions) {
    this.ids = new ClientOrderIds(opts.nodeId)
    this.retain = opts.retainTerminal !== false
  }

  /** Connects a venue adapter; its reports flow into this engine. */
  addClient(client: ExecutionClient): void {
    if (this.clients.has(client.venue))
      throw new KestrelError('STATE_INVALID', `execution: venue ${client.venue} is already connected`)
    this.clients.set(client.venue, client)
    for (const [inst, venue] of this.venueOf) if (venue === client.venue) this.clientOf.set(inst, client)
    client.connect((r) => this.onReport(r))
  }

  /** Tells the engine which venue trades an instrument. */
  addInstrument(inst: Instrument): void {
    this.venueOf.set(inst.id, inst.venue)
    const c = this.clients.get(inst.venue)
    if (c) this.clientOf.set(inst.id, c)
    else this.clientOf.delete(inst.id)
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
      send: (d) => this.send(this.register(d)),
      sendHeld: (req) => this.sendHeld(req),
      deny: (req, reason) => this.deny(req, reason),
      cancel: (id) => this.requestCancel(id),
    }
  }

  /**
   * Reads a request into an unregistered order: each field once, into a plain object of its own (a getter or
   * a later change of `req` cannot reach it). Throws ORDER_INVALID for something that is not an object.
   */
  draft(req: OrderRequest): OrderDraft {
    if (req === null || typeof req !== 'object')
      throw new KestrelError('ORDER_INVALID', `order: expected an order request, got ${String(req)}`)
    const tags = req.tags
    const d: OrderRecord = {
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
      tags: tags === undefined ? undefined : Object.freeze([...tags]),
      status: 'INITIALIZED',
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: NaN,
      updatedAt: NaN,
      venueOrderId: undefined,
      rejectReason: undefined,
    }
    return d as OrderDraft
  }

  /** Registers an order that waits for its parent (OTO/bracket child) without sending it. */
  hold(d: OrderDraft): void {
    const r = this.register(d)
    this.emit('UPDATED', r)
  }

  /** Cancels a held order that will never be sent (its parent died). */
  cancelHeld(clientOrderId: string, reason: string): void {
    const r = this.lookup(clientOrderId)
    if (!r || r.status !== 'INITIALIZED') return
    this.move(r, 'CANCELED', this.opts.now())
    this.emit('CANCELED', r, undefined, reason, this.finish(r))
  }

  /** An order by client id (a frozen snapshot; a terminal order is its own, frozen, record). */
  order(clientOrderId: string): Readonly<Order> | undefined {
    const r = this.lookup(clientOrderId)
    return r === undefined ? undefined : this.view(r)
  }

  /**
   * Adjusts every open and held order of `inst` to a split of `ratio` new units per old, as brokers adjust
   * good-till orders: what has filled and the unfilled rest are multiplied (the rest rounded down to the lot
   * size), limit, stop and price trailing offsets divided and rounded to the tick. A simulated venue gets the
   * adjusted copies; each order then has an UPDATED event saying why, or CANCELED when its rest rounds to no
   * lot. A real venue adjusts its own orders (reconciliation reads them back).
   */
  applySplit(inst: Instrument, ratio: number): void {
    if (!(ratio > 0) || !Number.isFinite(ratio))
      throw new KestrelError('PARAM_INVALID', `split of ${inst.id}: ratio ${ratio} must be a finite number > 0`)
    const t = this.opts.now()
    const amended = new Map<string, Readonly<Order>>()
    const changed: { r: OrderRecord; gone: boolean }[] = []
    for (const r of this.open) {
      if (r.instrumentId !== inst.id) continue
      const filled = r.filledQuantity * ratio
      const rest = roundQuantity(inst, (r.quantity - r.filledQuantity) * ratio, 'down')
      r.filledQuantity = filled
      r.quantity = filled + rest
      if (!Number.isNaN(r.avgFillPrice)) r.avgFillPrice /= ratio
      if (r.limitPrice !== undefined) r.limitPrice = roundPrice(inst, r.limitPrice / ratio)
      if (r.stopPrice !== undefined) r.stopPrice = roundPrice(inst, r.stopPrice / ratio)
      if (r.trailingOffset !== undefined && r.trailingOffsetType !== 'PERCENT')
        r.trailingOffset = Math.max(inst.tickSize, roundPrice(inst, r.trailingOffset / ratio))
      r.updatedAt = t
      amended.set(r.clientOrderId, Object.freeze(copyOrder(r)))
      changed.push({ r, gone: !(rest > 0) })
    }
    if (changed.length === 0) return
    const client = this.clientOf.get(inst.id)
    if (client && isSimulatedVenue(client)) client.applySplit(inst.id, ratio, amended)
    const why = `split ${ratio}:1 of ${inst.id}`
    for (const { r, gone } of changed) {
      if (gone) {
        this.move(r, 'CANCELED', t)
        this.emit('CANCELED', r, undefined, `${why}: the unfilled rest rounds to no lot`, this.finish(r))
      } else this.emit('UPDATED', r, undefined, why)
    }
  }

  /**
   * The instrument is delisted: every open and held order on it is CANCELED at once with `reason` (a
   * simulated venue drops its copies; there is nothing left to trade them against).
   */
  delist(inst: Instrument, reason: string): void {
    const t = this.opts.now()
    const mine = [...this.open].filter((r) => r.instrumentId === inst.id)
    if (mine.length === 0) return
    const client = this.clientOf.get(inst.id)
    if (client && isSimulatedVenue(client)) client.delist?.(inst.id)
    for (const r of mine) {
      if (isTerminal(r.status)) continue
      this.move(r, 'CANCELED', t)
      this.emit('CANCELED', r, undefined, reason, this.finish(r))
    }
  }

  /** Non-terminal orders (frozen snapshots), optionally of one strategy and instrument. */
  openOrders(strategyId?: string, instrumentId?: string): Readonly<Order>[] {
    const out: Readonly<Order>[] = []
    if (this.open.size === 0) return out
    for (const o of this.open) {
      if (
        (strategyId === undefined || o.strategyId === strategyId) &&
        (instrumentId === undefined || o.instrumentId === instrumentId)
      )
        out.push(this.view(o))
    }
    return out
  }

  /** Number of non-terminal orders. */
  get openCount(): number {
    return this.open.size
  }

  /**
   * The frozen event for a sink call (`view` as the sink got it): one allocation shared by every consumer of
   * it, made only when someone will look at it.
   */
  event(
    kind: OrderEventKind,
    order: Readonly<Order>,
    fill: Fill | undefined,
    reason: string | undefined,
    view: Readonly<Order> | undefined,
  ): OrderEvent {
    // One object shape for every event (fill/reason undefined when absent) keeps consumers monomorphic.
    return Object.freeze({ kind, time: this.opts.now(), order: view ?? this.view(order), fill, reason })
  }

  /** A frozen snapshot of a record: the record itself once terminal (frozen, it never changes again). */
  private view(r: Readonly<Order>): Readonly<Order> {
    return Object.isFrozen(r) ? r : Object.freeze(copyOrder(r))
  }

  /** The record of a client order id, or undefined. */
  private lookup(id: string): OrderRecord | undefined {
    const seq = this.ids.seqOf(id)
    const r = seq > 0 ? (this.bySeq.get(seq) ?? this.doneBySeq[seq]) : this.byId.get(id)
    return r !== undefined && r.clientOrderId === id ? r : undefined
  }

  private move(r: OrderRecord, to: Order['status'], time: EpochMs): void {
    transition(r, to, time)
  }

  private register(d: OrderDraft | OrderRecord): OrderRecord {
    const r = d as OrderRecord
    const id = r.clientOrderId
    if (this.lookup(id) !== undefined) {
      throw new KestrelError('ORDER_INVALID', `order ${id}: duplicate client order id`)
    }
    const t = this.opts.now()
    r.createdAt = t
    r.updatedAt = t
    const seq = this.ids.seqOf(id)
    if (seq > 0) this.bySeq.set(seq, r)
    else this.byId.set(id, r)
    this.open.add(r)
    return r
  }

  private sendHeld(req: OrderRequest): void {
    const r = this.lookup(req.clientOrderId)
    if (!r || r.status !== 'INITIALIZED')
      throw new KestrelError('STATE_INVALID', `execution: ${req.clientOrderId} is not a held order`)
    // What goes out is what risk approved: the held order at the quantity risk checked.
    r.quantity = req.quantity
    this.send(r)
  }

  private send(r: OrderRecord): void {
    const client = this.clientOf.get(r.instrumentId)
    const t = this.opts.now()
    if (!client) {
      const venue = this.venueOf.get(r.instrumentId)
      this.move(r, 'REJECTED', t)
      r.rejectReason = venue === undefined ? `unknown instrument ${r.instrumentId}` : `no venue adapter for ${venue}`
      this.emit('REJECTED', r, undefined, r.rejectReason, this.finish(r))
      return
    }
    this.move(r, 'SUBMITTED', t)
    // The venue's own frozen copy (nothing a strategy holds reaches it), which is also the SUBMITTED event's view.
    const sent = Object.freeze(copyOrder(r))
    this.emit('SUBMITTED', r, undefined, undefined, sent)
    client.submit(sent, t)
  }

  private deny(req: OrderDraft | OrderRequest, reason: string): void {
    const held = this.lookup(req.clientOrderId)
    let r: OrderRecord
    if (held && held.status === 'INITIALIZED' && held !== req) {
      held.quantity = req.quantity
      r = held
    } else r = held ?? this.register(req as OrderDraft)
    this.move(r, 'REJECTED', this.opts.now())
    r.rejectReason = reason
    this.emit('REJECTED', r, undefined, reason, this.finish(r))
  }

  private requestCancel(id: string): void {
    const r = this.lookup(id)
    if (!r) throw new KestrelError('ORDER_INVALID', `cancel: unknown order ${id}`)
    if (isTerminal(r.status) || r.status === 'PENDING_CANCEL') return
    if (r.status === 'INITIALIZED') return this.cancelHeld(id, 'canceled by strategy')
    this.move(r, 'PENDING_CANCEL', this.opts.now())
    this.emit('PENDING_CANCEL', r)
    this.clientOf.get(r.instrumentId)!.cancel(id, this.opts.now())
  }

  private onReport(rep: ExecutionReport): void {
    if (rep.kind === 'FILL') return this.onFill(rep.fill, rep.venueOrder)
    const r = this.lookup(rep.clientOrderId)
    if (!r) throw new KestrelError('STATE_INVALID', `venue report ${rep.kind} for unknown order ${rep.clientOrderId}`)
    switch (rep.kind) {
      case 'ACCEPTED':
        if (isTerminal(r.status)) return
        r.venueOrderId = rep.venueOrderId
        if (r.status === 'SUBMITTED') {
          this.move(r, 'ACCEPTED', rep.time)
          this.emit('ACCEPTED', r)
        }
        return
      case 'REJECTED':
        this.move(r, 'REJECTED', rep.time)
        r.rejectReason = rep.reason
        this.emit('REJECTED', r, undefined, rep.reason, this.finish(r))
        return
      case 'TRIGGERED':
        this.emit('TRIGGERED', r)
        return
      case 'CANCELED':
      case 'EXPIRED':
        if (isTerminal(r.status)) return
        this.move(r, rep.kind, rep.time)
        this.emit(rep.kind, r, undefined, rep.kind === 'CANCELED' ? rep.reason : undefined, this.finish(r))
        return
    }
  }

  private onFill(fill: Fill, venueOrder?: OrderRequest): void {
    let r = this.lookup(fill.clientOrderId)
    if (!r && venueOrder) {
      r = this.register(this.draft(venueOrder))
      this.move(r, 'SUBMITTED', fill.time)
    }
    if (!r) throw new KestrelError('STATE_INVALID', `fill ${fill.fillId} for unknown order ${fill.clientOrderId}`)
    const q0 = r.filledQuantity
    const q1 = q0 + fill.quantity
    const full = q1 >= r.quantity - 1e-9 * r.quantity
    // A terminal order is frozen: the illegal transition is refused (STATE_INVALID) before anything is written.
    if (isTerminal(r.status)) this.move(r, full ? 'FILLED' : 'PARTIALLY_FILLED', fill.time)
    if (r.status === 'SUBMITTED') transition(r, 'ACCEPTED', fill.time)
    r.avgFillPrice = q0 === 0 ? fill.price : (r.avgFillPrice * q0 + fill.price * fill.quantity) / q1
    r.filledQuantity = q1
    this.move(r, full ? 'FILLED' : 'PARTIALLY_FILLED', fill.time)
    const view = full ? this.finish(r) : undefined
    this.emit(full ? 'FILLED' : 'PARTIALLY_FILLED', r, Object.freeze(fill), undefined, view)
  }

  /**
   * A terminal order: out of the open set (and the cache, unless kept), frozen for good. Returns the frozen
   * record, which is from now on the order's snapshot (its terminal event's view).
   */
  private finish(r: OrderRecord): Readonly<Order> {
    this.open.delete(r)
    const seq = this.ids.seqOf(r.clientOrderId)
    if (seq > 0) {
      this.bySeq.delete(seq)
      if (this.retain) this.doneBySeq[seq] = r
    } else if (!this.retain) this.byId.delete(r.clientOrderId)
    return Object.freeze(r)
  }

  /** Tells the sink of an event; `view` is the order's frozen snapshot when the caller has one (see finish). */
  private emit(kind: OrderEventKind, r: OrderRecord, fill?: Fill, reason?: string, view?: Readonly<Order>): void {
    this.opts.onEvent(kind, r, fill, reason, view)
  }
}
