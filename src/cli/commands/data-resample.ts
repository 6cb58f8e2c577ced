/**
 * `kestrel data resample <csv> --to 5m [--session rth|ext|24/7|fx|metals] [--out file]`: session-aligned
 * resampling of a bar CSV, written as CSV (with each bar's close time and minutes present / expected); with
 * `--out`, a summary on stdout.
 */
import { closeFile, openFile, writeBarsCsv } from '../../app/csv-text.ts'
import { resampleFile } from '../../app/data-resample.ts'
import { printJson, stderr, stdout, table } from '../util.ts'

interface ResampleFlags {
  to: string
  session: string
  out?: string
  timeframe?: string
  json?: boolean
}

export async function run(file: string, o: ResampleFlags): Promise<void> {
  const r = await resampleFile(file, { to: o.to, session: o.session, timeframe: o.timeframe })
  const out = o.out ? openFile(o.out) : stdout()
  await writeBarsCsv(out, r.bars)
  if (o.out) await closeFile(out, o.out)
  const summary = { ...r.summary, out: o.out ?? '-' }
  if (o.json && o.out) printJson(summary)
  else if (o.out) stdout().write(table([summary]))
  for (const n of r.notes) stderr().write(`note: ${n}\n`)
}
