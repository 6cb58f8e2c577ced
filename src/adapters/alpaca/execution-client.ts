/**
 * Kestrel's execution client for Alpaca: orders over the REST API, reports from the `trade_updates` stream,
 * reconciliation queries over REST. The stream reconnects by itself (exponential backoff with jitter) and
 * listens again; each update becomes an {@link ExecutionReport} exactly once, however often or in whatever
 * order the venue sends it (fills are deduplicated by execution id, an order's end waits for the fills its
 * cumulative quantity says came before it).
 *
 * An order's outcome is never guessed: a submit or cancel that times out or cannot reach the venue reports
 * nothing terminal; it raises VENUE_TIMEOUT / VENUE_UNAVAILABLE (through `onError` for `submit`/`cancel`),
 * and the caller asks {@link AlpacaExecutionClient.queryOrder}.
 */
import { KestrelError, isKestrelError } from '../../core/index.ts'
import type {
  ConnectionListener,
  EpochMs,
  ExecutionReport,
  Fill,
  Order,
  ReconcilingClient,
  ReportSink,
  VenueBalance,
  VenueOrder,
  VenuePosition,
} from '../../core/index.ts'
import {
  ALPACA_VENUE,
  DUPLICATE_CLIENT_ORDER_ID,
  alpacaSymbol,
  alpacaTif,
  alpacaType,
  dec,
  instrumentIdOf,
  num,
  orderTypeOf,
  sideOf,
  statusOf,
  tifOf,
  timeOf,
  type AlpacaAccount,
  type AlpacaOrder,
  type AlpacaOrderRequest,
  type AlpacaPosition,
  type FillActivity,
} from './protocol.ts'
import { OrderReports } from './order-reports.ts'
import { AlpacaApiError, AlpacaRest, type AlpacaRestOptions } from './rest.ts'
import { TradeStream } from './trade-stream.ts'

/** Settings of {@link AlpacaExecutionClient}. */
export interface AlpacaExecutionOptions extends AlpacaRestOptions {
  /** Venue name of the instruments it trades (`AAPL.ALPACA`). Default `ALPACA`. */
  readonly venue?: string
  /** The trade_updates stream. Default: the base url with ws(s) and `/stream`. */
  readonly streamUrl?: string
  /** Stream reconnect delays: `min(maxDelayMs, baseDelayMs * 2^(n-1))` with jitter. Defaults 250 ms, 30 s. */
  readonly reconnect?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number }
  /** Told of a `submit` or `cancel` whose outcome is unknown (timeout, venue unreachable); ask `queryOrder`. */
  readonly onError?: (error: KestrelError, clientOrderId: string) => void
  /** Strategy id of fills of orders this client did not send in this session. Default `""`. */
  readonly unknownStrategyId?: string
}

/** A change of a working order (`PATCH /v2/orders/{id}`): the replacement gets a new client order id. */
export interface OrderChange {
  readonly clientOrderId: string
  readonly quantity?: number
  readonly limitPrice?: number
  readonly stopPrice?: number
}

/** The Alpaca execution client. */
export class AlpacaExecutionClient implements ReconcilingClient {
  readonly venue: string
  private readonly rest: AlpacaRest
  private readonly stream: TradeStream
  private readonly reports: OrderReports
  private sink: ReportSink | undefined
  private readonly listeners: ConnectionListener[] = []

  constructor(private readonly opts: AlpacaExecutionOptions) {
    this.venue = opts.venue ?? ALPACA_VENUE
    this.rest = new AlpacaRest(opts)
    this.reports = new OrderReports(this.venue, (r) => this.sink?.(r), opts.unknownStrategyId)
    this.stream = new TradeStream({
      url: opts.streamUrl ?? `${opts.baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/stream`,
      keyId: opts.keyId,
      secretKey: opts.secretKey,
      reconnect: opts.reconnect,
      random: opts.retry?.random,
      onUpdate: (u) => this.reports.onUpdate(u),
      onConnection: (up, reason) => {
        for (const l of this.listeners) l(up, reason)
      },
    })
  }

  connect(sink: ReportSink): void {
    this.sink = sink
  }

  onConnection(listener: ConnectionListener): void {
    this.listeners.push(listener)
  }

  /** True while the trade_updates stream is authorized and listening. */
  get connected(): boolean {
    return this.stream.connected
  }

  /** Checks the keys (`GET /v2/account`), then opens the stream; resolves once it listens. */
  async start(): Promise<void> {
    await this.rest.request<AlpacaAccount>('GET', '/v2/account')
    await this.stream.start()
  }

  stop(): Promise<void> {
    return this.stream.stop()
  }

  submit(order: Readonly<Order>, _time: EpochMs): void {
    this.submitOrder(order).catch((e: unknown) => this.unknown(e, order.clientOrderId))
  }

  cancel(clientOrderId: string, _time: EpochMs): void {
    this.cancelOrder(clientOrderId).catch((e: unknown) => this.unknown(e, clientOrderId))
  }

  /**
   * Sends an order. A refusal (4xx) is reported REJECTED and thrown as {@link AlpacaApiError}; a timeout or an
   * unreachable venue is thrown (VENUE_TIMEOUT / VENUE_UNAVAILABLE) with nothing reported: ask `queryOrder`.
   */
  async submitOrder(order: Readonly<Order>): Promise<VenueOrder> {
    const existed = this.reports.get(order.clientOrderId)?.accepted === true
    const t = this.reports.track(order.clientOrderId, order.strategyId, order.instrumentId)
    const body: AlpacaOrderRequest & { trail_price?: string; trail_percent?: string } = {
      symbol: alpacaSymbol(order.instrumentId),
      qty: dec(order.quantity),
      side: order.side === 'BUY' ? 'buy' : 'sell',
      type: alpacaType(order.type),
      time_in_force: alpacaTif(order.timeInForce),
      client_order_id: order.clientOrderId,
    }
    if (order.limitPrice !== undefined) body.limit_price = dec(order.limitPrice)
    if (order.stopPrice !== undefined) body.stop_price = dec(order.stopPrice)
    if (order.type === 'TRAILING_STOP' && order.trailingOffset !== undefined) {
      if (order.trailingOffsetType === 'PERCENT') body.trail_percent = dec(order.trailingOffset)
      else body.trail_price = dec(order.trailingOffset)
    }
    const stats = { attempts: 0 }
    let wire: AlpacaOrder
    try {
      wire = await this.rest.request<AlpacaOrder>('POST', '/v2/orders', { body, retryUnknown: false, stats })
    } catch (e) {
      if (e instanceof AlpacaApiError && e.status < 500) {
        // Our own earlier attempt (answered 5xx) may have reached the venue: then the order is ours, not a duplicate.
        if (stats.attempts > 1 && e.alpacaMessage === DUPLICATE_CLIENT_ORDER_ID) {
          const found = await this.fetchOrder(order.clientOrderId)
          if (found) {
            this.reports.learn(t, found)
            return this.toVenueOrder(found)
          }
        }
        const r: ExecutionReport = {
          kind: 'REJECTED',
          clientOrderId: order.clientOrderId,
          time: Date.now(),
          reason: `alpaca ${e.alpacaCode ?? e.status}: ${e.alpacaMessage}`,
        }
        // A reused id refuses the new request only: the order working under it keeps its state.
        if (existed) this.sink?.(r)
        else this.reports.end(t, r)
      }
      throw e
    }
    this.reports.learn(t, wire)
    return this.toVenueOrder(wire)
  }

  /** Requests cancellation; the CANCELED report comes from the stream. 404 and 422 are thrown as AlpacaApiError. */
  async cancelOrder(clientOrderId: string): Promise<void> {
    const id = await this.venueId(clientOrderId)
    await this.rest.request('DELETE', `/v2/orders/${encodeURIComponent(id)}`)
  }

  /**
   * Replaces a working order's quantity or prices. The venue ends the old order (reported CANCELED, reason
   * `replaced by <client order id>`) and works the new one under `change.clientOrderId` (reported ACCEPTED).
   */
  async replaceOrder(clientOrderId: string, change: OrderChange): Promise<VenueOrder> {
    const id = await this.venueId(clientOrderId)
    const old = this.reports.get(clientOrderId)!
    const t = this.reports.track(change.clientOrderId, old.strategyId, old.instrumentId)
    old.replacedBy = change.clientOrderId
    const body: Record<string, string> = { client_order_id: change.clientOrderId }
    if (change.quantity !== undefined) body.qty = dec(change.quantity)
    if (change.limitPrice !== undefined) body.limit_price = dec(change.limitPrice)
    if (change.stopPrice !== undefined) body.stop_price = dec(change.stopPrice)
    const wire = await this.rest.request<AlpacaOrder>('PATCH', `/v2/orders/${encodeURIComponent(id)}`, {
      body,
      retryUnknown: false,
    })
    this.reports.learn(t, wire)
    return this.toVenueOrder(wire)
  }

  async queryOrder(clientOrderId: string): Promise<VenueOrder | undefined> {
    const o = await this.fetchOrder(clientOrderId)
    return o && this.toVenueOrder(o)
  }

  async openOrders(): Promise<readonly VenueOrder[]> {
    const list = await this.rest.request<AlpacaOrder[]>('GET', '/v2/orders', {
      query: { status: 'open', limit: '500', direction: 'asc' },
    })
    return list.map((o) => this.toVenueOrder(o))
  }

  /** Every fill at or after `time`, oldest first, from the FILL account activities (paged). */
  async fillsSince(time: EpochMs): Promise<readonly Fill[]> {
    const out: Fill[] = []
    let token: string | undefined
    for (;;) {
      const page = await this.rest.request<FillActivity[]>('GET', '/v2/account/activities/FILL', {
        query: {
          after: new Date(time - 1).toISOString(),
          direction: 'asc',
          page_size: '100',
          page_token: token,
        },
      })
      for (const a of page) out.push(await this.activityFill(a))
      if (page.length < 100) return out
      token = page[page.length - 1]!.id
    }
  }

  /**
   * Reports, exactly once, what the stream missed since `time` (fills that happened while it was down, and the
   * end of each order they belong to); returns how many reports it delivered.
   */
  async recover(time: EpochMs): Promise<number> {
    let n = 0
    for (const f of await this.fillsSince(time)) if (this.reports.recovered(f)) n++
    return n
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const list = await this.rest.request<AlpacaPosition[]>('GET', '/v2/positions')
    return list.map((p) => ({
      instrumentId: instrumentIdOf(p.symbol, this.venue),
      quantity: num(p.qty, `position ${p.symbol} qty`) * (p.side === 'short' && !p.qty.startsWith('-') ? -1 : 1),
      avgPrice: num(p.avg_entry_price, `position ${p.symbol} avg_entry_price`),
    }))
  }

  async balances(): Promise<readonly VenueBalance[]> {
    const a = await this.rest.request<AlpacaAccount>('GET', '/v2/account')
    return [{ currency: a.currency, cash: num(a.cash, 'account cash'), equity: num(a.equity, 'account equity') }]
  }

  private async fetchOrder(clientOrderId: string): Promise<AlpacaOrder | undefined> {
    try {
      return await this.rest.request<AlpacaOrder>('GET', '/v2/orders:by_client_order_id', {
        query: { client_order_id: clientOrderId },
      })
    } catch (e) {
      if (e instanceof AlpacaApiError && e.status === 404) return undefined
      throw e
    }
  }

  private async venueId(clientOrderId: string): Promise<string> {
    const known = this.reports.get(clientOrderId)?.venueOrderId
    if (known) return known
    const o = await this.fetchOrder(clientOrderId)
    if (!o) throw new KestrelError('ORDER_INVALID', `alpaca: no order with client order id ${clientOrderId}`)
    this.reports.link(this.reports.track(clientOrderId, undefined, instrumentIdOf(o.symbol, this.venue)), o.id)
    return o.id
  }

  private async activityFill(a: FillActivity): Promise<Fill> {
    let cid = this.reports.clientIdOf(a.order_id)
    if (cid === undefined) {
      const o = await this.rest.request<AlpacaOrder>('GET', `/v2/orders/${encodeURIComponent(a.order_id)}`)
      cid = o.client_order_id
      this.reports.link(this.reports.track(cid, undefined, instrumentIdOf(o.symbol, this.venue)), o.id)
    }
    const sep = a.id.indexOf('::')
    return {
      fillId: sep >= 0 ? a.id.slice(sep + 2) : a.id,
      clientOrderId: cid,
      venueOrderId: a.order_id,
      strategyId: this.reports.get(cid)?.strategyId ?? this.opts.unknownStrategyId ?? '',
      instrumentId: instrumentIdOf(a.symbol, this.venue),
      side: sideOf(a.side),
      quantity: num(a.qty, `activity ${a.id} qty`),
      price: num(a.price, `activity ${a.id} price`),
      fee: 0,
      feeCurrency: 'USD',
      liquidity: 'TAKER',
      time: timeOf(a.transaction_time, `activity ${a.id} transaction_time`),
    }
  }

  private toVenueOrder(o: AlpacaOrder): VenueOrder {
    const type = orderTypeOf(o.type)
    const tif = tifOf(o.time_in_force)
    if (!type || !tif)
      throw new KestrelError(
        'VENUE_UNAVAILABLE',
        `alpaca: order ${o.id} has type ${o.type} / time in force ${o.time_in_force}, which Kestrel does not trade`,
      )
    const filled = num(o.filled_qty, `order ${o.id} filled_qty`)
    return {
      clientOrderId: o.client_order_id,
      venueOrderId: o.id,
      instrumentId: instrumentIdOf(o.symbol, this.venue),
      side: sideOf(o.side),
      type,
      timeInForce: tif,
      quantity: num(o.qty, `order ${o.id} qty`),
      ...(o.limit_price != null ? { limitPrice: num(o.limit_price, `order ${o.id} limit_price`) } : {}),
      ...(o.stop_price != null ? { stopPrice: num(o.stop_price, `order ${o.id} stop_price`) } : {}),
      status: statusOf(o.status),
      filledQuantity: filled,
      avgFillPrice:
        filled > 0 && o.filled_avg_price != null ? num(o.filled_avg_price, `order ${o.id} filled_avg_price`) : NaN,
      createdAt: timeOf(o.created_at, `order ${o.id} created_at`),
      updatedAt: timeOf(o.updated_at, `order ${o.id} updated_at`),
    }
  }

  private unknown(e: unknown, clientOrderId: string): void {
    if (e instanceof AlpacaApiError) {
      // A refused submit was reported REJECTED; a refused cancel changes nothing at the venue.
      if (this.opts.onError && !this.reports.get(clientOrderId)?.ended) this.opts.onError(e, clientOrderId)
      return
    }
    const err = isKestrelError(e)
      ? e
      : new KestrelError('VENUE_UNAVAILABLE', `alpaca: ${(e as Error)?.message ?? String(e)}`, {}, { cause: e })
    if (this.opts.onError) this.opts.onError(err, clientOrderId)
    else process.emitWarning(`${err.message} (order ${clientOrderId}: outcome unknown, ask queryOrder)`, err.code)
  }
}
