/**
 * The data engine: merges any number of feeds (bars of several symbols and timeframes, quotes, trade ticks),
 * each streamed in chunks, into one stream in time order. Bars are ordered by close time (when they become
 * visible); at the same time, ticks come first, then bars from the finest timeframe up (a 1h bar after the
 * last 1m bar inside it), then feed order. Only one chunk per feed is held in memory.
 */
import { KestrelError, isoUtc, parseTimeframe } from '../core/index.ts'
import type { Bar, BarSeries, EpochMs, Quote, TradeTick } from '../core/index.ts'
import type { QuarantinedRow } from '../data/index.ts'

/** Chunks of something: an async iterable (a store's stream), an iterable, or one value. */
export type Chunks<T> = AsyncIterable<T> | Iterable<T>

/** A stream of bars of one instrument and timeframe. */
export interface BarFeed {
  readonly kind?: 'bars'
  readonly instrumentId: string
  readonly timeframe: string
  readonly data: Chunks<BarSeries> | BarSeries
  /** Where the bars come from (a file path), for validation messages. */
  readonly source?: string
  /** Rows the source already set aside (a file's inspection), reported with the run's validation. */
  readonly quarantined?: readonly QuarantinedRow[]
  /** Rows the source read, those set aside included. */
  readonly rowsRead?: number
}

/** A stream of quotes of one instrument. */
export interface QuoteFeed {
  readonly kind: 'quotes'
  readonly instrumentId: string
  readonly data: Chunks<readonly Quote[]>
}

/** A stream of trade ticks of one instrument. */
export interface TradeFeed {
  readonly kind: 'trades'
  readonly instrumentId: string
  readonly data: Chunks<readonly TradeTick[]>
}

/** Any feed the data engine merges. */
export type Feed = BarFeed | QuoteFeed | TradeFeed

/** Where merged events go. */
export interface EventSink {
  bar(bar: Bar, feedIndex: number): void
  /**
   * Columnar delivery of bar `i` of `series` (closing at `closeTime`), instead of {@link bar}: when a sink
   * has it, the merge allocates nothing per bar.
   */
  barAt?(series: BarSeries, i: number, closeTime: EpochMs, feedIndex: number): void
  quote(q: Quote): void
  trade(t: TradeTick): void
  /**
   * Called before each event with its time; a promise it returns is awaited before the event is delivered
   * (a paced replay). A sink with `pace` gets every event through the merge loop, never the one-feed path.
   */
  pace?(time: EpochMs): Promise<void> | undefined
}

interface Cursor {
  readonly idx: number
  readonly rank: number
  readonly feed: Feed
  readonly tfMs: number
  it: Iterator<unknown> | AsyncIterator<unknown>
  chunk: BarSeries | readonly Quote[] | readonly TradeTick[] | undefined
  i: number
  n: number
  t: number
  lastT: number
}

/** An iterator over a feed's chunks (a single series is one chunk). */
export function iteratorOf(data: Feed['data']): Iterator<unknown> | AsyncIterator<unknown> {
  const d = data as Partial<AsyncIterable<unknown> & Iterable<unknown>> & Partial<BarSeries>
  if (d.openTime instanceof Float64Array) return [data][Symbol.iterator]()
  if (typeof d[Symbol.asyncIterator] === 'function') return d[Symbol.asyncIterator]!()
  if (typeof d[Symbol.iterator] === 'function') return d[Symbol.iterator]!()
  throw new KestrelError('PARAM_INVALID', 'feed data: expected a BarSeries, an iterable or an async iterable of chunks')
}

function name(f: Feed): string {
  return f.kind === 'quotes' || f.kind === 'trades' ? `${f.instrumentId} ${f.kind}` : `${f.instrumentId} ${f.timeframe}`
}

function less(a: Cursor, b: Cursor): boolean {
  return a.t < b.t || (a.t === b.t && (a.rank < b.rank || (a.rank === b.rank && a.idx < b.idx)))
}

/** Streams every feed into `sink` in time order; resolves when all are exhausted. Returns the event count. */
export async function mergeFeeds(feeds: readonly Feed[], sink: EventSink): Promise<number> {
  const heap: Cursor[] = []
  const load = async (c: Cursor): Promise<boolean> => {
    for (;;) {
      const r = await c.it.next()
      if (r.done) return false
      const chunk = r.value as Cursor['chunk']
      const n =
        chunk === undefined
          ? 0
          : 'openTime' in (chunk as object)
            ? (chunk as BarSeries).openTime.length
            : (chunk as readonly unknown[]).length
      if (n === 0) continue
      if (c.feed.kind !== 'quotes' && c.feed.kind !== 'trades') {
        const s = chunk as BarSeries
        if (s.instrumentId && s.instrumentId !== c.feed.instrumentId) {
          throw new KestrelError('DATA_BAD_FILE', `feed ${name(c.feed)}: chunk is for ${s.instrumentId}`)
        }
      }
      c.chunk = chunk
      c.i = 0
      c.n = n
      return true
    }
  }
  const timeOf = (c: Cursor): number => {
    if (c.feed.kind === 'quotes' || c.feed.kind === 'trades') return (c.chunk as readonly { time: number }[])[c.i]!.time
    const s = c.chunk as BarSeries
    const ct = s.closeTime[c.i]!
    return ct > 0 ? ct : s.openTime[c.i]! + c.tfMs
  }
  const setTime = (c: Cursor) => {
    const t = timeOf(c)
    if (!(t > c.lastT) && !(c.feed.kind === 'quotes' || c.feed.kind === 'trades' ? t >= c.lastT : false)) {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `feed ${name(c.feed)}: event at ${Number.isFinite(t) ? isoUtc(t) : t} is not after the previous one (${isoUtc(c.lastT)})`,
        { feed: name(c.feed), time: t, previous: c.lastT },
      )
    }
    c.t = t
    c.lastT = t
  }
  for (let k = 0; k < feeds.length; k++) {
    const f = feeds[k]!
    const bars = f.kind !== 'quotes' && f.kind !== 'trades'
    const tfMs = bars ? parseTimeframe((f as BarFeed).timeframe).ms : 0
    const c: Cursor = {
      idx: k,
      rank: tfMs,
      feed: f,
      tfMs,
      it: iteratorOf(f.data),
      chunk: undefined,
      i: 0,
      n: 0,
      t: 0,
      lastT: -Infinity,
    }
    if (await load(c)) {
      setTime(c)
      push(heap, c)
    }
  }
  let count = 0
  const barAt = sink.barAt?.bind(sink)
  const pace = sink.pace?.bind(sink)
  if (heap.length === 1 && barAt !== undefined && pace === undefined && isBars(heap[0]!.feed)) {
    // One bar feed: no merge, no heap, nothing allocated per bar.
    const c = heap[0]!
    const idx = c.idx
    let first = true
    do {
      const s = c.chunk as BarSeries
      const ot = s.openTime
      const ct = s.closeTime
      const n = c.n
      const tf = c.tfMs
      let i = c.i
      let last = c.lastT
      if (first) {
        // Its time was checked when the feed was opened.
        barAt(s, i++, c.t, idx)
        first = false
      }
      for (; i < n; i++) {
        const x = ct[i]!
        const t = x > 0 ? x : ot[i]! + tf
        if (!(t > last)) {
          c.i = i
          c.lastT = last
          setTime(c) // throws, naming the feed and both times
        }
        last = t
        barAt(s, i, t, idx)
      }
      count += n - c.i
      c.lastT = last
      c.i = n
    } while (await load(c))
    return count
  }
  while (heap.length > 0) {
    const c = heap[0]!
    const f = c.feed
    if (pace !== undefined) {
      const wait = pace(c.t)
      if (wait !== undefined) await wait
    }
    if (f.kind === 'quotes') sink.quote((c.chunk as readonly Quote[])[c.i]!)
    else if (f.kind === 'trades') sink.trade((c.chunk as readonly TradeTick[])[c.i]!)
    else if (barAt !== undefined) barAt(c.chunk as BarSeries, c.i, c.t, c.idx)
    else {
      const s = c.chunk as BarSeries
      const i = c.i
      sink.bar(
        {
          instrumentId: f.instrumentId,
          timeframe: f.timeframe,
          openTime: s.openTime[i]!,
          closeTime: c.t,
          open: s.open[i]!,
          high: s.high[i]!,
          low: s.low[i]!,
          close: s.close[i]!,
          volume: s.volume[i]!,
        },
        c.idx,
      )
    }
    count++
    c.i++
    if (c.i < c.n || (await load(c))) {
      setTime(c)
      siftDown(heap, 0)
    } else {
      const last = heap.pop()!
      if (heap.length > 0) {
        heap[0] = last
        siftDown(heap, 0)
      }
    }
  }
  return count
}

function isBars(f: Feed): f is BarFeed {
  return f.kind !== 'quotes' && f.kind !== 'trades'
}

function push(h: Cursor[], c: Cursor): void {
  h.push(c)
  let i = h.length - 1
  while (i > 0) {
    const p = (i - 1) >> 1
    if (!less(h[i]!, h[p]!)) break
    const tmp = h[i]!
    h[i] = h[p]!
    h[p] = tmp
    i = p
  }
}

function siftDown(h: Cursor[], i: number): void {
  const n = h.length
  for (;;) {
    const l = 2 * i + 1
    const r = l + 1
    let m = i
    if (l < n && less(h[l]!, h[m]!)) m = l
    if (r < n && less(h[r]!, h[m]!)) m = r
    if (m === i) return
    const tmp = h[i]!
    h[i] = h[m]!
    h[m] = tmp
    i = m
  }
}
