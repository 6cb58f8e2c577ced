/**
 * The simulated side of the venue seam: a venue that matches orders on the market data the kernel hands it.
 * The execution client interface every venue implements lives in core.
 */
import type { Bar, EpochMs, ExecutionClient, Order, Quote, TradeTick } from '../core/index.ts'

// The client interfaces live in core (adapters implement them); re-exported here unchanged.
export type { ExecutionClient, ExecutionReport, ReportSink } from '../core/index.ts'

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
