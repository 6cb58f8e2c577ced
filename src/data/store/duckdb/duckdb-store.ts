/**
 * The embedded default store: one DuckDB file (or `:memory:`). Bars are stored under a small integer series id
 * (see schema.ts). A time-ordered batch that overlaps nothing stored goes straight into `bars` through the
 * appender (typed-array columns copied chunk by chunk, no per-value calls into the native side); anything else
 * goes through a per-connection staging table and one set-based insert that skips keys already stored, so
 * re-writing bars that exist adds nothing.
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, open, readdir, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api'
import { KestrelError } from '../../../core/index.ts'
import type { BarSeries, Instrument } from '../../../core/index.ts'
import { assertWritableSeries } from '../memory.ts'
import type {
  BarStore,
  ImportBatch,
  ImportCommit,
  IngestionRecord,
  QuarantinedRow,
  SeriesSummary,
  TimeRange,
} from '../types.ts'
import { appendBars, forEachChunk, readChunks } from './chunks.ts'
import { duckdb } from './driver.ts'
import { concatSeries, increasing, rangeSql } from './sql.ts'
import { BARS_KEY, BARS_VIEW, MIGRATE_SERIES_IDS, STAGE_SCHEMA, duckdbSchema } from './schema.ts'

/** Settings of {@link DuckDbStore}. */
export interface DuckDbStoreOptions {
  /**
   * The store never writes a bar whose (series, open time) it holds already: every write checks (an append only
   * when nothing stored overlaps, else a set-based insert of the missing keys). `primaryKey: true` makes DuckDB
   * enforce that too, for writers that bypass the store: it declares (series_id, open_time) as the bars table's
   * PRIMARY KEY (on a new file right after the first write, so the first bulk load builds the index in one pass).
   * The index costs more CPU than DuckDB's whole CSV load of the same rows (bench/csv-import.bench.ts), so it is
   * off by default; a file that has the key keeps it either way.
   */
  readonly primaryKey?: boolean
  /** How long `init` waits for another process that has the file open. Default 30 000 ms. */
  readonly lockWaitMs?: number
  /** Told once when `init` starts waiting for the file (a message naming the holder). */
  readonly onLockWait?: (message: string) => void
}

/** A {@link BarStore} in a DuckDB file. `path` `:memory:` keeps it in memory. */
export class DuckDbStore implements BarStore {
  readonly kind = 'duckdb' as const
  private instance: DuckDBInstance | undefined
  private conn: DuckDBConnection | undefined
  private qseq = 0
  private iseq = 0
  private closed = false
  private readonly streams = new Set<DuckDBConnection>()
  private writeQueue: Promise<unknown> = Promise.resolve()
  private keyPending = false
  private readonly primaryKey: boolean
  private readonly lockWaitMs: number
  private readonly onLockWait: ((message: string) => void) | undefined
  private readonly seriesIds = new Map<string, number>()

  constructor(
    readonly path: string,
    opts: DuckDbStoreOptions = {},
  ) {
    this.primaryKey = opts.primaryKey ?? false
    this.lockWaitMs = opts.lockWaitMs ?? 30_000
    this.onLockWait = opts.onLockWait
  }

  /** Opens the file (creating folders) and the tables. Safe to call twice. */
  async init(): Promise<void> {
    if (this.conn) return
    if (this.closed) throw new KestrelError('STATE_INVALID', `duckdb store ${this.path}: used after close`)
    if (this.path !== ':memory:') {
      await mkdir(dirname(this.path), { recursive: true })
      await this.removeStaleCreations()
      if (!(await exists(this.path))) await this.createFile()
    }
    this.instance = await this.openFile()
    this.conn = await this.instance.connect()
    const fresh = (await this.scalar(`SELECT count(*)::DOUBLE FROM duckdb_tables() WHERE table_name = 'bars'`)) === 0
    // A new file gets its bars table without the key and the key right after the first write: DuckDB builds an
    // index over existing rows in one pass, which is cheaper than maintaining it row by row during a bulk load.
    await this.conn.run(duckdbSchema(false))
    const stringKeyed = await this.scalar(
      `SELECT count(*)::DOUBLE FROM duckdb_columns() WHERE table_name = 'bars' AND column_name = 'instrument_id'`,
    )
    // A file whose string-keyed bars had a declared key keeps one in the series-id layout.
    const keyed = stringKeyed > 0 && (await this.hasKey()) > 0
    if (stringKeyed > 0) await this.migrate()
    await this.conn.run(BARS_VIEW)
    await this.conn.run(STAGE_SCHEMA)
    if (keyed && (await this.hasKey()) === 0) await this.addKey()
    if (this.primaryKey) {
      if ((await this.hasKey()) === 0) {
        if (fresh) this.keyPending = true
        else await this.addKey()
      }
    }
    this.qseq = await this.scalar('SELECT coalesce(max(seq), 0)::DOUBLE FROM quarantine')
    this.iseq = await this.scalar('SELECT coalesce(max(seq), 0)::DOUBLE FROM ingestion_log')
  }

  /**
   * Creates a new, empty database file under a temporary name and links it into place only once DuckDB has
   * written and synced all of it: a process killed while DuckDB lays out a new file leaves a stray temporary file,
   * never a half-written store that cannot be opened. If another process created the file meanwhile, its file
   * stands and this one is discarded.
   */
  private async createFile(): Promise<void> {
    const dir = dirname(this.path)
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}-${randomBytes(4).toString('hex')}.creating`)
    try {
      const inst = await duckdb().DuckDBInstance.create(tmp)
      try {
        const c = await inst.connect()
        await c.run('CHECKPOINT')
        c.closeSync()
      } finally {
        inst.closeSync()
      }
      await fsyncPath(tmp)
      try {
        await link(tmp, this.path)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      await fsyncPath(dir)
    } catch (e) {
      if (e instanceof KestrelError) throw e
      throw new KestrelError(
        'SERVICE_UNAVAILABLE',
        `duckdb store ${this.path}: cannot create (${(e as Error).message ?? String(e)})`,
        { path: this.path },
        { cause: e },
      )
    } finally {
      await unlink(tmp).catch(() => undefined)
      await unlink(`${tmp}.wal`).catch(() => undefined)
    }
  }

  /** Deletes the temporary files of creations whose process has died (killed before it linked its file). */
  private async removeStaleCreations(): Promise<void> {
    const prefix = `.${basename(this.path)}.`
    const dir = dirname(this.path)
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.startsWith(prefix)) continue
      const m = /^(\d+)-[0-9a-f]{8}\.creating(\.wal)?$/.exec(name.slice(prefix.length))
      if (m && !alive(Number(m[1]))) await unlink(join(dir, name)).catch(() => undefined)
    }
  }

  /**
   * Opens the file. DuckDB lets one process at a time open a file for writing; while another holds it, this
   * waits (telling `onLockWait` once, with the holder's PID) up to `lockWaitMs`, then fails naming the holder.
   */
  private async openFile(): Promise<DuckDBInstance> {
    const start = Date.now()
    let told = false
    let pause = 50
    while (true) {
      try {
        return await duckdb().DuckDBInstance.create(this.path)
      } catch (e) {
        const msg = (e as Error).message ?? String(e)
        const held = /Could not set lock on file|Conflicting lock/i.test(msg)
        if (!held) {
          throw new KestrelError(
            'SERVICE_UNAVAILABLE',
            `duckdb store ${this.path}: cannot open (${msg})`,
            { path: this.path },
            { cause: e },
          )
        }
        const holder = /\(PID (\d+)\)/.exec(msg)?.[1]
        const who = holder ? `process ${holder}` : 'another process'
        if (Date.now() - start >= this.lockWaitMs) {
          throw new KestrelError(
            'SERVICE_UNAVAILABLE',
            `duckdb store ${this.path}: still in use by ${who} after waiting ${Math.round(this.lockWaitMs / 1000)} s (one process at a time may open a DuckDB file); try again when it has finished`,
            { path: this.path, pid: holder === undefined ? undefined : Number(holder) },
            { cause: e },
          )
        }
        if (!told) {
          told = true
          this.onLockWait?.(
            `${this.path} is in use by ${who}; waiting up to ${Math.round(this.lockWaitMs / 1000)} s for it to finish`,
          )
        }
        await new Promise((r) => setTimeout(r, pause))
        pause = Math.min(500, pause * 2)
      }
    }
  }

  /** 1 when the bars table has a declared PRIMARY KEY, else 0. */
  private hasKey(): Promise<number> {
    return this.scalar(
      `SELECT count(*)::DOUBLE FROM duckdb_constraints() WHERE table_name = 'bars' AND constraint_type = 'PRIMARY KEY'`,
    )
  }

  /** Moves a file whose bars carry instrument_id and timeframe columns to the series-id layout (one transaction). */
  private async migrate(): Promise<void> {
    try {
      await this.conn!.run(MIGRATE_SERIES_IDS)
    } catch (e) {
      await this.conn!.run('ROLLBACK').catch(() => undefined)
      throw new KestrelError(
        'INTERNAL',
        `duckdb store ${this.path}: cannot migrate bars to series ids (${(e as Error).message})`,
        {},
        { cause: e },
      )
    }
  }

  /** The series id of (instrument, timeframe), created when `create` is set; undefined when unknown. */
  private async seriesId(
    c: DuckDBConnection,
    instrumentId: string,
    timeframe: string,
    create: boolean,
  ): Promise<number | undefined> {
    const k = `${instrumentId}\u0000${timeframe}`
    const known = this.seriesIds.get(k)
    if (known !== undefined) return known
    const find = async () => {
      const r = await c.runAndReadAll('SELECT series_id FROM series WHERE instrument_id = $1 AND timeframe = $2', [
        instrumentId,
        timeframe,
      ])
      const row = r.getRows()[0]
      return row ? Number(row[0]) : undefined
    }
    let id = await find()
    if (id === undefined && create) {
      await c.run('INSERT INTO series SELECT coalesce(max(series_id), 0) + 1, $1, $2 FROM series', [
        instrumentId,
        timeframe,
      ])
      id = await find()
    }
    if (id !== undefined) this.seriesIds.set(k, id)
    return id
  }

  /** The open connection (for SQL the interface does not cover, such as exports). */
  async connection(): Promise<DuckDBConnection> {
    return this.db()
  }

  async upsertInstrument(inst: Instrument): Promise<void> {
    await this.putInstrument(await this.db(), inst)
  }

  private async putInstrument(c: DuckDBConnection, inst: Instrument): Promise<void> {
    await c.run('INSERT OR REPLACE INTO instruments VALUES ($1, $2, $3, $4, $5)', [
      inst.id,
      inst.symbol,
      inst.venue,
      inst.assetClass,
      JSON.stringify(inst),
    ])
  }

  async instruments(): Promise<Instrument[]> {
    const r = await (await this.db()).runAndReadAll('SELECT spec FROM instruments ORDER BY id')
    return r.getRows().map((row) => JSON.parse(String(row[0])) as Instrument)
  }

  async getInstrument(id: string): Promise<Instrument | undefined> {
    const r = await (await this.db()).runAndReadAll('SELECT spec FROM instruments WHERE id = $1', [id])
    const row = r.getRows()[0]
    return row ? (JSON.parse(String(row[0])) as Instrument) : undefined
  }

  /**
   * Inserts the bars not stored yet; returns how many were new. A time-ordered batch that overlaps nothing
   * stored is appended straight into `bars`; anything else goes through staging and a set-based insert that
   * skips existing keys (and keeps the first of duplicate open times within the batch).
   */
  async writeBars(series: BarSeries): Promise<number> {
    const c = await this.db()
    assertWritableSeries(series, `duckdb store ${this.path} writeBars`)
    const n = series.openTime.length
    if (n === 0) return 0
    return this.serial(async () => {
      const added = await this.writeSerial(c, series)
      if (this.keyPending) await this.addKey()
      return added
    })
  }

  private async writeSerial(c: DuckDBConnection, series: BarSeries): Promise<number> {
    const n = series.openTime.length
    const id = (await this.seriesId(c, series.instrumentId, series.timeframe, true))!
    if (increasing(series.openTime)) {
      const overlap = await c.runAndReadAll(
        `SELECT count(*)::DOUBLE FROM bars WHERE series_id = $1
         AND open_time BETWEEN epoch_ms($2::BIGINT) AND epoch_ms($3::BIGINT)`,
        [id, Math.floor(series.openTime[0]!), Math.ceil(series.openTime[n - 1]!)],
      )
      if (Number(overlap.getRows()[0]![0]) === 0) {
        const appender = await c.createAppender('bars')
        try {
          appendBars(appender, series, id)
          appender.flushSync()
        } finally {
          appender.closeSync()
        }
        return n
      }
    }
    return this.writeViaStaging(c, series, id)
  }

  /** Declares the bars primary key (a one-pass index build over the rows present). */
  private async addKey(): Promise<void> {
    this.keyPending = false
    try {
      await this.conn!.run(`ALTER TABLE bars ADD ${BARS_KEY}`)
    } catch (e) {
      throw new KestrelError(
        'INTERNAL',
        `duckdb store ${this.path}: cannot declare the bars primary key (${(e as Error).message})`,
        {},
        { cause: e },
      )
    }
  }

  private async writeViaStaging(c: DuckDBConnection, series: BarSeries, id: number): Promise<number> {
    await c.run('DELETE FROM stage_bars')
    const appender = await c.createAppender('stage_bars', 'main', 'temp')
    const cols = [series.openTime, series.closeTime, series.open, series.high, series.low, series.close, series.volume]
    try {
      forEachChunk(
        cols.map(() => duckdb().DOUBLE),
        cols,
        (chunk) => appender.appendDataChunk(chunk),
      )
      appender.flushSync()
    } finally {
      appender.closeSync()
    }
    const r = await c.run(
      `INSERT INTO bars
       SELECT $1, epoch_ms(s.open_time::BIGINT), epoch_ms(s.close_time::BIGINT), s.open, s.high, s.low, s.close, s.volume
       FROM (SELECT DISTINCT ON (open_time) * FROM stage_bars ORDER BY open_time, rowid) s
       WHERE NOT EXISTS (SELECT 1 FROM bars b WHERE b.series_id = $1 AND b.open_time = epoch_ms(s.open_time::BIGINT))`,
      [id],
    )
    await c.run('DELETE FROM stage_bars')
    return r.rowsChanged
  }

  /** Runs writes one at a time, so the overlap check and the append cannot interleave with another write. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(f, f)
    this.writeQueue = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  async readBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<BarSeries> {
    const parts: BarSeries[] = []
    for await (const s of this.streamBars(instrumentId, timeframe, range, 1 << 20)) parts.push(s)
    return concatSeries(instrumentId, timeframe, parts)
  }

  /** Streams on its own connection, so other calls may run while a stream is open. */
  async *streamBars(
    instrumentId: string,
    timeframe: string,
    range?: TimeRange,
    chunkSize = 100_000,
  ): AsyncIterable<BarSeries> {
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new KestrelError('PARAM_INVALID', `streamBars(chunkSize): expected a positive integer, got ${chunkSize}`)
    }
    await this.db()
    const conn = await this.instance!.connect()
    this.streams.add(conn)
    try {
      const { where, values } = rangeSql(instrumentId, timeframe, range)
      const result = await conn.stream(
        `SELECT epoch_ms(open_time)::DOUBLE, epoch_ms(close_time)::DOUBLE, open, high, low, close, volume
         FROM bars WHERE ${where} ORDER BY open_time`,
        values,
      )
      yield* readChunks(result, instrumentId, timeframe, chunkSize)
    } finally {
      this.streams.delete(conn)
      conn.closeSync()
    }
  }

  async deleteBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number> {
    const { where, values } = rangeSql(instrumentId, timeframe, range)
    const r = await (await this.db()).run(`DELETE FROM bars WHERE ${where}`, values)
    return r.rowsChanged
  }

  /** Appends quarantined rows through the appender (one native call per value, no round trip per row). */
  async writeQuarantine(rows: readonly QuarantinedRow[]): Promise<void> {
    if (rows.length === 0) return
    const c = await this.db()
    await this.serial(() => this.appendQuarantine(c, rows))
  }

  private async appendQuarantine(c: DuckDBConnection, rows: readonly QuarantinedRow[]): Promise<void> {
    if (rows.length === 0) return
    const ap = await c.createAppender('quarantine')
    const text = (v: string | undefined) => (v === undefined ? ap.appendNull() : ap.appendVarchar(v))
    const first = this.qseq
    try {
      for (const r of rows) {
        ap.appendBigInt(BigInt(++this.qseq))
        ap.appendVarchar(r.source)
        text(r.instrumentId)
        text(r.timeframe)
        if (r.line === undefined) ap.appendNull()
        else ap.appendInteger(r.line)
        if (r.timestamp === undefined || !Number.isFinite(r.timestamp)) ap.appendNull()
        else ap.appendTimestamp(new (duckdb().DuckDBTimestampValue)(BigInt(Math.round(r.timestamp * 1000))))
        text(r.field)
        ap.appendVarchar(r.reason)
        ap.appendVarchar(r.message)
        ap.appendVarchar(r.severity)
        ap.appendVarchar(r.raw)
        ap.endRow()
      }
      ap.flushSync()
    } catch (e) {
      this.qseq = first
      throw new KestrelError(
        'INTERNAL',
        `duckdb store ${this.path}: writing ${rows.length} quarantine rows failed (${(e as Error).message})`,
        {},
        { cause: e },
      )
    } finally {
      ap.closeSync()
    }
  }

  async quarantine(filter?: { source?: string; instrumentId?: string }): Promise<QuarantinedRow[]> {
    const conds: string[] = ['true']
    const values: DuckDBValue[] = []
    if (filter?.source !== undefined) {
      values.push(filter.source)
      conds.push(`source = $${values.length}`)
    }
    if (filter?.instrumentId !== undefined) {
      values.push(filter.instrumentId)
      conds.push(`instrument_id = $${values.length}`)
    }
    const r = await (
      await this.db()
    ).runAndReadAll(
      `SELECT source, instrument_id, timeframe, line, epoch_ms(ts)::DOUBLE AS timestamp, field, reason, message, severity, raw
       FROM quarantine WHERE ${conds.join(' AND ')} ORDER BY seq`,
      values,
    )
    return r.getRowObjects().map((o) => {
      const row: Record<string, unknown> = {}
      const keys: [string, string][] = [
        ['source', 'source'],
        ['instrument_id', 'instrumentId'],
        ['timeframe', 'timeframe'],
        ['line', 'line'],
        ['timestamp', 'timestamp'],
        ['field', 'field'],
        ['reason', 'reason'],
        ['message', 'message'],
        ['severity', 'severity'],
        ['raw', 'raw'],
      ]
      for (const [col, key] of keys) if (o[col] != null) row[key] = o[col]
      return row as unknown as QuarantinedRow
    })
  }

  async recordIngestion(rec: IngestionRecord): Promise<void> {
    const c = await this.db()
    await this.serial(() => this.insertIngestion(c, rec))
  }

  private async insertIngestion(c: DuckDBConnection, rec: IngestionRecord): Promise<void> {
    const seq = this.iseq + 1
    await c.run('INSERT INTO ingestion_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8, epoch_ms($9::BIGINT), $10)', [
      seq,
      rec.source,
      rec.fileHash,
      rec.instrumentId,
      rec.timeframe,
      rec.rowsRead,
      rec.rowsAccepted,
      rec.rowsQuarantined,
      rec.importedAt,
      rec.ingestion,
    ])
    this.iseq = seq
  }

  /**
   * One import in one DuckDB transaction: instrument, bars (appender or staging), quarantine and the ingestion
   * record become visible together at COMMIT; an error rolls all of it back, and a process killed before COMMIT
   * leaves nothing (DuckDB discards the uncommitted transaction on the next open).
   */
  async commitImport(batch: ImportBatch): Promise<ImportCommit> {
    const c = await this.db()
    assertWritableSeries(batch.bars, `duckdb store ${this.path} commitImport`)
    const r = batch.record
    return this.serial(async () => {
      const prior = await this.findIngestion(r.fileHash, r.instrumentId, r.timeframe)
      if (prior) return { skipped: true, inserted: 0, ingestion: prior.ingestion }
      const [q0, i0] = [this.qseq, this.iseq]
      let inserted = 0
      let ingestion: number
      // The appender compresses on this thread; DuckDB's other threads have nothing to do but cost CPU while
      // they wait for work (0.2-0.3 s of CPU per 2M rows on a busy 2-core machine), so the import runs on one.
      const threads = await this.scalar("SELECT current_setting('threads')::DOUBLE")
      if (threads > 1) await c.run('SET threads = 1')
      await c.run('BEGIN TRANSACTION')
      try {
        await this.putInstrument(c, batch.instrument)
        if (batch.bars.openTime.length > 0) inserted = await this.writeSerial(c, batch.bars)
        await this.appendQuarantine(c, batch.quarantine)
        ingestion =
          Number(
            (
              await c.runAndReadAll(
                'SELECT coalesce(max(data_version), 0)::DOUBLE FROM ingestion_log WHERE instrument_id = $1 AND timeframe = $2',
                [r.instrumentId, r.timeframe],
              )
            ).getRows()[0]![0],
          ) + 1
        await this.insertIngestion(c, { ...r, ingestion })
        await c.run('COMMIT')
      } catch (e) {
        await c.run('ROLLBACK').catch(() => undefined)
        this.qseq = q0
        this.iseq = i0
        this.seriesIds.clear() // a series created in the transaction is gone
        throw e
      } finally {
        if (threads > 1) await c.run(`SET threads = ${threads}`)
      }
      if (this.keyPending) await this.addKey()
      return { skipped: false, inserted, ingestion }
    })
  }

  async findIngestion(fileHash: string, instrumentId: string, timeframe: string): Promise<IngestionRecord | undefined> {
    const all = await this.readIngestions('file_hash = $1 AND instrument_id = $2 AND timeframe = $3', [
      fileHash,
      instrumentId,
      timeframe,
    ])
    return all.at(-1)
  }

  async ingestions(): Promise<IngestionRecord[]> {
    return this.readIngestions('true', [])
  }

  async summary(): Promise<SeriesSummary[]> {
    const r = await (
      await this.db()
    ).runAndReadAll(`
      WITH g AS (
        SELECT series_id, count(*)::DOUBLE AS rows,
               epoch_ms(min(open_time))::DOUBLE AS first, epoch_ms(max(open_time))::DOUBLE AS last
        FROM bars GROUP BY series_id
      ), b AS (
        SELECT s.instrument_id, s.timeframe, g.rows, g.first, g.last FROM g JOIN series s USING (series_id)
      ), q AS (
        SELECT instrument_id, timeframe, count(*)::DOUBLE AS quarantined FROM quarantine GROUP BY ALL
      )
      SELECT b.*, coalesce(i.symbol, split_part(b.instrument_id, '.', 1)) AS symbol, coalesce(q.quarantined, 0) AS quarantined
      FROM b LEFT JOIN q USING (instrument_id, timeframe) LEFT JOIN instruments i ON i.id = b.instrument_id
      ORDER BY b.instrument_id, b.timeframe`)
    return r.getRowObjects().map((o) => ({
      instrumentId: String(o.instrument_id),
      symbol: String(o.symbol),
      timeframe: String(o.timeframe),
      rows: Number(o.rows),
      first: Number(o.first),
      last: Number(o.last),
      quarantined: Number(o.quarantined),
    }))
  }

  async close(): Promise<void> {
    if (this.closed) return
    if (this.keyPending && this.conn) await this.addKey()
    this.closed = true
    for (const s of this.streams) s.closeSync()
    this.conn?.closeSync()
    this.instance?.closeSync()
    this.conn = undefined
    this.instance = undefined
  }

  private async db(): Promise<DuckDBConnection> {
    if (this.closed) throw new KestrelError('STATE_INVALID', `duckdb store ${this.path}: used after close`)
    if (!this.conn) await this.init()
    return this.conn!
  }

  private async scalar(sql: string): Promise<number> {
    const r = await this.conn!.runAndReadAll(sql)
    return Number(r.getRows()[0]![0])
  }

  private async readIngestions(where: string, values: DuckDBValue[]): Promise<IngestionRecord[]> {
    const r = await (
      await this.db()
    ).runAndReadAll(
      `SELECT source, file_hash, instrument_id, timeframe, rows_read::DOUBLE AS rows_read, rows_accepted::DOUBLE AS rows_accepted,
              rows_quarantined::DOUBLE AS rows_quarantined, epoch_ms(imported_at)::DOUBLE AS imported_at, data_version
       FROM ingestion_log WHERE ${where} ORDER BY seq`,
      values,
    )
    return r.getRowObjects().map((o) => ({
      source: String(o.source),
      fileHash: String(o.file_hash),
      instrumentId: String(o.instrument_id),
      timeframe: String(o.timeframe),
      rowsRead: Number(o.rows_read),
      rowsAccepted: Number(o.rows_accepted),
      rowsQuarantined: Number(o.rows_quarantined),
      importedAt: Number(o.imported_at),
      ingestion: Number(o.data_version),
    }))
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function fsyncPath(path: string): Promise<void> {
  const h = await open(path, 'r')
  try {
    await h.sync()
  } finally {
    await h.close()
  }
}
