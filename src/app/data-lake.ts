/**
 * The lifecycle between the hot store and the Parquet lake (cold tier): archive moves bars older than the hot
 * window (`storage.hotWindowDays`, or a number of days, or a cut-off time) into the lake, verified bar by bar
 * before the hot copy goes; restore brings a range back.
 */
import type { ArchiveReport } from '../data/index.ts'
import { openExistingStore, openTiered, resolveInstruments, storeLocation, type StoreSelection } from './store.ts'

const DAY_MS = 86_400_000

/** What to archive: bars older than `olderThanDays` (default: the hot window), or opening before `before`. */
export interface ArchiveRequest {
  readonly olderThanDays?: number
  /** Epoch ms. */
  readonly before?: number
  /** Instrument ids or bare symbols (default: every instrument). */
  readonly symbols?: readonly string[]
  readonly timeframe?: string
  /** The time the hot window counts back from (default now). */
  readonly now?: number
}

/** Moves old bars into the lake; returns the cut-off, both tiers' names and one report per series. */
export async function archiveBars(
  req: ArchiveRequest,
  where: StoreSelection,
): Promise<{ cutoff: number; hot: string; lake: string; series: ArchiveReport[] }> {
  const loc = storeLocation(where)
  const days = req.olderThanDays ?? loc.hotWindowDays
  const now = req.before ?? req.now ?? Date.now()
  const hotWindowMs = req.before !== undefined ? 0 : days * DAY_MS
  const store = await openTiered(loc, { hotWindowMs, now: () => now })
  try {
    const ids = req.symbols?.length ? await resolveInstruments(store, req.symbols) : [undefined]
    const series: ArchiveReport[] = []
    for (const instrumentId of ids) series.push(...(await store.archive({ instrumentId, timeframe: req.timeframe })))
    return { cutoff: now - hotWindowMs, hot: loc.where, lake: store.lake.root, series }
  } finally {
    await store.close()
  }
}

/** What to bring back from the lake. */
export interface RestoreRequest {
  /** Instrument ids or bare symbols, at least one. */
  readonly symbols: readonly string[]
  /** Default: every timeframe of each instrument in the lake. */
  readonly timeframe?: string
  readonly from?: number
  readonly to?: number
  /** Copy instead of move. */
  readonly keepInLake?: boolean
}

/** Restores bars from the lake into the hot store; one row per timeframe with the bars restored. */
export async function restoreBars(
  req: RestoreRequest,
  where: StoreSelection,
): Promise<{
  lake: string
  instrumentIds: string[]
  rows: { instrument: string; timeframe: string; restored: number }[]
}> {
  const store = await openExistingStore(where)
  try {
    const ids = await resolveInstruments(store, req.symbols)
    const keys = req.timeframe ? [] : await store.lake.seriesKeys()
    const rows = []
    const range = { from: req.from, to: req.to }
    for (const id of ids) {
      const tfs = req.timeframe ? [req.timeframe] : keys.filter((k) => k.instrumentId === id).map((k) => k.timeframe)
      for (const tf of tfs)
        rows.push({ instrument: id, timeframe: tf, restored: await store.restore(id, tf, range, req.keepInLake) })
    }
    return { lake: store.lake.root, instrumentIds: ids, rows }
  } finally {
    await store.close()
  }
}
