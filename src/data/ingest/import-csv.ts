/** File → parse → validate → store (bars, quarantine, ingestion log), with a report. */
import type { BarStore } from '../store/types.ts'
import { inspectBarFile } from './import-series.ts'
import { inspectCsvFile } from './inspect-csv.ts'
import type { ImportOptions } from './options.ts'
import { storeInspection, type ImportReport } from './store-inspection.ts'

/** Imports the CSV file at `path` into `store`. Re-importing the same bytes adds nothing. */
export async function importCsvFile(store: BarStore, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return storeInspection(store, await inspectCsvFile(path, opts), opts.onProgress)
}

/**
 * Imports the bar file at `path` (CSV, gzip CSV, Parquet, freqtrade JSON; see {@link inspectBarFile}): parses, hashes and validates it first, and only then opens the store
 * (`open`) to commit, closing it right after. A DuckDB file thus stays free for other processes during the parse;
 * the store is held only for the one atomic commit.
 */
export async function importFile(
  open: () => Promise<BarStore>,
  path: string,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const ins = await inspectBarFile(path, opts)
  const store = await open()
  try {
    return await storeInspection(store, ins, opts.onProgress)
  } finally {
    await store.close()
  }
}
