/**
 * Import of a Parquet file through the same validation, quarantine and ingestion-log path as a CSV import:
 * stage-1 checks, rejected rows quarantined with their raw row, stage-2 row accounting, re-importing the same
 * bytes adds nothing.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { KestrelError, isoUtc, makeInstrument, parseTimeframe } from '../../core/index.ts'
import type { BarStore } from '../store/types.ts'
import { readParquetBars } from '../sources/parquet.ts'
import { hintsFromFileName } from './file-name.ts'
import { inspectSeries, type ParsedSeries, type SeriesInspection } from './inspect-series.ts'
import type { ImportOptions } from './options.ts'
import { storeInspection, type ImportReport } from './store-inspection.ts'

/** True for a path the Parquet reader should take (`.parquet` / `.pq`). */
export function isParquetPath(path: string): boolean {
  return /\.(parquet|pq)$/i.test(path)
}

/** Reads the Parquet file at `path` (symbol and timeframe from options or the file name) into a {@link ParsedSeries}. */
export async function parseParquetFile(path: string, opts: ImportOptions = {}): Promise<ParsedSeries> {
  const hints = hintsFromFileName(path.replace(/\.pq$/i, '.parquet'))
  const symbol = opts.symbol ?? hints.symbol
  if (!symbol)
    throw new KestrelError('USAGE', `${path}: cannot tell the symbol from the file name; pass --symbol`, { path })
  const instrument = makeInstrument({
    symbol,
    venue: opts.venue ?? 'CSV',
    assetClass: opts.assetClass ?? hints.assetClass,
  })
  const timeframe = opts.timeframe ?? hints.timeframe
  if (timeframe) parseTimeframe(timeframe)
  const r = await readParquetBars(path, { instrumentId: instrument.id, timeframe, stampedAt: opts.stampedAt })
  const fileHash = await sha256File(path)
  const b = r.bars
  const shift = opts.stampedAt === 'close' ? parseTimeframe(b.timeframe).ms : 0
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
        [c.time]: isoUtc(b.openTime[i]! + shift),
        [c.open]: b.open[i],
        [c.high]: b.high[i],
        [c.low]: b.low[i],
        [c.close]: b.close[i],
        [c.volume]: b.volume[i],
      }),
    rejected: r.rejected,
    rowsRead: r.rowsRead,
    format: { format: 'parquet', columns: r.columns, timeKind: r.timeKind, stampedAt: opts.stampedAt ?? 'open' },
  }
}

/** Reads and validates the Parquet file at `path` without storing it. */
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
