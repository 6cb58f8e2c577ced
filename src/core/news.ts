/**
 * Catalyst items (news headlines, analyst actions) as one provider-neutral shape, and the interface a news
 * provider implements. Scanners and features read news through {@link NewsSource} only.
 */
import type { EpochMs } from './time.ts'

/** One news item for zero or more instruments. */
export interface NewsItem {
  /** The provider's id, prefixed by nothing: unique within `source`. */
  readonly id: string
  /** When the item was published (epoch ms, UTC). */
  readonly time: EpochMs
  /** Symbols the provider tagged (`AAPL`), upper case; empty for market-wide items. */
  readonly symbols: readonly string[]
  readonly headline: string
  /** Summary or full text, as the provider sent it. */
  readonly body?: string
  /** Who delivered it: `polygon`, `benzinga`, `alpaca`, a file name. */
  readonly source: string
  readonly url?: string
  /** A score in [-1, 1] the provider or a scorer attached (VADER compound for Kestrel's own). */
  readonly sentiment?: number
}

/** What to fetch: items published in [from, to), for any of `symbols` (all symbols when omitted). */
export interface NewsQuery {
  readonly symbols?: readonly string[]
  readonly from: EpochMs
  readonly to: EpochMs
}

/** A provider of news items, oldest first within one call. */
export interface NewsSource {
  news(query: NewsQuery): AsyncIterable<NewsItem>
}
