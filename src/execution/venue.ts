/**
 * The venue seam (NautilusTrader's execution client). Every venue adapter, simulated or real, takes orders
 * and cancels and answers with {@link ExecutionReport}s; the execution engine never knows which it talks to.
 */
import type { Bar, EpochMs, Fill, Order, OrderRequest, Quote, TradeTick } from '../core/index.ts'

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

/** A venue that matches against market data itself (the simulated exchange); the kernel feeds it first. */
export interface SimulatedVenue extends ExecutionClient {
  /** Matches resting orders against a bar of the instrument's execution timeframe. */
  onBar(bar: Bar): void
  onQuote(quote: Quote): void
  onTrade(trade: TradeTick): void
  /** Called after the portfolio was marked at `time` (margin checks, liquidation). */
  afterMark(time: EpochMs): void
  /** Delivers queued reports due at or before `time` (latency). */
  advance(time: EpochMs): void
  /**
   * A split of `ratio` new units per old: the book's prices scale, and each order in `amended` (the engine's
   * adjusted frozen copies, by client order id) replaces the venue's copy, keeping what has filled.
   */
  applySplit(instrumentId: string, ratio: number, amended: ReadonlyMap<string, Readonly<Order>>): void
  /** The instrument is delisted: the venue drops its orders on it without reports. */
  delist?(instrumentId: string): void
}

/** True when the client matches orders on market data the kernel hands it. */
export function isSimulatedVenue(c: ExecutionClient): c is SimulatedVenue {
  const v = c as Partial<SimulatedVenue>
  return typeof v.onBar === 'function' && typeof v.advance === 'function'
}
