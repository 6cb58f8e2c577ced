/** Commits a checked file to a store (bars, quarantine, ingestion log at once) and reports what it did. */
import type { BarStore } from '../store/types.ts'
import { countByReason } from '../validation/index.ts'
import type { Finding, GapRun } from '../validation/index.ts'
import type { SeriesInspection } from './inspect-series.ts'
import type { ImportOptions } from './options.ts'

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
  return {
    ...base,
    skipped: done.skipped,
    rowsInserted: done.inserted,
    dataVersion: done.dataVersion,
    timings: { ...ins.timings, storeMs },
  }
}
