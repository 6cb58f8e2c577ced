/**
 * `kestrel features build <spec.yaml> [--data <csv> | --db …] [--out <file>]`: the features of a spec as CSV
 * (the bar's `timestamp`, then one column per feature; empty cells where a feature is not yet defined), and a
 * summary on stderr (or with `--json`, on stdout).
 */
import { closeFile, openFile } from '../../app/csv-text.ts'
import { buildFeatureFrame, writeFrameCsv } from '../../app/features.ts'
import { KestrelError, parseTimeBounds } from '../../core/index.ts'
import { printJson, progress, stderr, stdout, table } from '../util.ts'

interface BuildFlags {
  data?: string
  db?: string
  instrument?: string
  from?: string
  to?: string
  timeframe?: string
  out?: string
  cache?: string
  extra?: string[]
  json?: boolean
}

export async function run(specPath: string, o: BuildFlags): Promise<void> {
  const fromStore = o.db !== undefined || o.instrument !== undefined
  if (fromStore && (!o.db || !o.instrument || !o.timeframe))
    throw new KestrelError('USAGE', '--db needs --instrument and --timeframe (and the other way round)', {})
  if (o.json && !o.out) throw new KestrelError('USAGE', '--json needs --out (the CSV would share stdout)', {})
  const bar = progress('features')
  let started = false
  let built
  try {
    built = await buildFeatureFrame(specPath, {
      data: o.data,
      ...(fromStore ? { store: { db: o.db!, instrument: o.instrument!, timeframe: o.timeframe! } } : {}),
      ...parseTimeBounds(o.from, o.to),
      timeframe: o.timeframe,
      cache: o.cache,
      extra: o.extra,
      onWarning: (m) => stderr().write(`warning: ${m}\n`),
      onProgress: (done, total) => {
        if (!started) bar.start(total)
        started = true
        bar.update(done)
      },
    })
  } finally {
    bar.stop()
  }
  if (o.out) {
    const out = openFile(o.out)
    await writeFrameCsv(out, built.frame)
    await closeFile(out, o.out)
  } else await writeFrameCsv(stdout(), built.frame)
  const summary = { ...built.summary, out: o.out ?? '(stdout)' }
  if (o.json) printJson(summary)
  else {
    const { labels: _labels, ...shown } = summary
    stderr().write(table([shown]))
  }
}
