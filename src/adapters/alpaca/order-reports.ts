/**
 * Alpaca's order updates as Kestrel's reports, each exactly once: a fill once per execution id (or, without
 * one, per rise of the cumulative `filled_qty`); ACCEPTED before anything else of its order; an order's end
 * once, and only after the fills its `filled_qty` counts, however the venue duplicates or reorders updates.
 */
import type { EpochMs, ExecutionReport, Fill } from '../../core/index.ts'
import { instrumentIdOf, num, sideOf, timeOf, type AlpacaOrder, type TradeUpdate } from './protocol.ts'

/** What is known of one order, to report each update once. */
export interface TrackedOrder {
  readonly clientOrderId: string
  strategyId: string
  readonly instrumentId: string
  venueOrderId?: string
  accepted: boolean
  ended: boolean
  /** Filled quantity reported so far. */
  reported: number
  /** The client order id of the order replacing this one, once a replace was sent. */
  replacedBy?: string
  readonly execs: Set<string>
  /** An end that arrived before fills its cumulative quantity counts: reported once they are. */
  pendingEnd?: { report: ExecutionReport; filled: number }
}

/** The orders of one client and the reports they have had. */
export class OrderReports {
  private readonly orders = new Map<string, TrackedOrder>()
  private readonly byVenueId = new Map<string, string>()

  constructor(
    private readonly venue: string,
    private readonly deliver: (r: ExecutionReport) => void,
    private readonly unknownStrategyId = '',
  ) {}

  get(clientOrderId: string): TrackedOrder | undefined {
    return this.orders.get(clientOrderId)
  }

  /** The client order id of a venue order id, when known. */
  clientIdOf(venueOrderId: string): string | undefined {
    return this.byVenueId.get(venueOrderId)
  }

  /** The record of an order, made on first sight (`strategyId` fills in a record made without it). */
  track(clientOrderId: string, strategyId: string | undefined, instrumentId: string): TrackedOrder {
    const had = this.orders.get(clientOrderId)
    if (had) {
      if (strategyId !== undefined && had.strategyId === this.unknownStrategyId) had.strategyId = strategyId
      return had
    }
    const t: TrackedOrder = {
      clientOrderId,
      strategyId: strategyId ?? this.unknownStrategyId,
      instrumentId,
      accepted: false,
      ended: false,
      reported: 0,
      execs: new Set(),
    }
    this.orders.set(clientOrderId, t)
    return t
  }

  /** Links an order to its venue id. */
  link(t: TrackedOrder, venueOrderId: string): void {
    t.venueOrderId = venueOrderId
    this.byVenueId.set(venueOrderId, t.clientOrderId)
  }

  /** Takes in an order's REST answer: its venue id, and ACCEPTED once the venue works it. */
  learn(t: TrackedOrder, o: AlpacaOrder): void {
    this.link(t, o.id)
    if (o.status !== 'pending_new' && o.status !== 'accepted' && o.status !== 'rejected')
      this.accept(t, o.id, timeOf(o.submitted_at || o.created_at, 'order submitted_at'))
  }

  /** Reports an order's end (a refused submit); once. */
  end(t: TrackedOrder, r: ExecutionReport): void {
    if (t.ended) return
    t.ended = true
    this.deliver(r)
  }

  /** Reports a fill found by a query (the stream missed it); false when it was reported before. */
  recovered(f: Fill): boolean {
    const t = this.orders.get(f.clientOrderId) ?? this.track(f.clientOrderId, f.strategyId, f.instrumentId)
    if (t.execs.has(f.fillId)) return false
    t.execs.add(f.fillId)
    if (f.venueOrderId) this.accept(t, f.venueOrderId, f.time)
    this.deliver({ kind: 'FILL', fill: f })
    t.reported += f.quantity
    this.flushEnd(t)
    return true
  }

  /** One update of the trade_updates stream. */
  onUpdate(u: TradeUpdate): void {
    const o = u.order
    if (!o?.client_order_id) return
    const t =
      this.orders.get(o.client_order_id) ??
      this.track(o.client_order_id, undefined, instrumentIdOf(o.symbol, this.venue))
    const time = timeOf(u.timestamp, 'trade update timestamp')
    this.link(t, o.id)
    switch (u.event) {
      case 'new':
        this.accept(t, o.id, time)
        return
      case 'partial_fill':
      case 'fill': {
        const cum = num(o.filled_qty, 'order filled_qty')
        const exec = u.execution_id ?? `${o.id}@${o.filled_qty}`
        if (t.execs.has(exec) || (u.execution_id === undefined && cum <= t.reported)) return
        t.execs.add(exec)
        this.accept(t, o.id, time)
        const qty = u.qty !== undefined ? num(u.qty, 'trade update qty') : cum - t.reported
        this.deliver({
          kind: 'FILL',
          fill: {
            fillId: exec,
            clientOrderId: t.clientOrderId,
            venueOrderId: o.id,
            strategyId: t.strategyId,
            instrumentId: t.instrumentId,
            side: sideOf(o.side),
            quantity: qty,
            price: num(u.price ?? o.filled_avg_price, 'trade update price'),
            fee: 0,
            feeCurrency: 'USD',
            liquidity: 'TAKER',
            time,
          },
        })
        t.reported += qty
        this.flushEnd(t)
        return
      }
      case 'canceled':
      case 'expired':
      case 'replaced':
      case 'rejected': {
        if (t.ended || t.pendingEnd) return
        const id = t.clientOrderId
        const report: ExecutionReport =
          u.event === 'expired'
            ? { kind: 'EXPIRED', clientOrderId: id, time }
            : u.event === 'rejected'
              ? { kind: 'REJECTED', clientOrderId: id, time, reason: 'rejected by alpaca' }
              : {
                  kind: 'CANCELED',
                  clientOrderId: id,
                  time,
                  reason:
                    u.event === 'replaced'
                      ? `replaced by ${t.replacedBy ?? this.byVenueId.get(o.replaced_by ?? '') ?? o.replaced_by ?? 'a new order'}`
                      : 'canceled at alpaca',
                }
        if (u.event !== 'rejected') this.accept(t, o.id, time)
        t.pendingEnd = { report, filled: num(o.filled_qty, 'order filled_qty') }
        this.flushEnd(t)
        return
      }
      default:
        return
    }
  }

  private accept(t: TrackedOrder, venueOrderId: string, time: EpochMs): void {
    if (t.accepted || t.ended) return
    t.accepted = true
    this.deliver({ kind: 'ACCEPTED', clientOrderId: t.clientOrderId, venueOrderId, time })
  }

  /** Reports a pending end once the fills before it are reported. */
  private flushEnd(t: TrackedOrder): void {
    const p = t.pendingEnd
    if (!p || t.reported + 1e-9 < p.filled) return
    t.pendingEnd = undefined
    this.end(t, p.report)
  }
}
