/**
 * Main job, part 1: import and validate every bundled data set (data/bundled, no network) into the DuckDB file,
 * then print one row per series: rows, date range, rows quarantined and why, and the warnings. A second run
 * finds every file already imported (same hash) and adds nothing, and says so.
 */
import { fileURLToPath } from 'node:url'
import { isoUtc } from '../../core/index.ts'
import { BUNDLED_DATASETS, DuckDbStore, importCsvFile } from '../../data/index.ts'
import type { ImportReport } from '../../data/index.ts'
import { progress, stdout, table } from '../util.ts'
import { formatReasons } from './data.ts'
import type { QuickstartOptions } from './quickstart.ts'

/** Folder of the bundled CSV files, found from this file so any working directory works. */
export const BUNDLED_DIR = fileURLToPath(new URL('../../../data/bundled/', import.meta.url))

/** One line of the main job's data table. */
export interface QuickstartDataRow {
  readonly symbol: string
  readonly instrumentId: string
  readonly timeframe: string
  /** Bars stored for the series (after this run). */
  readonly rows: number
  readonly first: string
  readonly last: string
  readonly quarantined: number
  readonly quarantineReasons: Record<string, number>
  readonly warnings: Record<string, number>
  readonly added: number
  readonly skipped: boolean
  readonly dataVersion: number
}

/** Imports the bundled data into `opts.db` and returns one row per file. */
export async function importBundled(db: string): Promise<QuickstartDataRow[]> {
  const store = new DuckDbStore(db)
  const reports: ImportReport[] = []
  const bar = progress('bundled data')
  try {
    await store.init()
    bar.start(BUNDLED_DATASETS.length)
    for (const [i, d] of BUNDLED_DATASETS.entries()) {
      reports.push(
        await importCsvFile(store, `${BUNDLED_DIR}${d.file}`, {
          symbol: d.symbol,
          venue: d.venue,
          assetClass: d.assetClass,
          timeframe: d.timeframe,
        }),
      )
      bar.update(i + 1)
    }
    bar.stop()
    const summary = await store.summary()
    return reports.map((r) => {
      const s = summary.find((x) => x.instrumentId === r.instrumentId && x.timeframe === r.timeframe)
      return {
        symbol: r.symbol,
        instrumentId: r.instrumentId,
        timeframe: r.timeframe,
        rows: s?.rows ?? 0,
        first: s ? isoUtc(s.first) : '',
        last: s ? isoUtc(s.last) : '',
        quarantined: s?.quarantined ?? 0,
        quarantineReasons: r.errorsByReason,
        warnings: r.warningsByReason,
        added: r.rowsInserted,
        skipped: r.skipped,
        dataVersion: r.dataVersion,
      }
    })
  } finally {
    bar.stop()
    await store.close()
  }
}

/** Main job, part 1: import, validate, print the table; with `--json`, return the JSON part instead. */
export async function quickstartData(opts: QuickstartOptions): Promise<unknown> {
  const rows = await importBundled(opts.db)
  const added = rows.reduce((a, r) => a + r.added, 0)
  const skipped = rows.filter((r) => r.skipped).length
  const verdict =
    skipped === rows.length
      ? `all ${rows.length} bundled files were already imported into ${opts.db}: nothing added`
      : `imported ${added} new bars from ${rows.length - skipped} files into ${opts.db}` +
        (skipped ? `; ${skipped} already imported, nothing added from them` : '')
  if (opts.json) {
    return { db: opts.db, added, skipped, datasets: rows }
  }
  const w = stdout()
  w.write(`Bundled market data (data/bundled, see SOURCES.md), validated and stored\n\n`)
  w.write(
    table(
      rows.map((r) => ({
        symbol: r.symbol,
        timeframe: r.timeframe,
        rows: r.rows,
        'first → last': `${r.first} → ${r.last}`,
        quarantined: r.quarantined,
        'quarantined because': formatReasons(r.quarantineReasons),
      })),
    ),
  )
  w.write(`\nWarnings (rows kept):\n`)
  w.write(table(rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe, warnings: formatReasons(r.warnings) }))))
  w.write(`\n${verdict}\n`)
  return undefined
}
