/**
 * The data client seam (NautilusTrader's data client): a market data source that pushes closed bars, quotes and
 * trades as they come. Every venue adapter with market data implements it; the live runner subscribes through it.
 */
import type { Bar, Quote, TradeTick } from './market.ts'

/** A market data source: pushes closed bars, quotes and trades as they come. */
export interface DataClient {
  readonly name: string
  connect(): Promise<void>
  subscribeBars(instrumentId: string, timeframe: string, handler: (bar: Bar) => void): void
  subscribeQuotes?(instrumentId: string, handler: (q: Quote) => void): void
  subscribeTrades?(instrumentId: string, handler: (t: TradeTick) => void): void
  disconnect(): Promise<void>
}
