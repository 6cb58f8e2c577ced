/**
 * The market data use cases on files and the store: import bar files (parse, validate, quarantine bad rows,
 * log the import), validate a file without storing it, list what is stored in each tier, export bars of both
 * tiers to CSV or Parquet (optionally back-adjusted for splits and dividends, optionally with gaps filled), each
 * series' quality score.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { KestrelError, isFixedTimeframe, isoUtc, parseAnyTimeframe, sliceSeries } from '../core/index.ts'
import {
  adjustStoredSeries,
  fillGaps,
  getCalendar,
  importFile,
  inspectBarFile,
  seriesQuality,
  writeBarsFile,
} from '../data/index.ts'
import type {
  BarStore,
  FillMethod,
  ImportOptions,
  ImportReport,
  Inspection,
  SeriesInspection,
  SeriesQuality,
} from '../data/index.ts'
import type { BarSeries } from '../core/index.ts'
import {
  openExistingStore,
  openTiered,
  requireBars,
  resolveInstrument,
  resolveInstruments,
  storeLocation,
  type StoreSelection,
} from './store.ts'

export type { ImportOptions, ImportReport, Inspection, SeriesInspection }

/**
 * Imports each file into the store. A file is parsed and validated before the store opens, which is held only
 * for the one commit; through both tiers, so bars already archived to the lake are not written hot again. A DuckDB
 * file that does not exist is created (`where.onCreate` hears of it) once a file has been read and checked.
 * `onProgress` sees each file's phases.
 */
export async function importFiles(
  files: readonly string[],
  opts: ImportOptions,
  where: StoreSelection,
  onProgress?: (file: string, p: Parameters<NonNullable<ImportOptions['onProgress']>>[0]) => void,
): Promise<ImportReport[]> {
  const loc = storeLocation(where)
  const reports: ImportReport[] = []
  for (const f of files) {
    reports.push(
      await importFile(() => openTiered(loc, { create: true }), f, {
        ...opts,
        ...(onProgress ? { onProgress: (p) => onProgress(f, p) } : {}),
      }),
    )
  }
  return reports
}

/** A file's inspection (CSV, gzip CSV, Parquet or freqtrade JSON, by its name) without storing it, and how many of its findings are errors. */
export async function validateFile(
  file: string,
  opts: ImportOptions,
): Promise<{ inspection: Inspection | SeriesInspection; errors: number }> {
  const inspection = await inspectBarFile(file, opts)
  return { inspection, errors: inspection.findings.filter((f) => f.severity === 'error').length }
}

/** One stored series: rows in all, hot and in the lake, first and last open time, rows quarantined. */
export interface StoredSeries {
  readonly instrumentId: string
  readonly timeframe: string
  readonly rows: number
  readonly first?: number
  readonly last?: number
  readonly quarantined: number
  readonly hotRows: number
  readonly lakeRows: number
  /**
   * The quality score and its parts (see `qualityScore`); null when the series has no stored instrument (no
   * calendar) or a timeframe without a fixed length.
   */
  readonly quality: SeriesQuality | null
}

/** The stored series of both tiers, each with its quality score (which reads the series' open times once); with `symbols` (ids or bare symbols), only theirs. */
export async function listStored(where: StoreSelection, symbols: readonly string[] = []): Promise<StoredSeries[]> {
  const store = await openTiered(where)
  try {
    const only = symbols.length > 0 ? new Set(await resolveInstruments(store, symbols)) : undefined
    const key = (r: { instrumentId: string; timeframe: string }) => `${r.instrumentId}\u0000${r.timeframe}`
    const hot = new Map((await store.hot.summary()).map((r) => [key(r), r.rows]))
    const cold = new Map((await store.lake.summary()).map((r) => [key(r), r.rows]))
    const seen = new Map<string, number>()
    for (const g of await store.ingestions()) seen.set(key(g), (seen.get(key(g)) ?? 0) + g.rowsRead)
    const out: StoredSeries[] = []
    const all = await store.summary()
    for (const r of only ? all.filter((x) => only.has(x.instrumentId)) : all) {
      out.push({
        ...r,
        hotRows: hot.get(key(r)) ?? 0,
        lakeRows: cold.get(key(r)) ?? 0,
        quality: await storedQuality(store, r, seen.get(key(r))),
      })
    }
    return out
  } finally {
    await store.close()
  }
}

async function storedQuality(
  store: BarStore,
  r: { instrumentId: string; timeframe: string; rows: number; quarantined: number },
  rowsSeen: number | undefined,
): Promise<SeriesQuality | null> {
  const inst = await store.getInstrument(r.instrumentId)
  const tf = parseAnyTimeframe(r.timeframe)
  if (!inst || !isFixedTimeframe(tf)) return null
  const times = new Float64Array(r.rows)
  let at = 0
  for await (const chunk of store.streamBars(r.instrumentId, r.timeframe)) {
    times.set(chunk.openTime.subarray(0, Math.min(chunk.openTime.length, times.length - at)), at)
    at += chunk.openTime.length
  }
  return seriesQuality(times.subarray(0, Math.min(at, times.length)), tf.ms, getCalendar(inst.calendar), {
    quarantined: r.quarantined,
    rowsSeen,
  })
}

/** The two file formats bars and features are written in. */
export type OutputFormat = 'csv' | 'parquet'

/**
 * The format of an output file: `format` when given (csv or parquet, else USAGE), else what the name says
 * (`.parquet` / `.pq` → parquet, anything else csv).
 */
export function outputFormat(out: string, format?: string): OutputFormat {
  if (format === undefined) return /\.(parquet|pq)$/i.test(out) ? 'parquet' : 'csv'
  if (format === 'csv' || format === 'parquet') return format
  throw new KestrelError('USAGE', `--format ${JSON.stringify(format)}: expected csv or parquet`, { format })
}

/** What {@link exportBars} writes. */
export interface ExportRequest {
  /** Instrument id (SPY.ARCA) or a symbol stored under one venue (SPY). */
  readonly symbol: string
  readonly timeframe: string
  /** First bar open time (inclusive) and end (exclusive), epoch ms. */
  readonly from?: number
  readonly to?: number
  readonly format: 'csv' | 'parquet'
  readonly out: string
  /** Corporate actions file (symbol,date,type,value) to back-adjust with. */
  readonly adjust?: string
  /**
   * Insert the bars the instrument's calendar expects but the store lacks (`ffill`: see `fillGaps`), with a
   * `filled` column (1 for an inserted bar). Never done unless asked.
   */
  readonly fillGaps?: FillMethod
}

/** What was written; `adjusted` with a back-adjusted export. */
export interface ExportReport {
  readonly instrumentId: string
  readonly timeframe: string
  /** Bars written, filled ones included. */
  readonly bars: number
  readonly adjusted?: { actions: number; source: string; hash: string; dataVersion: string }
  /** With `fillGaps`: how many bars were inserted, on which calendar. */
  readonly filled?: { bars: number; method: FillMethod; calendar: string }
}

/** Writes stored bars (hot store and lake alike) to a CSV (re-importable) or Parquet file. */
export async function exportBars(req: ExportRequest, where: StoreSelection): Promise<ExportReport> {
  const store = await openExistingStore(where)
  try {
    const id = await resolveInstrument(store, req.symbol)
    const tf = req.timeframe
    if (req.adjust) return await exportAdjusted(store, id, { ...req, adjust: req.adjust })
    const range = { from: req.from, to: req.to }
    const what = `${id} ${tf}${req.from !== undefined || req.to !== undefined ? ` from ${req.from === undefined ? 'the start' : isoUtc(req.from)} to ${req.to === undefined ? 'the end' : isoUtc(req.to)}` : ''}`
    if (req.fillGaps) {
      const s = await store.readBars(id, tf, range)
      if (s.openTime.length === 0)
        throw new KestrelError('DATA_NOT_FOUND', `${what}: no bars stored; see kestrel data ls`, { what })
      return {
        instrumentId: id,
        timeframe: tf,
        ...(await writeFilled(store, id, s, req.out, req.format, req.fillGaps)),
      }
    }
    const bars = await writeBarsFile(requireBars(store.streamBars(id, tf, range), what), req.out, req.format)
    return { instrumentId: id, timeframe: tf, bars }
  } finally {
    await store.close()
  }
}

/** Fills the gaps of `s` on the instrument's calendar and writes it with its `filled` column. */
async function writeFilled(
  store: BarStore,
  id: string,
  s: BarSeries,
  out: string,
  format: OutputFormat,
  method: FillMethod,
): Promise<{ bars: number; filled: NonNullable<ExportReport['filled']> }> {
  const inst = await store.getInstrument(id)
  if (!inst)
    throw new KestrelError('DATA_NOT_FOUND', `${id}: no stored instrument, so no calendar to fill gaps by`, { id })
  const r = fillGaps(s, getCalendar(inst.calendar), method)
  const bars = await writeBarsFile(
    (async function* () {
      yield r.series
    })(),
    out,
    format,
    { filled: true },
  )
  return { bars, filled: { bars: r.filled, method, calendar: inst.calendar } }
}

/** Writes the back-adjusted series (CSV directly; Parquet through {@link writeBarsFile}). */
async function exportAdjusted(
  store: BarStore,
  id: string,
  req: ExportRequest & { adjust: string },
): Promise<ExportReport> {
  const tf = req.timeframe
  const adj = await adjustStoredSeries(store, id, tf, req.adjust)
  const s = adj.series
  let lo = 0
  while (lo < s.openTime.length && req.from !== undefined && s.openTime[lo]! < req.from) lo++
  let hi = lo
  while (hi < s.openTime.length && (req.to === undefined || s.openTime[hi]! < req.to)) hi++
  const part = sliceSeries(s, lo, hi)
  const n = hi - lo
  if (n === 0)
    throw new KestrelError('DATA_NOT_FOUND', `${id} ${tf}: no bars stored in the range; see kestrel data ls`, {
      id,
      tf,
    })
  if (req.fillGaps) {
    const adjusted = {
      actions: adj.applied.length,
      source: adj.actionsSource,
      hash: adj.actionsHash,
      dataVersion: adj.dataVersion,
    }
    return {
      instrumentId: id,
      timeframe: tf,
      ...(await writeFilled(store, id, part, req.out, req.format, req.fillGaps)),
      adjusted,
    }
  }
  if (req.format === 'parquet') {
    await writeBarsFile(
      (async function* () {
        yield part
      })(),
      req.out,
      'parquet',
    )
  } else {
    const lines = ['timestamp,open,high,low,close,volume']
    for (let i = 0; i < n; i++) {
      lines.push(
        `${isoUtc(part.openTime[i]!)},${part.open[i]},${part.high[i]},${part.low[i]},${part.close[i]},${part.volume[i]}`,
      )
    }
    const out = resolve(req.out)
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, `${lines.join('\n')}\n`)
  }
  return {
    instrumentId: id,
    timeframe: tf,
    bars: n,
    adjusted: {
      actions: adj.applied.length,
      source: adj.actionsSource,
      hash: adj.actionsHash,
      dataVersion: adj.dataVersion,
    },
  }
}
