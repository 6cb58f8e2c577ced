/**
 * `kestrel data resample <csv> --to 5m [--session rth|ext|24/7|fx|metals] [--out file]`: session-aligned
 * resampling of a bar CSV, written as CSV (with each bar's close time and minutes present / expected); with
 * `--out`, a summary on stdout.
 */
import { closeFile, openFile, writeBarsCsv } from '../../app/csv-text.ts'
import { resampleFile } from '../../app/data-resample.ts'
import { FILL_METHODS } from '../../data/index.ts'
import { choiceFlag } from '../flags.ts'
import { printJson, stderr, stdout, table } from '../util.ts'

interface ResampleFlags {
  to: string
  session: string
  out?: string
  timeframe?: string
  fillGaps?: string
  json?: boolean
}

export async function run(file: string, o: ResampleFlags): Promise<void> {
  const fill = o.fillGaps === undefined ? undefined : choiceFlag(o.fillGaps, '--fill-gaps', FILL_METHODS)
  const r = await resampleFile(file, { to: o.to, session: o.session, timeframe: o.timeframe, fillGaps: fill })
  const out = o.out ? openFile(o.out) : stdout()
  await writeBarsCsv(out, r.bars)
  if (o.out) await closeFile(out, o.out)
  const summary = { ...r.summary, out: o.out ?? '-' }
  if (o.json && o.out) printJson(summary)
  else if (o.out) stdout().write(table([summary]))
  for (const n of r.notes) stderr().write(`note: ${n}\n`)
  if (r.summary.filledBars !== undefined)
    stderr().write(`note: ${r.summary.filledBars} bar(s) with no input were filled by ${fill} (filled = 1)\n`)
}
