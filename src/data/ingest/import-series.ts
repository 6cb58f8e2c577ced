/**
 * Import of an already-parsed series (Parquet today; any reader that yields a BarSeries plus where each row came
 * from) through the same validation, quarantine and ingestion-log path as a CSV import: stage-1 checks, rejected
 * rows quarantined with their raw row, stage-2 row accounting, re-importing the same bytes adds nothing.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { KestrelError, isoUtc, makeInstrument, parseTimeframe } from '../../core/index.ts'
import type { BarSeries, Instrument } from '../../core/index.ts'
import { readParquetBars } from '../sources/parquet.ts'
import type { BarStore, QuarantinedRow } from '../store/types.ts'
import { countByReason, partitionSeries, validateIngest, validateTransform } from '../validation/index.ts'
import type { Finding, GapRun } from '../validation/index.ts'
import { hintsFromFileName } from './file-name.ts'
import type { ImportReport } from './import-csv.ts'
import { pickCalendar, type ImportOptions } from './inspect-csv.ts'

/** A parsed file: its bars, where each came from, and the rows the reader could not parse. */
export interface ParsedSeries {
  /** File path or provider name. */
  readonly source: string
  /** sha256 (hex) of the source bytes. */
  readonly fileHash: string
  readonly instrument: Instrument
  /** Every parsed row, in time order. */
  readonly series: BarSeries
  /** 1-based row (or line) in the source of each bar of `series`. */
  readonly lines: Int32Array
  /** The raw text of bar `i` of `series`, kept in quarantine when it is rejected. */
  readonly raw: (i: number) => string
  /** Rows the reader set aside (null fields, unparseable values), already with their reason. */
  readonly rejected: readonly QuarantinedRow[]
  /** Rows in the source (parsed + rejected by the reader). */
  readonly rowsRead: number
  /** How the reader understood the file, for the report (e.g. columns and time kind). */
  readonly format: Readonly<Record<string, unknown>>
}

/** The checked contents of a parsed series: what validate prints and what an import stores. */
export interface SeriesInspection {
  readonly source: string
  readonly fileHash: string
  readonly instrument: Instrument
  readonly format: Readonly<Record<string, unknown>>
  /** Rows that passed, in time order. */
  readonly accepted: BarSeries
  /** One row per rejected input row, with its reason. */
  readonly quarantine: QuarantinedRow[]
  readonly findings: Finding[]
  readonly gaps: GapRun[]
  readonly calendar: string | undefined
  readonly rowsRead: number
  readonly timings: { readonly parseMs: number; readonly validateMs: number }
}

/** Runs stage-1 and stage-2 validation over a parsed series and splits it into accepted and quarantined rows. */
export function inspectSeries(input: ParsedSeries, opts: ImportOptions = {}, parseMs = 0): SeriesInspection {
  const t0 = performance.now()
  const s = input.series
  const calendar = pickCalendar(opts.calendar, input.instrument, s)
  const report = validateIngest(s, { source: input.source, lines: input.lines, calendar, outlierZ: opts.outlierZ, rangeZ: opts.rangeZ })
  const part = partitionSeries(s, report.rejected)
  const byRow = new Map<number, Finding[]>()
  for (const f of report.findings) {
    if (f.severity !== 'error' || f.index === undefined) continue
    const list = byRow.get(f.index)
    if (list) list.push(f)
    else byRow.set(f.index, [f])
  }
  const quarantine: QuarantinedRow[] = [...input.rejected]
  for (const i of part.rejectedIndex) {
    const fs = byRow.get(i) ?? []
    quarantine.push({
      source: input.source,
      instrumentId: input.instrument.id,
      timeframe: s.timeframe,
      line: input.lines[i],
      timestamp: s.openTime[i],
      field: fs[0]?.field,
      reason: fs[0]?.reason ?? 'REJECTED',
      message: fs.map((f) => f.message).join('; '),
      severity: 'error',
      raw: input.raw(i),
    })
  }
  const readerFindings: Finding[] = input.rejected.map((p) => ({
    stage: 'ingest',
    severity: 'error',
    reason: p.reason,
    message: p.message,
    line: p.line,
    field: p.field,
    timestamp: p.timestamp,
  }))
  const stage2 = validateTransform(part.accepted, { rowsIn: input.rowsRead, quarantined: quarantine.length }, input.source)
  return {
    source: input.source,
    fileHash: input.fileHash,
    instrument: input.instrument,
    format: input.format,
    accepted: part.accepted,
    quarantine,
    findings: [...readerFindings, ...report.findings, ...stage2.findings],
    gaps: report.gaps,
    calendar: calendar?.id,
    rowsRead: input.rowsRead,
    timings: { parseMs, validateMs: performance.now() - t0 },
  }
}

/**
 * Stores an inspection (of a CSV or a Parquet file): instrument, new bars, quarantine and the ingestion log, in one
 * atomic {@link BarStore.commitImport}. The same hash twice adds nothing.
 */
export async function storeInspection(
  store: BarStore,
  ins: Omit<SeriesInspection, 'format'>,
  onProgress?: ImportOptions['onProgress'],
): Promise<ImportReport> {
  const id = ins.instrument.id
  const tf = ins.accepted.timeframe
  const n = ins.accepted.openTime.length
  const base = {
    source: ins.source,
    fileHash: ins.fileHash,
    instrumentId: id,
    symbol: ins.instrument.symbol,
    timeframe: tf,
    rowsRead: ins.rowsRead,
    rowsAccepted: n,
    rowsQuarantined: ins.quarantine.length,
    first: n ? ins.accepted.openTime[0] : undefined,
    last: n ? ins.accepted.openTime[n - 1] : undefined,
    errorsByReason: countByReason(ins.findings, 'error'),
    warningsByReason: countByReason(ins.findings, 'warning'),
    findings: ins.findings,
    gaps: ins.gaps,
    calendar: ins.calendar,
  }
  const t0 = performance.now()
  onProgress?.({ phase: 'store', done: 0, total: n })
  // One commit: a crash or an error leaves either the whole import (bars, quarantine, log entry) or none of it.
  const done = await store.commitImport({
    instrument: ins.instrument,
    bars: ins.accepted,
    quarantine: ins.quarantine,
    record: {
      source: ins.source,
      fileHash: ins.fileHash,
      instrumentId: id,
      timeframe: tf,
      rowsRead: ins.rowsRead,
      rowsAccepted: n,
      rowsQuarantined: ins.quarantine.length,
      importedAt: Date.now(),
    },
  })
  onProgress?.({ phase: 'done', done: n, total: n })
  const storeMs = done.skipped ? 0 : performance.now() - t0
  return { ...base, skipped: done.skipped, rowsInserted: done.inserted, dataVersion: done.dataVersion, timings: { ...ins.timings, storeMs } }
}

/** True for a path the Parquet reader should take (`.parquet` / `.pq`). */
export function isParquetPath(path: string): boolean {
  return /\.(parquet|pq)$/i.test(path)
}

/** Reads the Parquet file at `path` (symbol and timeframe from options or the file name) into a {@link ParsedSeries}. */
export async function parseParquetFile(path: string, opts: ImportOptions = {}): Promise<ParsedSeries> {
  const hints = hintsFromFileName(path.replace(/\.pq$/i, '.parquet'))
  const symbol = opts.symbol ?? hints.symbol
  if (!symbol) throw new KestrelError('USAGE', `${path}: cannot tell the symbol from the file name; pass --symbol`, { path })
  const instrument = makeInstrument({ symbol, venue: opts.venue ?? 'CSV', assetClass: opts.assetClass ?? hints.assetClass })
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
export async function importParquetFile(store: BarStore, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return storeInspection(store, await inspectParquetFile(path, opts), opts.onProgress)
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
