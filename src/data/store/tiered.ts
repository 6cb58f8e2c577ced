/**
 * A {@link BarStore} over two tiers: a hot store (DuckDB, PostgreSQL or memory) and the Parquet lake. Reads over
 * a time range read both tiers transparently (hot wins where both hold a bar; sorted; no duplicates). Writes go
 * to the hot store, skipping bars the lake already holds (writes stay idempotent across tiers); with
 * `archiveOnWrite` the lifecycle policy runs after each write. Instruments, quarantine and the ingestion log
 * live in the hot store.
 */
import { KestrelError, allocBarSeries, seriesLength } from '../../core/index.ts'
import type { BarSeries, EpochMs, Instrument } from '../../core/index.ts'
import { archiveToLake, restoreFromLake } from './lake/lifecycle.ts'
import type { ArchiveReport } from './lake/lifecycle.ts'
import { mergeSorted } from './lake/merge.ts'
import type { ParquetLake } from './lake/parquet-lake.ts'
import type {
  BarStore,
  ImportBatch,
  ImportCommit,
  IngestionRecord,
  QuarantinedRow,
  SeriesSummary,
  TimeRange,
} from './types.ts'

/** How the tiers are split. */
export interface TieredOptions {
  /** Bars newer than this stay hot. */
  readonly hotWindowMs: number
  /** The clock for the hot window. Default `Date.now`. */
  readonly now?: () => EpochMs
  /** Run the lifecycle policy for the written series after every `writeBars`. Default false. */
  readonly archiveOnWrite?: boolean
}

const COLS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const

/** Hot store + Parquet lake behind one {@link BarStore}. */
export class TieredStore implements BarStore {
  readonly kind = 'tiered' as const

  constructor(
    readonly hot: BarStore,
    readonly lake: ParquetLake,
    private readonly opts: TieredOptions,
  ) {
    if (!(opts.hotWindowMs >= 0))
      throw new KestrelError('PARAM_INVALID', `tiered store: hotWindowMs must be >= 0, got ${opts.hotWindowMs}`)
  }

  /** Opens both tiers. */
  async init(): Promise<void> {
    await this.hot.init()
    await this.lake.init()
  }

  /** Moves bars older than the hot window to the lake (all series, or one). */
  archive(filter: { instrumentId?: string; timeframe?: string; chunkSize?: number } = {}): Promise<ArchiveReport[]> {
    return archiveToLake(this.hot, this.lake, {
      hotWindowMs: this.opts.hotWindowMs,
      now: (this.opts.now ?? Date.now)(),
      ...filter,
    })
  }

  /** Brings lake bars in `range` back into the hot store; returns bars new to it. */
  restore(instrumentId: string, timeframe: string, range?: TimeRange, keepInLake = false): Promise<number> {
    return restoreFromLake(this.hot, this.lake, instrumentId, timeframe, range, { keepInLake })
  }

  /** In the hot store. */
  upsertInstrument(inst: Instrument): Promise<void> {
    return this.hot.upsertInstrument(inst)
  }

  /** In the hot store. */
  instruments(): Promise<Instrument[]> {
    return this.hot.instruments()
  }

  /** In the hot store. */
  getInstrument(id: string): Promise<Instrument | undefined> {
    return this.hot.getInstrument(id)
  }

  /** Writes to the hot store the bars neither tier holds; returns how many were new. */
  async writeBars(series: BarSeries): Promise<number> {
    const added = await this.hot.writeBars(await this.notInLake(series))
    if (this.opts.archiveOnWrite) await this.archive({ instrumentId: series.instrumentId, timeframe: series.timeframe })
    return added
  }

  /** One import into the hot store, atomically there, of the bars the lake does not hold. */
  async commitImport(batch: ImportBatch): Promise<ImportCommit> {
    const r = batch.record
    const prior = await this.hot.findIngestion(r.fileHash, r.instrumentId, r.timeframe)
    if (prior) return { skipped: true, inserted: 0, dataVersion: prior.dataVersion }
    const done = await this.hot.commitImport({ ...batch, bars: await this.notInLake(batch.bars) })
    if (this.opts.archiveOnWrite && !done.skipped)
      await this.archive({ instrumentId: r.instrumentId, timeframe: r.timeframe })
    return done
  }

  /** The bars of `series` whose open time the lake does not hold. */
  private async notInLake(series: BarSeries): Promise<BarSeries> {
    if (seriesLength(series) === 0) return series
    let lo = Infinity
    let hi = -Infinity
    for (const t of series.openTime) {
      if (t < lo) lo = t
      if (t > hi) hi = t
    }
    const inLake = new Set(
      (await this.lake.readBars(series.instrumentId, series.timeframe, { from: lo, to: hi + 1 })).openTime,
    )
    return inLake.size > 0 ? pick(series, (t) => !inLake.has(t)) : series
  }

  /** Bars in [from, to) from both tiers, hot winning, sorted and unique. */
  async readBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<BarSeries> {
    const [hot, cold] = await Promise.all([
      this.hot.readBars(instrumentId, timeframe, range),
      this.lake.readBars(instrumentId, timeframe, range),
    ])
    if (seriesLength(cold) === 0) return hot
    const parts: BarSeries[] = []
    const total = seriesLength(hot) + seriesLength(cold)
    for await (const c of mergeSorted(instrumentId, timeframe, one(hot), one(cold), Math.max(1, total))) parts.push(c)
    return parts[0] ?? allocBarSeries(instrumentId, timeframe, 0)
  }

  /** Streams both tiers merged, in full chunks of `chunkSize` (the last may be short). */
  async *streamBars(
    instrumentId: string,
    timeframe: string,
    range?: TimeRange,
    chunkSize = 100_000,
  ): AsyncIterable<BarSeries> {
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new KestrelError('PARAM_INVALID', `streamBars(chunkSize): expected a positive integer, got ${chunkSize}`)
    }
    yield* mergeSorted(
      instrumentId,
      timeframe,
      this.hot.streamBars(instrumentId, timeframe, range, chunkSize),
      this.lake.streamBars(instrumentId, timeframe, range, chunkSize),
      chunkSize,
    )
  }

  /** Deletes [from, to) in both tiers; returns the number of distinct bars removed. */
  async deleteBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number> {
    let distinct = 0
    for await (const c of this.streamBars(instrumentId, timeframe, range)) distinct += seriesLength(c)
    await this.hot.deleteBars(instrumentId, timeframe, range)
    await this.lake.deleteBars(instrumentId, timeframe, range)
    return distinct
  }

  /** In the hot store. */
  writeQuarantine(rows: readonly QuarantinedRow[]): Promise<void> {
    return this.hot.writeQuarantine(rows)
  }

  /** In the hot store. */
  quarantine(filter?: { source?: string; instrumentId?: string }): Promise<QuarantinedRow[]> {
    return this.hot.quarantine(filter)
  }

  /** In the hot store. */
  recordIngestion(rec: IngestionRecord): Promise<void> {
    return this.hot.recordIngestion(rec)
  }

  /** In the hot store. */
  findIngestion(fileHash: string, instrumentId: string, timeframe: string): Promise<IngestionRecord | undefined> {
    return this.hot.findIngestion(fileHash, instrumentId, timeframe)
  }

  /** In the hot store. */
  ingestions(): Promise<IngestionRecord[]> {
    return this.hot.ingestions()
  }

  /** One line per series over both tiers (rows counted once where the tiers overlap). */
  async summary(): Promise<SeriesSummary[]> {
    const hot = await this.hot.summary()
    const byKey = new Map(hot.map((s) => [`${s.instrumentId}\u0000${s.timeframe}`, s]))
    for (const c of await this.lake.summary()) {
      const key = `${c.instrumentId}\u0000${c.timeframe}`
      const h = byKey.get(key)
      if (!h) {
        const symbol = (await this.hot.getInstrument(c.instrumentId))?.symbol ?? c.instrumentId.replace(/\.[^.]*$/, '')
        const quarantined = (await this.hot.quarantine({ instrumentId: c.instrumentId })).filter(
          (q) => q.timeframe === c.timeframe,
        ).length
        byKey.set(key, {
          instrumentId: c.instrumentId,
          symbol,
          timeframe: c.timeframe,
          rows: c.rows,
          first: c.first,
          last: c.last,
          quarantined,
        })
        continue
      }
      let rows = h.rows + c.rows
      if (c.last >= h.first && h.last >= c.first) {
        rows = 0 // the tiers overlap: count distinct bars
        for await (const s of this.streamBars(c.instrumentId, c.timeframe)) rows += seriesLength(s)
      }
      byKey.set(key, { ...h, rows, first: Math.min(h.first, c.first), last: Math.max(h.last, c.last) })
    }
    return [...byKey.values()].sort((a, b) => cmp(a.instrumentId, b.instrumentId) || cmp(a.timeframe, b.timeframe))
  }

  /** Closes both tiers. */
  async close(): Promise<void> {
    await this.hot.close()
    await this.lake.close()
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

async function* one(s: BarSeries): AsyncIterable<BarSeries> {
  yield s
}

/** The bars of `s` whose open time passes `keep`. */
function pick(s: BarSeries, keep: (t: number) => boolean): BarSeries {
  const idx: number[] = []
  for (let i = 0; i < seriesLength(s); i++) if (keep(s.openTime[i]!)) idx.push(i)
  const out = allocBarSeries(s.instrumentId, s.timeframe, idx.length)
  idx.forEach((i, j) => {
    for (const k of COLS) out[k][j] = s[k][i]!
  })
  return out
}
