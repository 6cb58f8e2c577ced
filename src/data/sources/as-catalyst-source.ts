/**
 * A {@link NewsSource} seen as a named catalyst feed read by time range: `{ name, read(from, to) }`, the shape
 * the catalyst scanners consume, fixed to a symbol list.
 */
import type { EpochMs, NewsItem, NewsSource } from '../../core/index.ts'

/** A named feed of items published in [from, to), in time order. */
export interface NamedNewsFeed {
  readonly name: string
  read(from: EpochMs, to: EpochMs): AsyncIterable<NewsItem>
}

/** Wraps `source` as a {@link NamedNewsFeed} over `symbols` (all symbols when omitted). */
export function asCatalystSource(source: NewsSource, name: string, symbols?: readonly string[]): NamedNewsFeed {
  return {
    name,
    read: (from, to) => source.news({ from, to, ...(symbols && { symbols }) }),
  }
}
