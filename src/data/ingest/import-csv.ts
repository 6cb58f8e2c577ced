/** File → parse → validate → store (bars, quarantine, ingestion log), with a report. */
import type { BarStore, StagedImport } from '../store/types.ts'
import { barFileFormat, inspectBarFile } from './import-series.ts'
import { checkCsvInput, parseCsvInput, type ParsedCsv } from './inspect-csv.ts'
import type { ImportOptions } from './options.ts'
import { storeInspection, type ImportReport } from './store-inspection.ts'

/** Imports the CSV file at `path` into `store`. Re-importing the same bytes adds nothing. */
export async function importCsvFile(store: BarStore, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return commitCsv(store, await parseCsvInput(path, opts), opts)
}

/**
 * Imports the bar file at `path` (CSV, gzip CSV, Parquet, freqtrade JSON; see {@link inspectBarFile}): parses and
 * hashes it first, and only then opens the store (`open`), closing it right after. A DuckDB file thus stays free
 * for other processes during the parse; the store is held for the validation (while it writes the parsed rows,
 * for a CSV file) and the one atomic commit.
 */
export async function importFile(
  open: () => Promise<BarStore>,
  path: string,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const csv = barFileFormat(path) === 'csv' ? await parseCsvInput(path, opts) : undefined
  const ins = csv ? undefined : await inspectBarFile(path, opts)
  const store = await open()
  try {
    return csv ? await commitCsv(store, csv, opts) : await storeInspection(store, ins!, opts.onProgress)
  } finally {
    await store.close()
  }
}

/**
 * Validates a parsed CSV file and commits it. A store that stages imports ({@link BarStore.stageImport}) writes
 * every parsed row on its own threads while the validation runs here, then drops the rejected ones at commit;
 * what is stored is the same either way: the accepted rows, the quarantine, the log entry.
 */
async function commitCsv(store: BarStore, p: ParsedCsv, opts: ImportOptions): Promise<ImportReport> {
  const begun = await store.stageImport?.(p.input.instrument, p.input.series, p.input.fileHash)
  let committing = false
  const staged: StagedImport | undefined = begun && {
    commit: (batch, rejected) => {
      committing = true
      return begun.commit(batch, rejected)
    },
    abort: () => begun.abort(),
  }
  try {
    const checked = await checkCsvInput(p, opts)
    return await storeInspection(
      store,
      checked.inspection,
      opts.onProgress,
      staged && { staged, rejected: checked.rejected },
    )
  } catch (e) {
    if (begun && !committing) await begun.abort()
    throw e
  }
}
