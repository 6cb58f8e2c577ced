/**
 * Import of a Parquet, freqtrade JSON or Feather (Arrow IPC) file through the same validation, quarantine and ingestion-log path as a CSV import:
 * stage-1 checks, rejected rows quarantined with their raw row, stage-2 row accounting, re-importing the same
 * bytes adds nothing.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { isoUtc } from '../../core/index.ts'
import type { BarStore } from '../store/types.ts'
import { isJsonPath, readJsonBars } from '../sources/freqtrade-json.ts'
import { readParquetBars } from '../sources/parquet.ts'
import { inspectSeries, type ParsedSeries, type SeriesInspection } from './inspect-series.ts'
import { fileInstrument, type ImportOptions } from './options.ts'
import { inspectCsvFile, type Inspection } from './inspect-csv.ts'
import { storeInspection, type ImportReport } from './store-inspection.ts'

/** True for a path the Parquet reader should take (`.parquet` / `.pq`). */
export function isParquetPath(path: string): boolean {
  return /\.(parquet|pq)$/i.test(path)
}

/** True for an Arrow IPC file (freqtrade's `.feather`; `.arrow`, `.ipc`). */
export function isFeatherPath(path: string): boolean {
  return /\.(feather|arrow|ipc)$/i.test(path)
}

/** The reader a bar file's name picks: Parquet, freqtrade JSON, Arrow IPC (feather), else CSV (gzip or not). */
export function barFileFormat(path: string): 'parquet' | 'json' | 'feather' | 'csv' {
  return isParquetPath(path) ? 'parquet' : isJsonPath(path) ? 'json' : isFeatherPath(path) ? 'feather' : 'csv'
}

/**
 * Reads the Parquet, freqtrade JSON or Feather file at `path` (symbol and timeframe from options or the file name)
 * into a {@link ParsedSeries}; the reader follows the name ({@link barFileFormat}).
 */
export async function parseParquetFile(path: string, opts: ImportOptions = {}): Promise<ParsedSeries> {
  const format = barFileFormat(path)
  const { instrument, timeframe } = fileInstrument(path, opts)
  // apache-arrow takes a quarter of a second to load: only a Feather file loads it
  const read =
    format === 'json'
      ? readJsonBars
      : format === 'feather'
        ? (await import('../sources/feather.ts')).readFeatherBars
        : readParquetBars
  const r = await read(path, { instrumentId: instrument.id, timeframe, stampedAt: opts.stampedAt })
  const fileHash = await sha256File(path)
  const b = r.bars
  const c = r.columns
  return {
    source: path,
    fileHash,
    instrument,
    series: b,
    lines: r.rows,
    raw: (i) =>
      JSON.stringify({
        row: r.rows[i],
        [c.time]: isoUtc(opts.stampedAt === 'close' ? b.closeTime[i]! : b.openTime[i]!),
        [c.open]: b.open[i],
        [c.high]: b.high[i],
        [c.low]: b.low[i],
        [c.close]: b.close[i],
        [c.volume]: b.volume[i],
      }),
    rejected: r.rejected,
    rowsRead: r.rowsRead,
    format: {
      format: format === 'csv' ? 'parquet' : format, // a name of no known format was read as Parquet
      columns: r.columns,
      timeKind: r.timeKind,
      stampedAt: opts.stampedAt ?? 'open',
    },
  }
}

/** Reads and validates the Parquet, freqtrade JSON or Feather file at `path` without storing it. */
export async function inspectParquetFile(path: string, opts: ImportOptions = {}): Promise<SeriesInspection> {
  const t0 = performance.now()
  const parsed = await parseParquetFile(path, opts)
  return inspectSeries(parsed, opts, performance.now() - t0)
}

/** Imports the Parquet file at `path` into `store`. Re-importing the same bytes adds nothing. */
export async function importParquetFile(
  store: BarStore,
  path: string,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  return storeInspection(store, await inspectParquetFile(path, opts), opts.onProgress)
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Reads and validates a bar file of any format Kestrel reads ({@link barFileFormat}) without storing it. */
export async function inspectBarFile(path: string, opts: ImportOptions = {}): Promise<Inspection | SeriesInspection> {
  return barFileFormat(path) === 'csv' ? inspectCsvFile(path, opts) : inspectParquetFile(path, opts)
}
