/**
 * `kestrel features build <spec.yaml> [--data <csv>] [--out <file>]`: computes a feature spec over a bar CSV
 * and writes CSV (the bar's `timestamp`, then one column per feature; empty cells where a feature is not yet
 * defined). With `--cache <dir>` results are kept as Parquet keyed by the spec hash and the data version.
 * `kestrel features list`: the feature kinds a spec can use.
 */
import { createWriteStream } from 'node:fs'
import { basename } from 'node:path'
import type { Writable } from 'node:stream'
import type { Command } from 'commander'
import { KestrelError, isoUtc, parseIso } from '../../core/index.ts'
import { DuckDbStore, readCsvFile } from '../../data/index.ts'
import { FeatureCache, buildFeatures, buildPlan, featureKinds, loadFeatureSpec } from '../../features/index.ts'
import type { FeatureFrame } from '../../features/index.ts'
import { printJson, progress, stderr, stdout, table, withExample } from '../util.ts'

interface BuildOptions {
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

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve))
}

/** Writes a frame as CSV: timestamp (ISO UTC bar open), then the columns; NaN as an empty cell. */
export async function writeFrameCsv(out: Writable, f: FeatureFrame): Promise<void> {
  await write(out, `timestamp,${f.columns.join(',')}\n`)
  let buf = ''
  for (let i = 0; i < f.time.length; i++) {
    buf += isoUtc(f.time[i]!)
    for (const v of f.values) {
      const x = v[i]!
      buf += Number.isNaN(x) ? ',' : `,${x}`
    }
    buf += '\n'
    if (buf.length > 1 << 16) {
      await write(out, buf)
      buf = ''
    }
  }
  await write(out, buf)
}

/** Reads `name=file.csv` extras and aligns their closes to the bars by open time (NaN where missing). */
async function readExtras(items: readonly string[], time: Float64Array): Promise<Record<string, Float64Array>> {
  const out: Record<string, Float64Array> = {}
  for (const item of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(item)
    if (!m) throw new KestrelError('USAGE', `--extra ${JSON.stringify(item)}: expected name=file.csv`, { item })
    const s = (await readCsvFile(m[2]!)).series
    const at = new Map<number, number>()
    s.openTime.forEach((t, i) => at.set(t, s.close[i]!))
    out[m[1]!] = Float64Array.from(time, (t) => at.get(t) ?? NaN)
  }
  return out
}

async function runBuild(specPath: string, o: BuildOptions): Promise<void> {
  const spec = loadFeatureSpec(specPath)
  const plan = buildPlan(spec)
  const fromStore = o.db !== undefined || o.instrument !== undefined
  if (fromStore && (!o.db || !o.instrument || !o.timeframe))
    throw new KestrelError('USAGE', '--db needs --instrument and --timeframe (and the other way round)', {})
  const dataPath = fromStore ? undefined : (o.data ?? spec.data?.csv)
  if (!fromStore && !dataPath)
    throw new KestrelError('USAGE', `${specPath}: no data: pass --data <csv>, --db, or set data.csv in the spec`, {})
  if (o.json && !o.out) throw new KestrelError('USAGE', '--json needs --out (the CSV would share stdout)', {})
  const bar = progress('features')
  const cache = o.cache ? new FeatureCache(o.cache) : undefined
  const t0 = performance.now()
  let result
  let bars: number
  let source: string
  try {
    if (fromStore) {
      const store = new DuckDbStore(o.db!)
      try {
        await store.init()
        const range = { from: o.from ? parseIso(o.from) : undefined, to: o.to ? parseIso(o.to) : undefined }
        const series = await store.readBars(o.instrument!, o.timeframe!, range)
        if (series.close.length === 0)
          throw new KestrelError('DATA_NOT_FOUND', `${o.db}: no ${o.timeframe} bars stored for ${o.instrument}`, {})
        const extra = await readExtras(o.extra ?? [], series.openTime)
        bar.start(plan.nodes.length)
        result = await buildFeatures(plan, series, { cache, extra, onProgress: (d) => bar.update(d) })
        bars = series.close.length
        source = `${o.db} ${o.instrument} ${o.timeframe}`
      } finally {
        await store.close()
      }
    } else {
      const parsed = await readCsvFile(dataPath!, { timeframe: o.timeframe ?? spec.data?.timeframe })
      const series = { ...parsed.series, instrumentId: parsed.series.instrumentId || basename(dataPath!, '.csv') }
      if (parsed.problems.length > 0)
        stderr().write(
          `warning: ${dataPath}: ${parsed.problems.length} row(s) not read (first: line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message})\n`,
        )
      const extra = await readExtras(o.extra ?? [], series.openTime)
      bar.start(plan.nodes.length)
      result = await buildFeatures(plan, series, { cache, extra, onProgress: (d) => bar.update(d) })
      bars = series.close.length
      source = dataPath!
    }
  } finally {
    bar.stop()
    await cache?.close()
  }
  const ms = performance.now() - t0
  const out = o.out ? createWriteStream(o.out) : stdout()
  await writeFrameCsv(out, result.frame)
  if (out !== stdout())
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject)
      out.end(resolve)
    })
  const summary = {
    spec: spec.name,
    data: source,
    bars,
    columns: result.frame.columns.length,
    labels: plan.columns.filter((c) => c.label).map((c) => c.name),
    specHash: plan.hash,
    dataVersion: result.dataVersion,
    cached: result.cached,
    cacheFile: result.file,
    ms: Math.round(ms),
    out: o.out ?? '(stdout)',
  }
  if (o.json) printJson(summary)
  else {
    const { labels: _labels, ...shown } = summary
    stderr().write(table([shown]))
  }
}

/** Registers `kestrel features`. */
export function registerFeatures(program: Command): void {
  const features = withExample(
    program.command('features').description('feature pipeline: build features from a YAML spec'),
    'kestrel features build examples/features.yaml --out features.csv',
    'kestrel features list',
  )
  withExample(
    features
      .command('build <spec>')
      .description('compute the features of a spec over bars and write CSV (timestamp, then one column per feature)')
      .option('--data <csv>', 'bar CSV (timestamp,open,high,low,close,volume); default: data.csv in the spec')
      .option('--db <file>', 'read bars from this DuckDB store instead of a CSV (with --instrument and --timeframe)')
      .option('--instrument <id>', 'stored instrument id, with --db')
      .option('--from <iso>', 'with --db: first bar open time (inclusive), e.g. 2024-01-02')
      .option('--to <iso>', 'with --db: last bar open time (exclusive)')
      .option('--timeframe <tf>', 'bar length: with --db, or when the CSV does not make it clear, e.g. 1m')
      .option('--out <file>', 'write the CSV here instead of stdout')
      .option('--cache <dir>', 'feature store folder: reuse results for the same spec and data (Parquet)')
      .option('--extra <name=csv...>', "extra series named in the spec's extra (closes, aligned by time)")
      .option('--json', 'print a JSON summary on stdout (needs --out)')
      .action((spec: string, o: BuildOptions) => runBuild(spec, o)),
    'kestrel features build examples/features.yaml --data data/bundled/SPY_1m.csv --out spy-features.csv',
    'kestrel features build examples/features.yaml --cache .kestrel/features --out out.csv --json',
    'kestrel features build examples/features.yaml --db data/kestrel.duckdb --instrument SPY --timeframe 1m --out spy.csv',
  )
  withExample(
    features
      .command('list')
      .description('list the feature kinds a spec can use (TA-Lib indicators work too: rsi(close, 14))')
      .option('--json', 'print JSON')
      .action((o: { json?: boolean }) => {
        const rows = [...featureKinds().values()].map((k) => ({
          name: k.name,
          args: [
            ...k.series.map((s) => s.name + (s.default ? `=${s.default}` : '')),
            ...k.params.map((p) => p.name + (p.default !== undefined ? `=${p.default}` : '')),
          ].join(', '),
          label: k.label ? 'yes' : '',
          description: k.description,
        }))
        if (o.json) printJson(rows)
        else stdout().write(table(rows))
      }),
    'kestrel features list',
  )
}
