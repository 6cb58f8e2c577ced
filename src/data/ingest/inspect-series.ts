/**
 * The checks of a parsed file, whatever its format: stage-1 validation, every rejected row quarantined with its
 * reason and raw text, stage-2 row accounting. What `kestrel data validate` prints and what an import stores.
 */
import type { BarSeries, Instrument } from '../../core/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import { partitionSeries, validateIngest, validateTransform } from '../validation/index.ts'
import type { Finding, GapRun, IngestReport, Partition } from '../validation/index.ts'
import { pickCalendar, type ImportOptions } from './options.ts'

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

/** Stage 1 over a parsed series, before the raw text of the rejected rows is fetched. */
export interface CheckedSeries {
  readonly report: IngestReport
  readonly part: Partition
  readonly calendar: string | undefined
  readonly startedAt: number
}

/** Runs stage-1 validation over `input` and splits it; the rejected rows are `part.rejectedIndex`. */
export function checkSeries(input: Omit<ParsedSeries, 'raw' | 'format'>, opts: ImportOptions = {}): CheckedSeries {
  const startedAt = performance.now()
  const s = input.series
  opts.onProgress?.({ phase: 'validate', done: 0, total: s.openTime.length })
  const calendar = pickCalendar(opts.calendar, input.instrument, s)
  const report = validateIngest(s, {
    source: input.source,
    lines: input.lines,
    calendar,
    outlierZ: opts.outlierZ,
    rangeZ: opts.rangeZ,
  })
  return { report, part: partitionSeries(s, report.rejected), calendar: calendar?.id, startedAt }
}

/**
 * Quarantines the rejected rows (`raws[k]` the raw text of `part.rejectedIndex[k]`) after the reader's own
 * rejects, and runs stage 2 (every input row accepted or quarantined).
 */
export function finishInspection(
  input: Omit<ParsedSeries, 'raw'>,
  checked: CheckedSeries,
  raws: readonly string[],
  parseMs: number,
): SeriesInspection {
  const { report, part } = checked
  const s = input.series
  const byRow = new Map<number, Finding[]>()
  for (const f of report.findings) {
    if (f.severity !== 'error' || f.index === undefined) continue
    const list = byRow.get(f.index)
    if (list) list.push(f)
    else byRow.set(f.index, [f])
  }
  const quarantine: QuarantinedRow[] = [...input.rejected]
  part.rejectedIndex.forEach((i, k) => {
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
      raw: raws[k]!,
    })
  })
  const readerFindings: Finding[] = input.rejected.map((p) => ({
    stage: 'ingest',
    severity: 'error',
    reason: p.reason,
    message: p.message,
    line: p.line,
    field: p.field,
    ...(p.timestamp === undefined ? {} : { timestamp: p.timestamp }),
  }))
  const stage2 = validateTransform(
    part.accepted,
    { rowsIn: input.rowsRead, quarantined: quarantine.length },
    input.source,
  )
  return {
    source: input.source,
    fileHash: input.fileHash,
    instrument: input.instrument,
    format: input.format,
    accepted: part.accepted,
    quarantine,
    findings: [...readerFindings, ...report.findings, ...stage2.findings],
    gaps: report.gaps,
    calendar: checked.calendar,
    rowsRead: input.rowsRead,
    timings: { parseMs, validateMs: performance.now() - checked.startedAt },
  }
}

/** Runs stage-1 and stage-2 validation over a parsed series and splits it into accepted and quarantined rows. */
export function inspectSeries(input: ParsedSeries, opts: ImportOptions = {}, parseMs = 0): SeriesInspection {
  const checked = checkSeries(input, opts)
  const raws = Array.from(checked.part.rejectedIndex, (i) => input.raw(i))
  return finishInspection(input, checked, raws, parseMs)
}
