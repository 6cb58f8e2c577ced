/**
 * The execution client seam (NautilusTrader's execution client). Every venue adapter, simulated or real, takes
 * orders and cancels and answers with {@link ExecutionReport}s; the execution engine never knows which it talks
 * to. A live venue also answers questions ({@link ReconcilingClient}): the live node asks them at start, after
 * every reconnect and whenever an order's outcome is unknown, and never takes a missing report to mean flat.
 */
import type { EpochMs } from './time.ts'
import type { Fill, Order, OrderRequest, OrderSide, OrderStatus, OrderType, TimeInForce } from './orders.ts'

/** What a venue says about an order. */
export type ExecutionReport =
  | { readonly kind: 'ACCEPTED'; readonly clientOrderId: string; readonly venueOrderId: string; readonly time: EpochMs }
  | { readonly kind: 'REJECTED'; readonly clientOrderId: string; readonly time: EpochMs; readonly reason: string }
  | { readonly kind: 'TRIGGERED'; readonly clientOrderId: string; readonly time: EpochMs }
  | {
      readonly kind: 'FILL'
      readonly fill: Fill
      /** Set when the venue filled an order it originated itself (a liquidation). */
      readonly venueOrder?: OrderRequest
    }
  | { readonly kind: 'CANCELED'; readonly clientOrderId: string; readonly time: EpochMs; readonly reason?: string }
  | { readonly kind: 'EXPIRED'; readonly clientOrderId: string; readonly time: EpochMs }

/** Receives a venue's reports. */
export type ReportSink = (report: ExecutionReport) => void

/** An execution client: the one interface every venue adapter implements. */
export interface ExecutionClient {
  /** Venue name, matching `Instrument.venue` of the instruments it trades. */
  readonly venue: string
  /** Called once by the execution engine before any order. */
  connect(sink: ReportSink): void
  /** Sends a new order (already approved by risk). */
  submit(order: Readonly<Order>, time: EpochMs): void
  /** Requests cancellation. */
  cancel(clientOrderId: string, time: EpochMs): void
}

/** One order as the venue holds it, in answer to a query. */
export interface VenueOrder {
  readonly clientOrderId: string
  readonly venueOrderId: string
  readonly instrumentId: string
  readonly side: OrderSide
  readonly type: OrderType
  readonly timeInForce: TimeInForce
  readonly quantity: number
  readonly limitPrice?: number
  readonly stopPrice?: number
  readonly status: OrderStatus
  readonly filledQuantity: number
  /** NaN before the first fill. */
  readonly avgFillPrice: number
  readonly createdAt: EpochMs
  readonly updatedAt: EpochMs
}

/** A net position as the venue holds it. */
export interface VenuePosition {
  readonly instrumentId: string
  /** Signed: > 0 long, < 0 short. */
  readonly quantity: number
  readonly avgPrice: number
}

/** A cash balance as the venue holds it. */
export interface VenueBalance {
  readonly currency: string
  readonly cash: number
  /** Cash plus positions at the venue's marks, where the venue reports it. */
  readonly equity?: number
}

/** The connection of a live client went up or down (`reason` says why it went down). */
export type ConnectionListener = (up: boolean, reason?: string) => void

/**
 * A live venue's execution client. Each query goes to the venue itself (never to a cache of the adapter), may
 * fail with a typed error (VENUE_UNAVAILABLE, VENUE_RATE_LIMITED, ...) and is retried by the caller.
 */
export interface ReconcilingClient extends ExecutionClient {
  /** Opens the connection (REST session, report stream); resolves once reports flow. */
  start(): Promise<void>
  /** Closes every connection; no report is delivered afterwards. */
  stop(): Promise<void>
  /** The order with this client order id, or undefined when the venue has never seen it. */
  queryOrder(clientOrderId: string): Promise<VenueOrder | undefined>
  /** Every order the venue holds open. */
  openOrders(): Promise<readonly VenueOrder[]>
  /** Every fill of this account at or after `time`, oldest first (fill ids are the venue's, so stable). */
  fillsSince(time: EpochMs): Promise<readonly Fill[]>
  positions(): Promise<readonly VenuePosition[]>
  balances(): Promise<readonly VenueBalance[]>
  /** Tells `listener` whenever the report stream connects or drops (the adapter reconnects by itself). */
  onConnection(listener: ConnectionListener): void
}

/** True when the client answers reconciliation queries. */
export function isReconcilingClient(c: ExecutionClient): c is ReconcilingClient {
  const v = c as Partial<ReconcilingClient>
  return typeof v.queryOrder === 'function' && typeof v.openOrders === 'function' && typeof v.fillsSince === 'function'
}
