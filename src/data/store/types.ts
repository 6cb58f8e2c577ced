/**
 * The storage interface. DuckDB (embedded default), PostgreSQL (shared) and the Parquet lake (cold tier)
 * implement it, so the rest of Kestrel never knows which one it talks to.
 */
import type { BarSeries, EpochMs, Instrument } from '../../core/index.ts'

/** How bad a validation finding is: an error quarantines the row, a warning or info keeps it. */
export type Severity = 'error' | 'warning' | 'info'

/** A row that did not pass validation, kept with the reason (nothing is dropped silently). */
export interface QuarantinedRow {
  /** File path or provider name the row came from. */
  readonly source: string
  readonly instrumentId?: string
  readonly timeframe?: string
  /** 1-based line in the source file, when there is one. */
  readonly line?: number
  readonly timestamp?: EpochMs
  readonly field?: string
  /** Stable reason code, e.g. `HIGH_BELOW_OPEN`, `DUPLICATE_TIMESTAMP`, `NON_POSITIVE_PRICE`. */
  readonly reason: string
  /** Human message: `high 12.1 < open 12.4`. */
  readonly message: string
  readonly severity: Severity
  /** The raw row text as read. */
  readonly raw: string
}

/** One import of one file or download. */
export interface IngestionRecord {
  readonly source: string
  /** sha256 of the file's bytes (hex). Re-importing the same hash adds nothing. */
  readonly fileHash: string
  readonly instrumentId: string
  readonly timeframe: string
  readonly rowsRead: number
  readonly rowsAccepted: number
  readonly rowsQuarantined: number
  readonly importedAt: EpochMs
  /** Data version after this import (monotonic per instrument/timeframe). */
  readonly dataVersion: number
}

/** What is stored for one instrument and timeframe. */
export interface SeriesSummary {
  readonly instrumentId: string
  readonly symbol: string
  readonly timeframe: string
  readonly rows: number
  readonly first: EpochMs
  readonly last: EpochMs
  readonly quarantined: number
}

/** A range of bar open times, [from, to); either end may be left open. */
export interface TimeRange {
  /** Inclusive, on bar open time. */
  readonly from?: EpochMs
  /** Exclusive, on bar open time. */
  readonly to?: EpochMs
}

/** Everything one import writes, committed together by {@link BarStore.commitImport}. */
export interface ImportBatch {
  readonly instrument: Instrument
  /** The accepted bars (bars already stored are skipped, as by `writeBars`). */
  readonly bars: BarSeries
  readonly quarantine: readonly QuarantinedRow[]
  /** The ingestion record; the store assigns its data version (the series' latest plus one). */
  readonly record: Omit<IngestionRecord, 'dataVersion'>
}

/** What {@link BarStore.commitImport} did. */
export interface ImportCommit {
  /** True when the same file hash was already recorded for the series: nothing was written. */
  readonly skipped: boolean
  /** Bars new to the store. */
  readonly inserted: number
  /** The data version of this import (of the earlier one when skipped). */
  readonly dataVersion: number
}

/** Bars, instruments, quarantine and ingestion log. All writes of bars are idempotent on (instrument, timeframe, openTime). */
export interface BarStore {
  /** Which implementation: `memory` is the in-process reference store. */
  readonly kind: 'duckdb' | 'postgres' | 'lake' | 'tiered' | 'memory'
  init(): Promise<void>
  upsertInstrument(inst: Instrument): Promise<void>
  instruments(): Promise<Instrument[]>
  getInstrument(id: string): Promise<Instrument | undefined>
  /** Inserts bars, replacing none that exist; returns the number of new rows. */
  writeBars(series: BarSeries): Promise<number>
  readBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<BarSeries>
  /** Reads in chunks of at most `chunkSize` bars, in time order, so memory stays bounded. */
  streamBars(instrumentId: string, timeframe: string, range?: TimeRange, chunkSize?: number): AsyncIterable<BarSeries>
  deleteBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number>
  writeQuarantine(rows: readonly QuarantinedRow[]): Promise<void>
  quarantine(filter?: { source?: string; instrumentId?: string }): Promise<QuarantinedRow[]>
  recordIngestion(rec: IngestionRecord): Promise<void>
  /**
   * Writes one import atomically: the instrument, the new bars, the quarantined rows and the ingestion record are
   * all committed, or (on an error or a crash) none is. A file hash already recorded for the series writes nothing.
   */
  commitImport(batch: ImportBatch): Promise<ImportCommit>
  findIngestion(fileHash: string, instrumentId: string, timeframe: string): Promise<IngestionRecord | undefined>
  ingestions(): Promise<IngestionRecord[]>
  summary(): Promise<SeriesSummary[]>
  close(): Promise<void>
}
