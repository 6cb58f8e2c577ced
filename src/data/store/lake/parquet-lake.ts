/**
 * The Parquet lake (cold tier): bars in one Parquet file per partition,
 * `<root>/symbol=<instrument id>/timeframe=<tf>/month=YYYY-MM/data.parquet` (hive layout, so DuckDB, Spark or
 * pandas read it as a table). Each write merges into its month's file (existing bars win: idempotent) and
 * replaces the file atomically (temp file + rename). Times are Parquet TIMESTAMP (ms, UTC).
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { KestrelError, allocBarSeries, seriesLength } from '../../../core/index.ts'
import type { BarSeries, EpochMs } from '../../../core/index.ts'
import { forEachChunk, readChunks } from '../duckdb/chunks.ts'
import { duckdb } from '../duckdb/driver.ts'
import { assertWritableSeries } from '../memory.ts'
import type { TimeRange } from '../types.ts'

/** Rows, first and last open time of one series in the lake. */
export interface LakeSeries {
  readonly instrumentId: string
  readonly timeframe: string
  readonly rows: number
  readonly first: EpochMs
  readonly last: EpochMs
  readonly months: readonly string[]
}

const COLS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const
const SELECT_MS = 'epoch_ms(open_time)::DOUBLE, epoch_ms(close_time)::DOUBLE, open, high, low, close, volume'

/** `YYYY-MM` (UTC) of a time. */
export function monthOf(t: EpochMs): string {
  return new Date(t).toISOString().slice(0, 7)
}

/** [start, end) of a `YYYY-MM` month in ms (UTC). */
export function monthRange(month: string): [EpochMs, EpochMs] {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)]
}

function enc(s: string): string {
  return encodeURIComponent(s)
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`
}

/** Bars in Parquet files partitioned by instrument, timeframe and month. */
export class ParquetLake {
  readonly kind = 'lake' as const
  private db: DuckDBInstance | undefined
  private conn: DuckDBConnection | undefined
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly root: string) {}

  /** Creates the root folder and opens an in-memory DuckDB for the Parquet I/O. Safe to call twice. */
  async init(): Promise<void> {
    if (this.conn) return
    try {
      await mkdir(this.root, { recursive: true })
    } catch (e) {
      throw new KestrelError(
        'SERVICE_UNAVAILABLE',
        `lake ${this.root}: cannot create the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        {
          root: this.root,
        },
      )
    }
    await this.removeStrandedTemps()
    this.db = await duckdb().DuckDBInstance.create(':memory:')
    this.conn = await this.db.connect()
    await this.conn.run(
      'CREATE TEMP TABLE stage (open_time DOUBLE, close_time DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, seq DOUBLE)',
    )
  }

  /**
   * Removes `data.parquet.tmp-<pid>` files a killed writer left. A write goes to such a file and is renamed over
   * `data.parquet` only when complete, so a leftover one never holds anything the lake lost: its month file is as
   * before the write, and the writer's caller (an archive) had not yet deleted the hot copy. Files of a process
   * still running are left alone.
   */
  private async removeStrandedTemps(): Promise<void> {
    const walk = async (dir: string, depth: number): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name)
        if (e.isDirectory() && depth < 3) await walk(p, depth + 1)
        const m = /^data\.parquet\.tmp-(\d+)$/.exec(e.name)
        if (e.isFile() && m && !processAlive(Number(m[1])) && !inFlight.has(p)) await rm(p, { force: true })
      }
      // A month folder the killed writer had just made holds nothing now.
      if (depth === 3 && (await readdir(dir)).length === 0) await rm(dir, { recursive: true, force: true })
    }
    await walk(this.root, 0)
  }

  /** The folder of one partition. */
  partitionDir(instrumentId: string, timeframe: string, month: string): string {
    return join(this.seriesDir(instrumentId, timeframe), `month=${month}`)
  }

  private seriesDir(instrumentId: string, timeframe: string): string {
    return join(this.root, `symbol=${enc(instrumentId)}`, `timeframe=${enc(timeframe)}`)
  }

  /** Months stored for a series, sorted. */
  async months(instrumentId: string, timeframe: string): Promise<string[]> {
    const dir = this.seriesDir(instrumentId, timeframe)
    if (!existsSync(dir)) return []
    const names = await readdir(dir)
    return names
      .filter((n) => /^month=\d{4}-\d\d$/.test(n) && existsSync(join(dir, n, 'data.parquet')))
      .map((n) => n.slice(6))
      .sort()
  }

  /** Every (instrument, timeframe) with at least one partition. */
  async seriesKeys(): Promise<{ instrumentId: string; timeframe: string }[]> {
    if (!existsSync(this.root)) return []
    const out: { instrumentId: string; timeframe: string }[] = []
    for (const s of (await readdir(this.root)).filter((n) => n.startsWith('symbol=')).sort()) {
      for (const t of (await readdir(join(this.root, s))).filter((n) => n.startsWith('timeframe=')).sort()) {
        const key = { instrumentId: decodeURIComponent(s.slice(7)), timeframe: decodeURIComponent(t.slice(10)) }
        if ((await this.months(key.instrumentId, key.timeframe)).length) out.push(key)
      }
    }
    return out
  }

  /** Merges bars into their month files; bars whose open time is already in the lake are kept as they are. Returns new rows. */
  writeBars(series: BarSeries): Promise<number> {
    return this.serial(async () => {
      assertWritableSeries(series, 'lake writeBars')
      const n = seriesLength(series)
      if (n === 0) return 0
      const c = this.db_()
      await c.run('DELETE FROM stage')
      const appender = await c.createAppender('stage', 'main', 'temp')
      const seq = Float64Array.from({ length: n }, (_, i) => i)
      try {
        forEachChunk(
          Array.from({ length: 8 }, () => duckdb().DuckDBDoubleType.instance),
          [...COLS.map((k) => series[k]), seq],
          (chunk) => appender.appendDataChunk(chunk),
        )
        appender.flushSync()
      } finally {
        appender.closeSync()
      }
      const months = new Set<string>()
      for (let i = 0; i < n; i++) months.add(monthOf(series.openTime[i]!))
      let added = 0
      for (const month of [...months].sort()) {
        const [lo, hi] = monthRange(month)
        const dir = this.partitionDir(series.instrumentId, series.timeframe, month)
        const file = join(dir, 'data.parquet')
        const had = existsSync(file)
        const before = had ? await this.countFile(file) : 0
        const incoming = `SELECT epoch_ms(open_time::BIGINT) AS open_time, epoch_ms(close_time::BIGINT) AS close_time, open, high, low, close, volume
          FROM stage WHERE open_time >= ${lo} AND open_time < ${hi}
          QUALIFY row_number() OVER (PARTITION BY open_time ORDER BY seq) = 1`
        const merged = had
          ? `SELECT * FROM read_parquet(${lit(file)}, hive_partitioning = false)
             UNION ALL SELECT i.* FROM (${incoming}) i ANTI JOIN read_parquet(${lit(file)}, hive_partitioning = false) p ON p.open_time = i.open_time`
          : incoming
        await mkdir(dir, { recursive: true })
        const tmp = `${file}.tmp-${process.pid}`
        inFlight.add(tmp)
        try {
          await c.run(
            `COPY (SELECT * FROM (${merged}) ORDER BY open_time) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
          )
          const after = await this.countFile(tmp)
          if (after === before) {
            await rm(tmp, { force: true })
            continue
          }
          await rename(tmp, file)
          added += after - before
        } finally {
          inFlight.delete(tmp)
        }
      }
      return added
    })
  }

  /** Bars in [from, to), sorted by open time. */
  async readBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<BarSeries> {
    const parts: BarSeries[] = []
    for await (const s of this.streamBars(instrumentId, timeframe, range, 1 << 20)) parts.push(s)
    return concatSeries(instrumentId, timeframe, parts)
  }

  /** Streams [from, to) in chunks of at most `chunkSize` bars, in time order. */
  async *streamBars(
    instrumentId: string,
    timeframe: string,
    range?: TimeRange,
    chunkSize = 100_000,
  ): AsyncIterable<BarSeries> {
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new KestrelError('PARAM_INVALID', `streamBars(chunkSize): expected a positive integer, got ${chunkSize}`)
    }
    const files = await this.filesFor(instrumentId, timeframe, range)
    if (files.length === 0) return
    this.db_()
    const conn = await this.db!.connect() // own connection: writes may run while a stream is read
    try {
      const result = await conn.stream(
        `SELECT ${SELECT_MS} FROM read_parquet([${files.map(lit).join(', ')}], hive_partitioning = false) WHERE ${rangeSql(range)} ORDER BY open_time`,
      )
      yield* readChunks(result, instrumentId, timeframe, chunkSize)
    } catch (e) {
      throw this.readError(e, `${instrumentId} ${timeframe}`, files)
    } finally {
      conn.closeSync()
    }
  }

  /** Number of bars in [from, to). */
  async count(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number> {
    const files = await this.filesFor(instrumentId, timeframe, range)
    if (files.length === 0) return 0
    const r = await this.db_().runAndReadAll(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet([${files.map(lit).join(', ')}], hive_partitioning = false) WHERE ${rangeSql(range)}`,
    )
    return Number(r.getRowObjectsJS()[0]!.n)
  }

  /** Removes bars in [from, to) by rewriting the months they are in; returns how many went. */
  deleteBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number> {
    return this.serial(async () => {
      let removed = 0
      for (const month of await this.months(instrumentId, timeframe)) {
        const [lo, hi] = monthRange(month)
        if (range?.to !== undefined && lo >= range.to) continue
        if (range?.from !== undefined && hi <= range.from) continue
        const dir = this.partitionDir(instrumentId, timeframe, month)
        const file = join(dir, 'data.parquet')
        const before = await this.countFile(file)
        const tmp = `${file}.tmp-${process.pid}`
        inFlight.add(tmp)
        try {
          await this.db_().run(
            `COPY (SELECT * FROM read_parquet(${lit(file)}, hive_partitioning = false) WHERE NOT (${rangeSql(range)}) ORDER BY open_time) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
          )
          const after = await this.countFile(tmp)
          removed += before - after
          if (after === 0) await rm(dir, { recursive: true, force: true })
          else if (after !== before) await rename(tmp, file)
          await rm(tmp, { force: true })
        } finally {
          inFlight.delete(tmp)
        }
      }
      return removed
    })
  }

  /** Rows, first and last open time per series. */
  async summary(): Promise<LakeSeries[]> {
    const out: LakeSeries[] = []
    for (const k of await this.seriesKeys()) {
      const files = await this.filesFor(k.instrumentId, k.timeframe)
      const r = await this.db_().runAndReadAll(
        `SELECT count(*)::DOUBLE AS n, epoch_ms(min(open_time))::DOUBLE AS f, epoch_ms(max(open_time))::DOUBLE AS l
         FROM read_parquet([${files.map(lit).join(', ')}], hive_partitioning = false)`,
      )
      const o = r.getRowObjectsJS()[0]!
      out.push({
        ...k,
        rows: Number(o.n),
        first: Number(o.f),
        last: Number(o.l),
        months: await this.months(k.instrumentId, k.timeframe),
      })
    }
    return out
  }

  /** Closes DuckDB. The files stay. */
  async close(): Promise<void> {
    await this.queue.catch(() => {})
    this.conn?.closeSync()
    this.db?.closeSync()
    this.conn = undefined
    this.db = undefined
  }

  private async filesFor(instrumentId: string, timeframe: string, range?: TimeRange): Promise<string[]> {
    const out: string[] = []
    for (const month of await this.months(instrumentId, timeframe)) {
      const [lo, hi] = monthRange(month)
      if (range?.to !== undefined && lo >= range.to) continue
      if (range?.from !== undefined && hi <= range.from) continue
      out.push(join(this.partitionDir(instrumentId, timeframe, month), 'data.parquet'))
    }
    return out
  }

  private async countFile(file: string): Promise<number> {
    try {
      const r = await this.db_().runAndReadAll(
        `SELECT count(*)::DOUBLE AS n FROM read_parquet(${lit(file)}, hive_partitioning = false)`,
      )
      return Number(r.getRowObjectsJS()[0]!.n)
    } catch (e) {
      throw this.readError(e, file, [file])
    }
  }

  /** A DuckDB failure on lake files as a typed error naming them. */
  private readError(e: unknown, what: string, files: readonly string[]): KestrelError {
    if (e instanceof KestrelError) return e
    const msg = ((e as Error)?.message ?? String(e)).split('\n')[0]
    return new KestrelError(
      'DATA_BAD_FILE',
      `lake ${this.root}: cannot read ${what} (${msg})`,
      { root: this.root, files },
      { cause: e },
    )
  }

  private db_(): DuckDBConnection {
    if (!this.conn) throw new KestrelError('STATE_INVALID', `lake ${this.root}: call init() first (or it was closed)`)
    return this.conn
  }

  /** Runs file-rewriting work one at a time (one connection, one writer per partition). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return run
  }
}

/** Temp files this process is writing now (another lake object on the same root must not remove them). */
const inFlight = new Set<string>()

/** True when a process with this id runs (and is not this one: its temp files are from an earlier lake). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function rangeSql(range?: TimeRange): string {
  const parts = ['true']
  if (range?.from !== undefined) parts.push(`open_time >= epoch_ms(${Math.floor(range.from)}::BIGINT)`)
  if (range?.to !== undefined) parts.push(`open_time < epoch_ms(${Math.floor(range.to)}::BIGINT)`)
  return parts.join(' AND ')
}

/** Concatenates sorted, non-overlapping series into one. */
export function concatSeries(instrumentId: string, timeframe: string, parts: readonly BarSeries[]): BarSeries {
  const n = parts.reduce((a, p) => a + seriesLength(p), 0)
  const out = allocBarSeries(instrumentId, timeframe, n)
  let at = 0
  for (const p of parts) {
    for (const k of COLS) out[k].set(p[k], at)
    at += seriesLength(p)
  }
  return out
}
