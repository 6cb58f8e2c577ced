/** `kestrel data import <files...>`: imports bar files into the store and prints one row per file. */
import { importFiles } from '../../app/data.ts'
import { storeSelection, toImportOptions, type FileFlags, type StoreFlags } from '../flags.ts'
import { formatReasons, printJson, progress, stdout, table, type Progress } from '../util.ts'

export async function run(files: string[], o: FileFlags & StoreFlags): Promise<void> {
  const opts = toImportOptions(o)
  let bar: Progress | undefined
  let file = ''
  let phase = ''
  const reports = await importFiles(files, opts, storeSelection(o), (f, p) => {
    if (f !== file) {
      bar?.stop()
      bar = progress(f)
      file = f
      phase = ''
    }
    if (p.phase !== phase) {
      if (phase) bar!.stop()
      phase = p.phase
      if (p.phase !== 'done') bar!.start(p.total, p.phase)
    }
    bar!.update(p.done)
  }).finally(() => bar?.stop())
  if (o.json) return printJson(reports.map(({ findings: _f, ...r }) => r))
  stdout().write(
    table(
      reports.map((r) => ({
        file: r.source,
        instrument: r.instrumentId,
        tf: r.timeframe,
        read: r.rowsRead,
        accepted: r.rowsAccepted,
        new: r.rowsInserted,
        quarantined: r.rowsQuarantined,
        status: r.skipped ? 'already imported (same file hash): nothing added' : `imported, ingestion ${r.ingestion}`,
        errors: formatReasons(r.errorsByReason),
      })),
    ),
  )
}
