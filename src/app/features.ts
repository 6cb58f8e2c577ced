/**
 * Build a feature spec over bars (a bar file read as `backtest --data` reads it: CSV, gzip CSV, Parquet, freqtrade
 * JSON; or a store's series) into a frame: the bar's open time,
 * then one column per feature, NaN where a feature is not yet defined. With a cache folder, results are kept
 * as Parquet keyed by the spec hash and the data version. Also: the feature kinds a spec can use.
 */
import type { Writable } from 'node:stream'
import { KestrelError, isoUtc, type BarSeries } from '../core/index.ts'
import { seriesIngestionIds, writeColumnsParquet } from '../data/index.ts'
import { loadCsvBars } from '../engine/index.ts'
import { FeatureCache, buildFeatures, buildPlan, featureKinds, loadFeatureSpec } from '../features/index.ts'
import type { FeatureFrame } from '../features/index.ts'
import { BlockWriter, csvField, writeText } from './csv-text.ts'
import { openTiered, resolveInstrument, type StoreSelection } from './store.ts'

/** Where the bars come from and where results are cached. */
export interface FeatureBuildOptions {
  /** Bar file, any format `backtest --data` reads (default: `data.csv` of the spec), unless `store` is given. */
  readonly data?: string
  /** With `data`: the file's instrument (default: from the file name). */
  readonly symbol?: string
  /** A stored series (hot store and lake alike) instead of a CSV: instrument id or a symbol stored once. */
  readonly store?: StoreSelection & { readonly instrument: string; readonly timeframe: string }
  /** With `store`: first bar open time (inclusive) and end (exclusive), epoch ms. */
  readonly from?: number
  readonly to?: number
  /** Bar length of a CSV that does not make it clear (default: `data.timeframe` of the spec). */
  readonly timeframe?: string
  /** Feature store folder. */
  readonly cache?: string
  /** Extra series named in the spec, `name=file` (closes, aligned by open time; any bar file format). */
  readonly extra?: readonly string[]
  /** Features done out of `total`. */
  readonly onProgress?: (done: number, total: number) => void
  /** Something the caller should know (rows of the file that were quarantined). */
  readonly onWarning?: (message: string) => void
}

/** A built frame and what it was built from. */
export interface FeatureBuild {
  readonly frame: FeatureFrame
  /** Per column of the frame: true when it holds times (epoch ms), e.g. a label's `t1`. */
  readonly timeColumns: readonly boolean[]
  readonly summary: {
    spec: string
    data: string
    bars: number
    columns: number
    labels: string[]
    specHash: string
    dataVersion: string
    cached: boolean
    cacheFile: string | undefined
    ms: number
  }
}

/** Reads `name=file` extras and aligns their closes to the bars by open time (NaN where missing). */
async function readExtras(items: readonly string[], time: Float64Array): Promise<Record<string, Float64Array>> {
  const out: Record<string, Float64Array> = {}
  for (const item of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(item)
    if (!m) throw new KestrelError('USAGE', `--extra ${JSON.stringify(item)}: expected name=file.csv`, { item })
    const s = (await loadCsvBars(m[2]!)).series
    const at = new Map<number, number>()
    s.openTime.forEach((t, i) => at.set(t, s.close[i]!))
    out[m[1]!] = Float64Array.from(time, (t) => at.get(t) ?? NaN)
  }
  return out
}

async function storedSeries(o: FeatureBuildOptions & { store: NonNullable<FeatureBuildOptions['store']> }) {
  const { instrument, timeframe } = o.store
  const store = await openTiered(o.store)
  try {
    const id = await resolveInstrument(store, instrument)
    const series = await store.readBars(id, timeframe, { from: o.from, to: o.to })
    if (series.close.length === 0)
      throw new KestrelError('DATA_NOT_FOUND', `no ${timeframe} bars stored for ${id}; see kestrel data ls`, {})
    return { series, source: `${id} ${timeframe}`, ingestions: await seriesIngestionIds(store, id, timeframe) }
  } finally {
    await store.close()
  }
}

/** Computes the features of the spec at `specPath`. */
export async function buildFeatureFrame(specPath: string, o: FeatureBuildOptions = {}): Promise<FeatureBuild> {
  const spec = loadFeatureSpec(specPath)
  const plan = buildPlan(spec)
  const dataPath = o.store ? undefined : (o.data ?? spec.data?.csv)
  if (!o.store && !dataPath)
    throw new KestrelError(
      'USAGE',
      `${specPath}: no data: pass --data <file>, a stored series with --db, or set data.csv in the spec`,
      {},
    )
  const cache = o.cache ? new FeatureCache(o.cache) : undefined
  const t0 = performance.now()
  try {
    let series: BarSeries
    let source: string
    let ingestions: readonly string[] = []
    if (o.store) ({ series, source, ingestions } = await storedSeries({ ...o, store: o.store }))
    else {
      const loaded = await loadCsvBars(dataPath!, {
        timeframe: o.timeframe ?? spec.data?.timeframe,
        ...(o.symbol !== undefined ? { symbol: o.symbol } : {}),
      })
      series = loaded.series
      source = dataPath!
      const q = loaded.quarantine[0]
      if (q)
        o.onWarning?.(
          `${dataPath}: ${loaded.quarantine.length} row(s) quarantined (first: line ${q.line}: ${q.message})`,
        )
    }
    const extra = await readExtras(o.extra ?? [], series.openTime)
    const total = plan.nodes.length
    o.onProgress?.(0, total)
    const result = await buildFeatures(plan, series, {
      cache,
      extra,
      ingestions,
      onProgress: (d) => o.onProgress?.(d, total),
    })
    const kinds = new Map(plan.nodes.map((n) => [n.id, n]))
    const timeColumns = plan.columns.map((c) => {
      const node = kinds.get(c.node)!
      return node.kind.timeOutputs?.includes(node.outputs[c.output]!) ?? false
    })
    return {
      frame: result.frame,
      timeColumns,
      summary: {
        spec: spec.name,
        data: source,
        bars: series.close.length,
        columns: result.frame.columns.length,
        labels: plan.columns.filter((c) => c.label).map((c) => c.name),
        specHash: plan.hash,
        dataVersion: result.dataVersion,
        cached: result.cached,
        cacheFile: result.file,
        ms: Math.round(performance.now() - t0),
      },
    }
  } finally {
    await cache?.close()
  }
}

/**
 * Writes a frame as CSV: timestamp (ISO UTC bar open), then the columns; NaN as an empty cell. Time columns
 * (`timeColumns[k]`, e.g. a label's `t1`) are ISO UTC like the timestamp, so one file has one time format.
 */
export async function writeFrameCsv(
  out: Writable,
  f: FeatureFrame,
  timeColumns: readonly boolean[] = [],
): Promise<void> {
  await writeText(out, `timestamp,${f.columns.map(csvField).join(',')}\n`)
  const w = new BlockWriter(out)
  for (let i = 0; i < f.time.length; i++) {
    let line = isoUtc(f.time[i]!)
    for (let k = 0; k < f.values.length; k++) {
      const x = f.values[k]![i]!
      line += Number.isNaN(x) ? ',' : timeColumns[k] ? `,${isoUtc(x)}` : `,${x}`
    }
    const p = w.add(line + '\n')
    if (p) await p
  }
  await w.flush()
}

/**
 * Writes a frame as Parquet: `timestamp` (TIMESTAMP, bar open, UTC), then one column per feature, DOUBLE or
 * TIMESTAMP for time columns; a value not yet defined is NULL, never NaN.
 */
export async function writeFrameParquet(
  path: string,
  f: FeatureFrame,
  timeColumns: readonly boolean[] = [],
): Promise<void> {
  await writeColumnsParquet(
    [
      { name: 'timestamp', values: f.time, time: true },
      ...f.columns.map((name, k) => ({ name, values: f.values[k]!, time: timeColumns[k] ?? false })),
    ],
    path,
  )
}

/** The feature kinds a spec can use, with their arguments and defaults. */
export function listFeatureKinds(): { name: string; args: string; label: string; description: string }[] {
  return [...featureKinds().values()].map((k) => ({
    name: k.name,
    args: [
      ...k.series.map((s) => s.name + (s.default ? `=${s.default}` : '')),
      ...k.params.map((p) => p.name + (p.default !== undefined ? `=${p.default}` : '')),
    ].join(', '),
    label: k.label ? 'yes' : '',
    description: k.description,
  }))
}
