/**
 * `kestrel features build <spec.yaml> [--data <file> | SYMBOL --db …] [--out <file>]`: the features of a spec as CSV
 * (the bar's `timestamp`, then one column per feature; empty cells where a feature is not yet defined), and a
 * summary on stderr (or with `--json`, on stdout).
 */
import { closeFile, openFile } from '../../app/csv-text.ts'
import { outputFormat } from '../../app/data.ts'
import { buildFeatureFrame, writeFrameCsv, writeFrameParquet } from '../../app/features.ts'
import { KestrelError, parseTimeBounds } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { seriesNames, type SeriesFlags } from '../series-flags.ts'
import { printJson, progress, stderr, stdout, table } from '../util.ts'

interface BuildFlags extends StoreFlags, SeriesFlags {
  data?: string
  format?: string
  from?: string
  to?: string
  timeframe?: string
  out?: string
  cache?: string
  extra?: string[]
  json?: boolean
}

export async function run(specPath: string, positional: string[], o: BuildFlags): Promise<void> {
  const names = seriesNames(positional, o)
  const storeFlag = o.db !== undefined || o.config !== undefined || o.lake !== undefined
  if (storeFlag && o.data) throw new KestrelError('USAGE', 'give --data or a store (--db, --config), not both', {})
  // With --data a name is the file's instrument; without, it selects a stored series.
  const fromStore = storeFlag || (names.length > 0 && o.data === undefined)
  if (names.length > 1)
    throw new KestrelError('USAGE', `features build: one series per run, got ${names.join(', ')}`, { names })
  if (fromStore && (names.length === 0 || !o.timeframe))
    throw new KestrelError('USAGE', 'a store needs the series (SPY, --symbol or --instrument) and --timeframe', {})
  if (o.json && !o.out) throw new KestrelError('USAGE', '--json needs --out (the CSV would share stdout)', {})
  const format = outputFormat(o.out ?? '', o.format)
  if (format === 'parquet' && !o.out) throw new KestrelError('USAGE', '--format parquet needs --out', {})
  const bar = progress('features')
  let started = false
  let built
  try {
    built = await buildFeatureFrame(specPath, {
      data: o.data,
      ...(fromStore ? { store: { ...storeSelection(o), instrument: names[0]!, timeframe: o.timeframe! } } : {}),
      ...(!fromStore && names.length > 0 ? { symbol: names[0] } : {}),
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
  if (o.out && format === 'parquet') await writeFrameParquet(o.out, built.frame, built.timeColumns)
  else if (o.out) {
    const out = openFile(o.out)
    await writeFrameCsv(out, built.frame, built.timeColumns)
    await closeFile(out, o.out)
  } else await writeFrameCsv(stdout(), built.frame, built.timeColumns)
  const summary = { ...built.summary, out: o.out ?? '(stdout)', format }
  if (o.json) printJson(summary)
  else {
    const { labels: _labels, ...shown } = summary
    stderr().write(table([shown]))
  }
}
