/**
 * Catalysts: dated news or sentiment items about instruments, and the source interface that feeds them to the
 * catalyst scanners ({@link NewsItem} is core's news shape, see `news.ts`). A source yields items in time order; an item is known from its `time` on, never before.
 */
import type { NewsItem } from './news.ts'
import type { EpochMs } from './time.ts'

/** A source of catalysts: the items published in `[from, to)`, in time order. */
export interface CatalystSource {
  /** A name for messages and alert details. */
  readonly name: string
  read(from: EpochMs, to: EpochMs): AsyncIterable<NewsItem>
}
