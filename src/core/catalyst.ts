/**
 * Catalysts: dated news or sentiment items about instruments, and the source interface that feeds them to the
 * catalyst scanners. A source yields items in time order; an item is known from its `time` on, never before.
 */
import type { EpochMs } from './time.ts'

/** One news or sentiment item about one or more instruments. */
export interface NewsItem {
  /** When the item became public (epoch ms, UTC). */
  readonly time: EpochMs
  /** The symbols (`AAPL`) or instrument ids (`AAPL.SIM`) it is about. */
  readonly symbols: readonly string[]
  readonly headline: string
  readonly body?: string
  /** Who published it (a feed name, a file). */
  readonly source: string
  /** Tone in [-1, 1] (negative bearish, positive bullish) when the source scores it. */
  readonly sentiment?: number
}

/** A source of catalysts: the items published in `[from, to)`, in time order. */
export interface CatalystSource {
  /** A name for messages and alert details. */
  readonly name: string
  read(from: EpochMs, to: EpochMs): AsyncIterable<NewsItem>
}
