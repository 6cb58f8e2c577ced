/**
 * Where a backtest's bars come from when they are stored: series of the store (the hot store and the Parquet lake
 * as one), streamed in chunks, so a run over decades of bars holds one chunk per series at a time. Each pass over
 * a feed (the strategy's run, then the benchmark's) streams the series again.
 */
import { resolve } from 'node:path'
import { KestrelError, isoUtc, parseTimeBounds, parseTimeframe } from '../core/index.ts'
import type { BarSeries, TimeBounds } from '../core/index.ts'
import { seriesIngestionIds, type BarStore, type TieredStore } from '../data/index.ts'
import type { BarFeed, LoadedBars, StoreDataLoader } from '../engine/index.ts'
import { lakePathFor, openExistingStore, resolveInstrument, type StoreSelection } from './store.ts'
import type { Env } from './types.ts'

/** Every bar of loaded bars in one series (the tearsheet's price charts; see the engine's `wholeSeries`). */
export { wholeSeries } from '../engine/index.ts'

/** Bars per chunk read from the store unless a request says otherwise. */
export const DEFAULT_CHUNK_SIZE = 50_000

/** Which stored series to read, and how. */
export interface StoredSeriesRequest {
  /** An instrument id (`SPY.XNAS`) or a symbol stored under one venue (`SPY`). */
  readonly symbol: string
  /** Bar length; default: the instrument's only stored timeframe. */
  readonly timeframe?: string
  /** Bar open times: `from` inclusive, `to` exclusive. */
  readonly range?: TimeBounds
  /** Bars per chunk (default {@link DEFAULT_CHUNK_SIZE}). */
  readonly chunkSize?: number
  /** The store, for messages (`.kestrel/kestrel.duckdb`). */
  readonly where: string
  /** How errors name the timeframe setting (`--timeframe`). */
  readonly timeframeName?: string
}

/** A feed over a stored series: every pass over its `data` streams the series anew, `chunkSize` bars at a time. */
export function storeBarFeed(
  store: BarStore,
  instrumentId: string,
  timeframe: string,
  range: TimeBounds = {},
  chunkSize = DEFAULT_CHUNK_SIZE,
  source = `store ${store.kind}`,
): BarFeed {
  if (!(Number.isInteger(chunkSize) && chunkSize > 0))
    throw new KestrelError('PARAM_INVALID', `chunkSize: expected a positive integer, got ${chunkSize}`)
  const data: AsyncIterable<BarSeries> = {
    [Symbol.asyncIterator]: () => store.streamBars(instrumentId, timeframe, range, chunkSize)[Symbol.asyncIterator](),
  }
  return { instrumentId, timeframe, data, source }
}

function rangeText(r: TimeBounds): string {
  return `${r.from === undefined ? 'the start' : isoUtc(r.from)} up to ${r.to === undefined ? 'the end' : `${isoUtc(r.to)} (exclusive)`}`
}

/**
 * The stored series `req` names, as bars for a backtest: the instrument as its import stored it, and a feed that
 * streams the range. An unknown symbol lists what the store has; an ambiguous one lists the candidates; a missing
 * timeframe or a range outside the stored bars says what is stored.
 */
export async function openStoredSeries(store: BarStore, req: StoredSeriesRequest): Promise<LoadedBars> {
  const id = await resolveInstrument(store, req.symbol)
  const instrument = await store.getInstrument(id)
  if (!instrument) throw new KestrelError('DATA_NOT_FOUND', `${req.where}: instrument ${id} is not stored`, { id })
  const stored = (await store.summary()).filter((s) => s.instrumentId === id && s.rows > 0)
  const tfName = req.timeframeName ?? 'timeframe'
  const list = stored.map((s) => s.timeframe).join(', ')
  if (stored.length === 0)
    throw new KestrelError('DATA_NOT_FOUND', `${req.where}: no bars stored for ${id}; see kestrel data ls`, { id })
  let timeframe: string
  if (req.timeframe === undefined) {
    if (stored.length > 1)
      throw new KestrelError('USAGE', `${id} is stored in several timeframes (${list}); give ${tfName}`, {
        id,
        timeframes: stored.map((s) => s.timeframe),
      })
    timeframe = stored[0]!.timeframe
  } else timeframe = parseTimeframe(req.timeframe).text
  const series = stored.find((s) => s.timeframe === timeframe)
  if (!series)
    throw new KestrelError('DATA_NOT_FOUND', `${req.where}: no ${timeframe} bars stored for ${id}; it has ${list}`, {
      id,
      timeframe,
      timeframes: stored.map((s) => s.timeframe),
    })
  const range = req.range ?? {}
  if ((range.to !== undefined && range.to <= series.first) || (range.from !== undefined && range.from > series.last))
    throw new KestrelError(
      'DATA_NOT_FOUND',
      `${req.where}: no ${timeframe} bars of ${id} from ${rangeText(range)}; stored: ${isoUtc(series.first)} to ${isoUtc(series.last)}`,
      { id, timeframe, ...range, first: series.first, last: series.last },
    )
  return {
    instrument,
    timeframe,
    feed: storeBarFeed(store, id, timeframe, range, req.chunkSize, req.where),
    quarantine: [],
    ingestions: await seriesIngestionIds(store, id, timeframe),
  }
}

/** The stores a run opened, each once, closed together at the end. */
export class OpenStores {
  private readonly open = new Map<string, Promise<TieredStore>>()

  get(key: string, sel: StoreSelection): Promise<TieredStore> {
    let s = this.open.get(key)
    if (!s) this.open.set(key, (s = openExistingStore(sel)))
    return s
  }

  async close(): Promise<void> {
    for (const s of this.open.values()) await (await s.catch(() => undefined))?.close()
  }
}

/** The loader of `backtest.data` entries with `store:` (paths from the config's folder). */
export function configStoreLoader(stores: OpenStores, env: Env): StoreDataLoader {
  return async (d, key, baseDir) => {
    const db = resolve(baseDir, d.store!)
    const lake = d.lake === undefined ? lakePathFor(db) : resolve(baseDir, d.lake)
    const range = parseTimeBounds(d.from, d.to, { from: `${key}.from`, to: `${key}.to`, code: 'CONFIG_INVALID' })
    const store = await stores.get(`${db}\u0000${lake}`, { db, lake, env })
    return openStoredSeries(store, {
      symbol: (d.symbol ?? d.instrument)!,
      timeframe: d.timeframe,
      range,
      where: db,
      timeframeName: `${key}.timeframe`,
    })
  }
}
