/**
 * File → parse → validate, without storing: what `kestrel data validate` prints and what an import stores.
 * Every input row ends up either in the accepted series or in the quarantine list (stage 2 checks the sum).
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { BarSeries, Instrument } from '../../core/index.ts'
import { fileBytes, isGzipFile, readCsvFile, type CsvInfo } from '../csv/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import type { Finding, GapRun } from '../validation/index.ts'
import { checkSeries, finishInspection } from './inspect-series.ts'
import { fileInstrument, type ImportOptions } from './options.ts'

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
  const { instrument, timeframe } = fileInstrument(path, opts)
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
  const input = {
    source: path,
    fileHash: hash.digest('hex'),
    instrument,
    series: parsed.series,
    lines: parsed.lines,
    rejected: parsed.problems,
    rowsRead: parsed.info.rowsRead,
    format: { format: 'csv' },
  }
  const parseMs = performance.now() - t0
  const checked = checkSeries(input, opts)
  const idx = checked.part.rejectedIndex
  const raws = !idx.length
    ? []
    : (await isGzipFile(path))
      ? await readRawRowsStreamed(fileBytes(path, true), parsed.offsets, idx)
      : await readRawRows(path, parsed.offsets, idx)
  const ins = finishInspection(input, checked, raws, parseMs)
  return {
    source: ins.source,
    fileHash: ins.fileHash,
    instrument: ins.instrument,
    csv: parsed.info,
    accepted: ins.accepted,
    quarantine: ins.quarantine,
    findings: ins.findings,
    gaps: ins.gaps,
    calendar: ins.calendar,
    rowsRead: ins.rowsRead,
    timings: ins.timings,
  }
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

/**
 * {@link readRawRows} for a file read as a stream (a gzip file, whose offsets count decompressed bytes): one pass
 * over `bytes`, keeping at most 1,000 bytes of each wanted row.
 */
export async function readRawRowsStreamed(
  bytes: AsyncIterable<Buffer>,
  offsets: Float64Array,
  idx: Int32Array,
): Promise<string[]> {
  const out: string[] = []
  let k = 0
  let pos = 0
  let parts: Buffer[] | undefined
  let kept = 0
  const finish = () => {
    out.push(Buffer.concat(parts!).toString('utf8').replace(/\r$/, ''))
    parts = undefined
    k++
  }
  for await (const c of bytes) {
    let i = 0
    while (i < c.length && k < idx.length) {
      if (!parts) {
        const at = offsets[idx[k]!]! - pos
        if (at >= c.length) break
        i = Math.max(0, at)
        parts = []
        kept = 0
      }
      const nl = c.indexOf(10, i)
      const end = nl < 0 ? c.length : nl
      const take = Math.min(end - i, 1000 - kept)
      if (take > 0) parts.push(c.subarray(i, i + take))
      kept += Math.max(0, take)
      if (nl < 0) break
      finish()
      i = nl + 1
    }
    pos += c.length
    if (k >= idx.length) break
  }
  if (parts) finish()
  return out
}
