/** File → parse → validate → store (bars, quarantine, ingestion log), with a report. */
import type { Finding, GapRun } from '../validation/index.ts'
import type { BarStore } from '../store/types.ts'
import { inspectParquetFile, isParquetPath, storeInspection } from './import-series.ts'
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
  return storeInspection(store, await inspectCsvFile(path, opts), opts.onProgress)
}

/**
 * Imports the CSV or Parquet file at `path`: parses, hashes and validates it first, and only then opens the store
 * (`open`) to commit, closing it right after. A DuckDB file thus stays free for other processes during the parse;
 * the store is held only for the one atomic commit.
 */
export async function importFile(open: () => Promise<BarStore>, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const ins = isParquetPath(path) ? await inspectParquetFile(path, opts) : await inspectCsvFile(path, opts)
  const store = await open()
  try {
    return await storeInspection(store, ins, opts.onProgress)
  } finally {
    await store.close()
  }
}
