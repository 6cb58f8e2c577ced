/** File → parse → validate → store (bars, quarantine, ingestion log), with a report. */
import { countByReason } from '../validation/index.ts'
import type { Finding, GapRun } from '../validation/index.ts'
import type { BarStore, IngestionRecord } from '../store/types.ts'
import { inspectCsvFile, type ImportOptions } from './inspect-csv.ts'

/** What one import did. */
export interface ImportReport {
  readonly source: string
  readonly fileHash: string
  readonly instrumentId: string
  readonly symbol: string
  readonly timeframe: string
  /** True when this exact file (same hash) was already imported for the series: nothing was written. */
  readonly skipped: boolean
  readonly rowsRead: number
  /** Rows that passed validation. */
  readonly rowsAccepted: number
  /** Rows new to the store (accepted minus those already stored from an overlapping import). */
  readonly rowsInserted: number
  readonly rowsQuarantined: number
  readonly first?: number
  readonly last?: number
  readonly errorsByReason: Record<string, number>
  readonly warningsByReason: Record<string, number>
  readonly findings: Finding[]
  readonly gaps: GapRun[]
  readonly calendar?: string
  readonly dataVersion: number
  readonly timings: { readonly parseMs: number; readonly validateMs: number; readonly storeMs: number }
}

/** Imports the CSV file at `path` into `store`. Re-importing the same bytes adds nothing. */
export async function importCsvFile(store: BarStore, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const ins = await inspectCsvFile(path, opts)
  const id = ins.instrument.id
  const tf = ins.accepted.timeframe
  const n = ins.accepted.openTime.length
  const base = {
    source: path,
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
  const prior = await store.findIngestion(ins.fileHash, id, tf)
  if (prior) {
    opts.onProgress?.({ phase: 'done', done: n, total: n })
    return { ...base, skipped: true, rowsInserted: 0, dataVersion: prior.dataVersion, timings: { ...ins.timings, storeMs: 0 } }
  }
  const t0 = performance.now()
  opts.onProgress?.({ phase: 'store', done: 0, total: n })
  await store.upsertInstrument(ins.instrument)
  const inserted = await store.writeBars(ins.accepted)
  await store.writeQuarantine(ins.quarantine)
  const version =
    (await store.ingestions()).filter((r) => r.instrumentId === id && r.timeframe === tf).reduce((m, r) => Math.max(m, r.dataVersion), 0) + 1
  const rec: IngestionRecord = {
    source: path,
    fileHash: ins.fileHash,
    instrumentId: id,
    timeframe: tf,
    rowsRead: ins.rowsRead,
    rowsAccepted: n,
    rowsQuarantined: ins.quarantine.length,
    importedAt: Date.now(),
    dataVersion: version,
  }
  await store.recordIngestion(rec)
  opts.onProgress?.({ phase: 'done', done: n, total: n })
  return { ...base, skipped: false, rowsInserted: inserted, dataVersion: version, timings: { ...ins.timings, storeMs: performance.now() - t0 } }
}
