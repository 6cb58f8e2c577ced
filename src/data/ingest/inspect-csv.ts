/**
 * File → parse → validate, without storing: what `kestrel data validate` prints and what an import stores.
 * Every input row ends up either in the accepted series or in the quarantine list (stage 2 checks the sum).
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { KestrelError, makeInstrument, parseTimeframe } from '../../core/index.ts'
import type { AssetClass, BarSeries, Instrument } from '../../core/index.ts'
import { getCalendar, type TradingCalendar } from '../calendars/index.ts'
import { readCsvFile, type CsvInfo } from '../csv/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import { partitionSeries, validateIngest, validateTransform, type Finding, type GapRun } from '../validation/index.ts'
import { hintsFromFileName } from './file-name.ts'

/** How to read and check one file. Unset fields come from the file name (`SPY_1m.csv`) and the data. */
export interface ImportOptions {
  readonly symbol?: string
  readonly venue?: string
  readonly assetClass?: AssetClass
  readonly timeframe?: string
  readonly timezone?: string
  readonly stampedAt?: 'open' | 'close'
  /** Calendar id for the gap check; default from the instrument (NYSE data with extended hours → NYSE_EXT). */
  readonly calendar?: string
  readonly outlierZ?: number
  readonly rangeZ?: number
  /** Called as work advances. */
  readonly onProgress?: (p: ImportProgress) => void
}

/** Progress of one file. */
export interface ImportProgress {
  readonly phase: 'parse' | 'validate' | 'store' | 'done'
  readonly done: number
  readonly total: number
}

/** The checked contents of one file. */
export interface Inspection {
  readonly source: string
  readonly fileHash: string
  readonly instrument: Instrument
  readonly csv: CsvInfo
  /** Rows that passed, in time order. */
  readonly accepted: BarSeries
  /** One row per rejected input row, with its reason. */
  readonly quarantine: QuarantinedRow[]
  /** Ingest and transform findings (errors and warnings), parse problems included as errors. */
  readonly findings: Finding[]
  readonly gaps: GapRun[]
  readonly calendar: string | undefined
  readonly rowsRead: number
  readonly timings: { readonly parseMs: number; readonly validateMs: number }
}

/** Reads, hashes and validates the CSV file at `path`. */
export async function inspectCsvFile(path: string, opts: ImportOptions = {}): Promise<Inspection> {
  const hints = hintsFromFileName(path)
  const symbol = opts.symbol ?? hints.symbol
  if (!symbol) throw new KestrelError('USAGE', `${path}: cannot tell the symbol from the file name; pass --symbol`, { path })
  const assetClass = opts.assetClass ?? hints.assetClass
  const instrument = makeInstrument({ symbol, venue: opts.venue ?? 'CSV', assetClass })
  const timeframe = opts.timeframe ?? hints.timeframe
  if (timeframe) parseTimeframe(timeframe)
  const hash = createHash('sha256')
  const t0 = performance.now()
  const parsed = await readCsvFile(path, {
    instrumentId: instrument.id,
    timeframe,
    timezone: opts.timezone,
    stampedAt: opts.stampedAt,
    onChunk: (c) => hash.update(c),
    onProgress: (done, total) => opts.onProgress?.({ phase: 'parse', done, total }),
  })
  const fileHash = hash.digest('hex')
  const t1 = performance.now()
  opts.onProgress?.({ phase: 'validate', done: 0, total: parsed.series.openTime.length })
  const calendar = pickCalendar(opts.calendar, instrument, parsed.series)
  const report = validateIngest(parsed.series, {
    source: path,
    lines: parsed.lines,
    calendar,
    outlierZ: opts.outlierZ,
    rangeZ: opts.rangeZ,
  })
  const part = partitionSeries(parsed.series, report.rejected)
  const quarantine: QuarantinedRow[] = [...parsed.problems]
  if (part.rejectedIndex.length) {
    const raws = await readRawRows(path, parsed.offsets, part.rejectedIndex)
    const byRow = new Map<number, Finding[]>()
    for (const f of report.findings) {
      if (f.severity !== 'error' || f.index === undefined) continue
      const list = byRow.get(f.index)
      if (list) list.push(f)
      else byRow.set(f.index, [f])
    }
    part.rejectedIndex.forEach((i, k) => {
      const fs = byRow.get(i) ?? []
      quarantine.push({
        source: path,
        instrumentId: instrument.id,
        timeframe: parsed.series.timeframe,
        line: parsed.lines[i],
        timestamp: parsed.series.openTime[i],
        field: fs[0]?.field,
        reason: fs[0]?.reason ?? 'REJECTED',
        message: fs.map((f) => f.message).join('; '),
        severity: 'error',
        raw: raws[k]!,
      })
    })
  }
  const parseFindings: Finding[] = parsed.problems.map((p) => ({
    stage: 'ingest',
    severity: 'error',
    reason: p.reason,
    message: p.message,
    line: p.line,
    field: p.field,
  }))
  const stage2 = validateTransform(part.accepted, { rowsIn: parsed.info.rowsRead, quarantined: quarantine.length }, path)
  const t2 = performance.now()
  return {
    source: path,
    fileHash,
    instrument,
    csv: parsed.info,
    accepted: part.accepted,
    quarantine,
    findings: [...parseFindings, ...report.findings, ...stage2.findings],
    gaps: report.gaps,
    calendar: calendar?.id,
    rowsRead: parsed.info.rowsRead,
    timings: { parseMs: t1 - t0, validateMs: t2 - t1 },
  }
}

/**
 * The gap-check calendar. NYSE intraday data whose pre/post-market minutes are at least a quarter covered is
 * checked against NYSE_EXT; data with only a few stray extended-hours bars against regular hours (NYSE).
 * Coverage counts the extended-hours minutes of the sessions that have bars, from a sample of at most 20,000
 * rows, not of every day between the first and the last bar (a mistyped year would make that centuries).
 */
export function pickCalendar(id: string | undefined, inst: Instrument, s: BarSeries): TradingCalendar | undefined {
  if (id) return getCalendar(id)
  if (s.timeframe === 'unknown') return undefined
  const cal = getCalendar(inst.calendar)
  const tfMs = parseTimeframe(s.timeframe).ms
  const n = s.openTime.length
  if (cal.id !== 'NYSE' || tfMs >= 86_400_000 || n === 0) return cal
  const ext = getCalendar('NYSE_EXT')
  const step = Math.max(1, Math.floor(n / 20_000))
  const seen = new Set<string>()
  let extSlots = 0
  let extBars = 0
  for (let i = 0; i < n; i += step) {
    const t = s.openTime[i]!
    const es = Number.isFinite(t) ? ext.sessionAt(t) : undefined
    if (!es) continue
    if (!cal.isOpen(t)) extBars += step
    if (seen.has(es.date)) continue
    seen.add(es.date)
    let regular = 0
    for (const r of cal.sessions(es.open, es.close)) regular += Math.min(r.close, es.close) - Math.max(r.open, es.open)
    extSlots += (es.close - es.open - regular) / tfMs
  }
  return extSlots > 0 && extBars / extSlots >= 0.25 ? ext : cal
}

/**
 * The raw text of the rows starting at byte `offsets[idx[k]]` (idx ascending). Reads the file in windows of
 * 1 MiB, so a file with millions of rejected rows (e.g. the same data appended twice) costs a few reads, not one each.
 */
async function readRawRows(path: string, offsets: Float64Array, idx: Int32Array): Promise<string[]> {
  const fh = await open(path, 'r')
  const out: string[] = new Array(idx.length)
  const win = Buffer.alloc(1 << 20)
  let winStart = -1
  let winLen = 0
  try {
    for (let k = 0; k < idx.length; k++) {
      const at = offsets[idx[k]!]!
      let nl = winStart >= 0 && at >= winStart && at < winStart + winLen ? win.indexOf(10, at - winStart) : -1
      if (nl < 0 || nl >= winLen) {
        winStart = at
        winLen = (await fh.read(win, 0, win.length, at)).bytesRead
        nl = win.indexOf(10, 0)
        if (nl < 0 || nl >= winLen) nl = Math.min(winLen, 1000)
      }
      out[k] = win.toString('utf8', at - winStart, Math.min(nl, at - winStart + 1000)).replace(/\r$/, '')
    }
    return out
  } finally {
    await fh.close()
  }
}
