/**
 * `kestrel data resample <csv> --to 5m [--session rth|ext|24/7|fx|metals] [--out file]`: session-aligned
 * resampling of a bar CSV, written as CSV (with each bar's close time and minutes present / expected); with
 * `--out`, a summary on stdout.
 */
import { closeFile, openFile } from '../../app/csv-text.ts'
import { resampleFile } from '../../app/data-resample.ts'
import { printJson, progress, stderr, stdout, table } from '../util.ts'

interface ResampleFlags {
  to: string
  session: string
  out?: string
  timeframe?: string
  json?: boolean
}

export async function run(file: string, o: ResampleFlags): Promise<void> {
  const bar = progress('read')
  let started = false
  const onReadProgress = (done: number, total: number) => {
    if (!started) bar.start(total)
    started = true
    bar.update(done)
  }
  const out = o.out ? openFile(o.out) : stdout()
  let r
  try {
    r = await resampleFile(file, { to: o.to, session: o.session, timeframe: o.timeframe, onReadProgress }, out)
  } finally {
    bar.stop()
    if (o.out) await closeFile(out, o.out)
  }
  const summary = { ...r.summary, out: o.out ?? '-' }
  if (o.json && o.out) printJson(summary)
  else if (o.out) stdout().write(table([summary]))
  for (const n of r.notes) stderr().write(`note: ${n}\n`)
}
