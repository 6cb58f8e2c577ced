/**
 * The feature store: computed frames cached as Parquet files under a folder, keyed by the plan's hash and
 * the data version of the bars (the data layer's `dataVersion`: the bars' hash and, for stored bars, the
 * ingestions they came from) — `<dir>/<specHash>/<dataVersion>.parquet` plus a `.json` manifest written last (a file
 * without its manifest is ignored). Written and read through DuckDB.
 */
import { mkdirSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { KestrelError, type BarSeries } from '../../core/index.ts'
import { dataVersion, seriesIngestionIds, type BarStore, type TimeRange } from '../../data/index.ts'
import { computeFeatures, type ComputeOptions, type FeatureFrame } from './compute.ts'
import type { Plan } from './graph.ts'

interface Manifest {
  readonly specHash: string
  readonly dataVersion: string
  readonly instrumentId: string
  readonly timeframe: string
  readonly columns: readonly string[]
  readonly rows: number
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`

/** A folder of cached feature frames. Call {@link FeatureCache.close} when done. */
export class FeatureCache {
  private db: Promise<{ inst: DuckDBInstance; con: DuckDBConnection }> | undefined

  constructor(readonly dir: string) {}

  private conn(): Promise<DuckDBConnection> {
    // loaded on first use, so importing the features layer does not load the native DuckDB binding
    this.db ??= import('@duckdb/node-api')
      .then(({ DuckDBInstance }) => DuckDBInstance.create(':memory:'))
      .then(async (inst) => ({ inst, con: await inst.connect() }))
    return this.db.then((d) => d.con)
  }

  /** Path of the Parquet file for a key. */
  path(specHash: string, version: string): string {
    return join(this.dir, specHash.slice(0, 24), `${version}.parquet`)
  }

  /** The cached frame, or undefined. */
  async get(plan: Plan, version: string): Promise<FeatureFrame | undefined> {
    const file = this.path(plan.hash, version)
    const manifestFile = `${file.slice(0, -'.parquet'.length)}.json`
    if (!existsSync(manifestFile) || !existsSync(file)) return undefined
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest
    if (m.specHash !== plan.hash || m.dataVersion !== version) return undefined
    const con = await this.conn()
    const reader = await con.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`)
    const cols = reader.getColumns()
    const names = reader.columnNames()
    if (names[0] !== 'time' || names.length !== m.columns.length + 1 || reader.currentRowCount !== m.rows)
      throw new KestrelError('DATA_BAD_FILE', `${file}: does not match its manifest; delete it to recompute`, { file })
    const asF64 = (c: readonly unknown[]) => Float64Array.from(c, (v) => (v === null ? NaN : (v as number)))
    return {
      instrumentId: m.instrumentId,
      timeframe: m.timeframe,
      time: asF64(cols[0]!),
      columns: m.columns,
      values: cols.slice(1).map(asF64),
    }
  }

  /** Writes a frame under its key; returns the file path. */
  async put(plan: Plan, version: string, frame: FeatureFrame): Promise<string> {
    const file = this.path(plan.hash, version)
    mkdirSync(join(this.dir, plan.hash.slice(0, 24)), { recursive: true })
    const con = await this.conn()
    const table = `f_${plan.hash.slice(0, 12)}_${version.slice(0, 12)}`
    const defs = ['"time" DOUBLE', ...frame.columns.map((c) => `${ident(c)} DOUBLE`)]
    await con.run(`CREATE OR REPLACE TABLE ${table} (${defs.join(', ')})`)
    const app = await con.createAppender(table)
    const n = frame.time.length
    for (let i = 0; i < n; i++) {
      app.appendDouble(frame.time[i]!)
      for (const v of frame.values) app.appendDouble(v[i]!)
      app.endRow()
    }
    app.closeSync()
    const tmp = `${file}.tmp`
    await con.run(`COPY ${table} TO ${sqlString(tmp)} (FORMAT parquet)`)
    await con.run(`DROP TABLE ${table}`)
    renameSync(tmp, file)
    const manifest: Manifest = {
      specHash: plan.hash,
      dataVersion: version,
      instrumentId: frame.instrumentId,
      timeframe: frame.timeframe,
      columns: frame.columns,
      rows: n,
    }
    writeFileSync(`${file.slice(0, -'.parquet'.length)}.json`, `${JSON.stringify(manifest, null, 2)}\n`)
    return file
  }

  /** Closes the DuckDB connection. */
  async close(): Promise<void> {
    if (!this.db) return
    const { inst, con } = await this.db
    con.closeSync()
    inst.closeSync()
    this.db = undefined
  }
}

/** Options of {@link buildFeatures}: the cache, and the store ingestions the bars came from (none for a file). */
export interface BuildOptions extends ComputeOptions {
  readonly cache?: FeatureCache
  /** Ingestion ids of stored bars (`seriesIngestionIds`); they are part of the data version. */
  readonly ingestions?: readonly string[]
}

/** Computes the plan over `series`, reading and filling the cache (keyed by the data version) when one is given. */
export async function buildFeatures(
  plan: Plan,
  series: BarSeries,
  opts: BuildOptions = {},
): Promise<{ frame: FeatureFrame; dataVersion: string; cached: boolean; file?: string }> {
  const version = dataVersion([series], opts.ingestions).dataVersion
  if (opts.cache) {
    const hit = await opts.cache.get(plan, version)
    if (hit) return { frame: hit, dataVersion: version, cached: true, file: opts.cache.path(plan.hash, version) }
  }
  const frame = computeFeatures(plan, series, opts)
  const file = opts.cache ? await opts.cache.put(plan, version, frame) : undefined
  return { frame, dataVersion: version, cached: false, file }
}

/** Reads a stored symbol and builds its features through the cache (see {@link buildFeatures}). */
export async function buildFeaturesFromStore(
  plan: Plan,
  store: Pick<BarStore, 'readBars' | 'ingestions'>,
  instrumentId: string,
  timeframe: string,
  range?: TimeRange,
  opts: Omit<BuildOptions, 'ingestions'> = {},
): Promise<{ frame: FeatureFrame; dataVersion: string; cached: boolean; file?: string; bars: number }> {
  const series = await store.readBars(instrumentId, timeframe, range)
  if (series.close.length === 0)
    throw new KestrelError('DATA_NOT_FOUND', `no ${timeframe} bars stored for ${instrumentId}`, {
      instrumentId,
      timeframe,
    })
  const ingestions = await seriesIngestionIds(store, instrumentId, timeframe)
  return { ...(await buildFeatures(plan, series, { ...opts, ingestions })), bars: series.close.length }
}
