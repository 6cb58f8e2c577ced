/**
 * The PostgreSQL {@link BarStore} (shared storage): idempotent bar writes (`on conflict do nothing`) in large
 * multi-row inserts built from arrays (`unnest`), reads in one query or streamed by keyset pagination, and a
 * TimescaleDB hypertable for bars when the extension exists (else a plain table; `storage` says which).
 */
import { createRequire } from 'node:module'
import type pg from 'pg'
import { KestrelError, allocBarSeries, seriesLength } from '../../../core/index.ts'
import type { BarSeries, Instrument } from '../../../core/index.ts'
import { assertWritableSeries, symbolOf } from '../memory.ts'
import type {
  BarStore,
  ImportBatch,
  ImportCommit,
  IngestionRecord,
  QuarantinedRow,
  SeriesSummary,
  TimeRange,
} from '../types.ts'
import { ddl, isPlainIdentifier } from './schema.ts'

/** Settings of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** `postgres://user@127.0.0.1:5432/kestrel` (the password from config `${ENV:...}`). */
  readonly connectionString: string
  /** Schema holding the tables. Default `kestrel`. */
  readonly schema?: string
  /** Rows per insert statement. Default 20 000. */
  readonly batchSize?: number
  /** `auto` makes bars a hypertable when TimescaleDB can be created; `off` never tries. Default `auto`. */
  readonly timescale?: 'auto' | 'off'
  /** Pool size. Default 4. */
  readonly maxConnections?: number
}

const BAR_COLS = 'open_time, close_time, open, high, low, close, volume'

/** Bars, instruments, quarantine and ingestion log in PostgreSQL. */
export class PostgresStore implements BarStore {
  readonly kind = 'postgres' as const
  readonly schema: string
  private readonly pool: pg.Pool
  private readonly batchSize: number
  private mode: 'hypertable' | 'plain' | undefined

  constructor(private readonly opts: PostgresStoreOptions) {
    this.schema = opts.schema ?? 'kestrel'
    if (!isPlainIdentifier(this.schema)) {
      throw new KestrelError(
        'CONFIG_INVALID',
        `postgres store: schema ${JSON.stringify(this.schema)} must match [a-z_][a-z0-9_]*`,
      )
    }
    this.batchSize = opts.batchSize ?? 20_000
    // pg is required here, on first use: importing the data layer does not load the driver.
    const { Pool } = createRequire(import.meta.url)('pg') as typeof pg
    this.pool = new Pool({ connectionString: opts.connectionString, max: opts.maxConnections ?? 4 })
    this.pool.on('error', () => {}) // an idle client dropped by the server; the next query reconnects
  }

  /** How bars are stored: `hypertable` (TimescaleDB) or `plain`; undefined before init. */
  get storage(): 'hypertable' | 'plain' | undefined {
    return this.mode
  }

  /** Creates the schema and tables if missing; makes bars a hypertable when TimescaleDB is available. */
  async init(): Promise<void> {
    const s = this.schema
    const c = await this.connect()
    try {
      // Serialise concurrent inits of the same schema (create ... if not exists races otherwise).
      await c.query('select pg_advisory_lock(hashtext($1))', [s])
      try {
        for (const stmt of ddl(s)) await c.query(stmt)
        this.mode = (this.opts.timescale ?? 'auto') === 'auto' && (await this.tryHypertable(c)) ? 'hypertable' : 'plain'
        await c.query(
          `insert into ${s}.store_meta (key, value) values ('bars_storage', $1) on conflict (key) do update set value = excluded.value`,
          [this.mode],
        )
      } finally {
        await c.query('select pg_advisory_unlock(hashtext($1))', [s])
      }
    } finally {
      c.release()
    }
  }

  private async tryHypertable(c: pg.PoolClient): Promise<boolean> {
    try {
      await c.query('create extension if not exists timescaledb')
      await c.query(
        `select create_hypertable('${this.schema}.bars', 'open_time', chunk_time_interval => 604800000::bigint, if_not_exists => true, migrate_data => true)`,
      )
      return true
    } catch {
      return false // no TimescaleDB here: plain table, recorded in store_meta
    }
  }

  /** Inserts or replaces an instrument. */
  async upsertInstrument(inst: Instrument): Promise<void> {
    await this.q(
      `insert into ${this.schema}.instruments (id, symbol, venue, data) values ($1, $2, $3, $4)
       on conflict (id) do update set symbol = excluded.symbol, venue = excluded.venue, data = excluded.data`,
      [inst.id, inst.symbol, inst.venue, JSON.stringify(inst)],
    )
  }

  /** All instruments, sorted by id. */
  async instruments(): Promise<Instrument[]> {
    const r = await this.q(`select data from ${this.schema}.instruments order by id`)
    return r.rows.map((x) => x.data as Instrument)
  }

  /** The instrument with `id`, if stored. */
  async getInstrument(id: string): Promise<Instrument | undefined> {
    const r = await this.q(`select data from ${this.schema}.instruments where id = $1`, [id])
    return r.rows[0]?.data as Instrument | undefined
  }

  /**
   * Inserts bars in batches, skipping open times already stored; returns the number of new rows. A batch whose
   * time span holds no stored bar goes in as a plain insert (no conflict arbitration, about twice as fast);
   * if another writer got there first (unique violation) it is retried with `on conflict do nothing`.
   */
  async writeBars(series: BarSeries): Promise<number> {
    return this.insertBars(series, this.pool)
  }

  private async insertBars(series: BarSeries, via: pg.Pool | pg.PoolClient): Promise<number> {
    assertWritableSeries(series, 'postgres store writeBars')
    const n = seriesLength(series)
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(series.openTime[i]) || !Number.isInteger(series.closeTime[i])) {
        throw new KestrelError(
          'DATA_BAD_ROW',
          `postgres store writeBars: ${series.instrumentId} bar ${i} has a time that is not whole milliseconds`,
          {
            instrumentId: series.instrumentId,
            index: i,
          },
        )
      }
    }
    const s = this.schema
    let added = 0
    for (let i = 0; i < n; i += this.batchSize) {
      const j = Math.min(n, i + this.batchSize)
      // Array literals built here: cheaper than pg's generic per-element array serialiser.
      const col = (a: Float64Array) => `{${a.subarray(i, j).join(',')}}`
      const values = [
        series.instrumentId,
        series.timeframe,
        col(series.openTime),
        col(series.closeTime),
        col(series.open),
        col(series.high),
        col(series.low),
        col(series.close),
        col(series.volume),
      ]
      const insert = `insert into ${s}.bars (instrument_id, timeframe, ${BAR_COLS})
         select $1, $2, * from unnest($3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])`
      let lo = Infinity
      let hi = -Infinity
      for (let k = i; k < j; k++) {
        const t = series.openTime[k]!
        if (t < lo) lo = t
        if (t > hi) hi = t
      }
      const taken = await this.q(
        `select exists (select 1 from ${s}.bars where instrument_id = $1 and timeframe = $2 and open_time between $3 and $4) as taken`,
        [series.instrumentId, series.timeframe, lo, hi],
        false,
        via,
      )
      if (!taken.rows[0].taken) {
        // Inside a transaction a failed statement aborts it, so the fast insert runs under a savepoint there.
        const inTx = via !== this.pool
        try {
          if (inTx) await via.query('savepoint kestrel_bars')
          added += (await this.q(insert, values, false, via)).rowCount ?? 0
          if (inTx) await via.query('release savepoint kestrel_bars')
          continue
        } catch (e) {
          if ((e as { code?: string }).code !== '23505') throw e // unique violation: fall through
          if (inTx) await via.query('rollback to savepoint kestrel_bars')
        }
      }
      added += (await this.q(`${insert} on conflict do nothing`, values, false, via)).rowCount ?? 0
    }
    return added
  }

  /** Bars in [from, to), sorted by open time. */
  async readBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<BarSeries> {
    const [where, params] = rangeWhere(instrumentId, timeframe, range)
    const r = await this.q(
      `select ${BAR_COLS} from ${this.schema}.bars where ${where} order by open_time`,
      params,
      true,
    )
    return toSeries(instrumentId, timeframe, r.rows as unknown[][])
  }

  /** Streams the range in chunks of at most `chunkSize` bars by keyset pagination on open time. */
  async *streamBars(
    instrumentId: string,
    timeframe: string,
    range?: TimeRange,
    chunkSize = 100_000,
  ): AsyncIterable<BarSeries> {
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new KestrelError('PARAM_INVALID', `streamBars(chunkSize): expected a positive integer, got ${chunkSize}`)
    }
    let from = range?.from
    while (true) {
      const [where, params] = rangeWhere(instrumentId, timeframe, { from, to: range?.to })
      const r = await this.q(
        `select ${BAR_COLS} from ${this.schema}.bars where ${where} order by open_time limit ${chunkSize}`,
        params,
        true,
      )
      if (r.rows.length === 0) return
      const s = toSeries(instrumentId, timeframe, r.rows as unknown[][])
      yield s
      if (r.rows.length < chunkSize) return
      from = s.openTime[s.openTime.length - 1]! + 1
    }
  }

  /** Deletes bars in [from, to); returns how many were removed. */
  async deleteBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number> {
    const [where, params] = rangeWhere(instrumentId, timeframe, range)
    const r = await this.q(`delete from ${this.schema}.bars where ${where}`, params)
    return r.rowCount ?? 0
  }

  /** Appends quarantined rows (one statement per call). */
  async writeQuarantine(rows: readonly QuarantinedRow[]): Promise<void> {
    await this.insertQuarantine(rows, this.pool)
  }

  private async insertQuarantine(rows: readonly QuarantinedRow[], via: pg.Pool | pg.PoolClient): Promise<void> {
    if (rows.length === 0) return
    const pick = <T>(f: (r: QuarantinedRow) => T) => rows.map(f)
    await this.q(
      `insert into ${this.schema}.quarantine (source, instrument_id, timeframe, line, ts, field, reason, message, severity, raw)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
      [
        pick((r) => r.source),
        pick((r) => r.instrumentId ?? null),
        pick((r) => r.timeframe ?? null),
        pick((r) => r.line ?? null),
        pick((r) => r.timestamp ?? null),
        pick((r) => r.field ?? null),
        pick((r) => r.reason),
        pick((r) => r.message),
        pick((r) => r.severity),
        pick((r) => r.raw),
      ],
      false,
      via,
    )
  }

  /** Quarantined rows in insertion order, optionally filtered. */
  async quarantine(filter?: { source?: string; instrumentId?: string }): Promise<QuarantinedRow[]> {
    const r = await this.q(
      `select source, instrument_id, timeframe, line, ts, field, reason, message, severity, raw from ${this.schema}.quarantine
       where ($1::text is null or source = $1) and ($2::text is null or instrument_id = $2) order by seq`,
      [filter?.source ?? null, filter?.instrumentId ?? null],
    )
    return r.rows.map((x) => {
      const row: Record<string, unknown> = { source: x.source }
      if (x.instrument_id != null) row.instrumentId = x.instrument_id
      if (x.timeframe != null) row.timeframe = x.timeframe
      if (x.line != null) row.line = Number(x.line)
      if (x.ts != null) row.timestamp = Number(x.ts)
      if (x.field != null) row.field = x.field
      Object.assign(row, { reason: x.reason, message: x.message, severity: x.severity, raw: x.raw })
      return row as unknown as QuarantinedRow
    })
  }

  /** Appends an ingestion record. */
  async recordIngestion(rec: IngestionRecord): Promise<void> {
    await this.insertIngestion(rec, this.pool)
  }

  private async insertIngestion(rec: IngestionRecord, via: pg.Pool | pg.PoolClient): Promise<void> {
    await this.q(
      `insert into ${this.schema}.ingestion_log (source, file_hash, instrument_id, timeframe, rows_read, rows_accepted, rows_quarantined, imported_at, data_version)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        rec.source,
        rec.fileHash,
        rec.instrumentId,
        rec.timeframe,
        rec.rowsRead,
        rec.rowsAccepted,
        rec.rowsQuarantined,
        rec.importedAt,
        rec.ingestion,
      ],
      false,
      via,
    )
  }

  /**
   * One import in one transaction on one connection: instrument, bars, quarantine and the ingestion record are
   * committed together or not at all. A transaction-scoped advisory lock on the series makes concurrent imports of
   * the same series take turns, so the hash check and the ingestion number cannot race.
   */
  async commitImport(batch: ImportBatch): Promise<ImportCommit> {
    assertWritableSeries(batch.bars, 'postgres store commitImport')
    const r = batch.record
    const c = await this.connect()
    try {
      await c.query('begin')
      try {
        await c.query('select pg_advisory_xact_lock(hashtext($1))', [`${this.schema}/${r.instrumentId}/${r.timeframe}`])
        const prior = await this.q(
          `select data_version from ${this.schema}.ingestion_log where file_hash = $1 and instrument_id = $2 and timeframe = $3 order by seq desc limit 1`,
          [r.fileHash, r.instrumentId, r.timeframe],
          false,
          c,
        )
        if (prior.rows[0]) {
          await c.query('rollback')
          return { skipped: true, inserted: 0, ingestion: Number(prior.rows[0].data_version) }
        }
        const inst = batch.instrument
        await this.q(
          `insert into ${this.schema}.instruments (id, symbol, venue, data) values ($1, $2, $3, $4)
           on conflict (id) do update set symbol = excluded.symbol, venue = excluded.venue, data = excluded.data`,
          [inst.id, inst.symbol, inst.venue, JSON.stringify(inst)],
          false,
          c,
        )
        const inserted = await this.insertBars(batch.bars, c)
        await this.insertQuarantine(batch.quarantine, c)
        const v = await this.q(
          `select coalesce(max(data_version), 0) + 1 as v from ${this.schema}.ingestion_log where instrument_id = $1 and timeframe = $2`,
          [r.instrumentId, r.timeframe],
          false,
          c,
        )
        const ingestion = Number(v.rows[0].v)
        await this.insertIngestion({ ...r, ingestion }, c)
        await c.query('commit')
        return { skipped: false, inserted, ingestion }
      } catch (e) {
        await c.query('rollback').catch(() => undefined)
        throw e
      }
    } finally {
      c.release()
    }
  }

  /** The latest ingestion of this file hash for the instrument and timeframe. */
  async findIngestion(fileHash: string, instrumentId: string, timeframe: string): Promise<IngestionRecord | undefined> {
    const r = await this.q(
      `select * from ${this.schema}.ingestion_log where file_hash = $1 and instrument_id = $2 and timeframe = $3 order by seq desc limit 1`,
      [fileHash, instrumentId, timeframe],
    )
    return r.rows[0] ? toIngestion(r.rows[0]) : undefined
  }

  /** All ingestion records in insertion order. */
  async ingestions(): Promise<IngestionRecord[]> {
    const r = await this.q(`select * from ${this.schema}.ingestion_log order by seq`)
    return r.rows.map(toIngestion)
  }

  /** One line per stored (instrument, timeframe). */
  async summary(): Promise<SeriesSummary[]> {
    const s = this.schema
    const r = await this.q(
      `select b.instrument_id, b.timeframe, b.n, b.first, b.last, i.symbol,
              (select count(*) from ${s}.quarantine q where q.instrument_id = b.instrument_id and q.timeframe = b.timeframe) as quarantined
       from (select instrument_id, timeframe, count(*) as n, min(open_time) as first, max(open_time) as last
             from ${s}.bars group by instrument_id, timeframe) b
       left join ${s}.instruments i on i.id = b.instrument_id
       order by b.instrument_id, b.timeframe`,
    )
    return r.rows.map((x) => ({
      instrumentId: x.instrument_id,
      symbol: x.symbol ?? symbolOf(x.instrument_id),
      timeframe: x.timeframe,
      rows: Number(x.n),
      first: Number(x.first),
      last: Number(x.last),
      quarantined: Number(x.quarantined),
    }))
  }

  /** Drops the whole schema (tests and resets). Irreversible. */
  async dropSchema(): Promise<void> {
    await this.q(`drop schema if exists ${this.schema} cascade`)
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.pool.end()
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect()
    } catch (e) {
      throw this.unavailable(e)
    }
  }

  private unavailable(e: unknown): KestrelError {
    const where = redact(this.opts.connectionString)
    return new KestrelError(
      'SERVICE_UNAVAILABLE',
      `postgres store: cannot connect to ${where}: ${(e as Error)?.message ?? String(e)}`,
      { where },
      { cause: e },
    )
  }

  private async q(
    text: string,
    values: unknown[] = [],
    arrays = false,
    via: pg.Pool | pg.PoolClient = this.pool,
  ): Promise<pg.QueryResult> {
    try {
      if (arrays) return (await via.query({ text, values, rowMode: 'array' })) as unknown as pg.QueryResult
      return await via.query({ text, values })
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P01' || code === '3D000')
        throw this.unavailable(e)
      throw e
    }
  }
}

/** The connection string without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(connection string)'
  }
}

function rangeWhere(instrumentId: string, timeframe: string, range?: TimeRange): [string, unknown[]] {
  const params: unknown[] = [instrumentId, timeframe]
  let where = 'instrument_id = $1 and timeframe = $2'
  if (range?.from !== undefined) {
    params.push(range.from)
    where += ` and open_time >= $${params.length}`
  }
  if (range?.to !== undefined) {
    params.push(range.to)
    where += ` and open_time < $${params.length}`
  }
  return [where, params]
}

function toSeries(instrumentId: string, timeframe: string, rows: unknown[][]): BarSeries {
  const s = allocBarSeries(instrumentId, timeframe, rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    s.openTime[i] = Number(r[0])
    s.closeTime[i] = Number(r[1])
    s.open[i] = r[2] as number
    s.high[i] = r[3] as number
    s.low[i] = r[4] as number
    s.close[i] = r[5] as number
    s.volume[i] = r[6] as number
  }
  return s
}

function toIngestion(x: Record<string, unknown>): IngestionRecord {
  return {
    source: x.source as string,
    fileHash: x.file_hash as string,
    instrumentId: x.instrument_id as string,
    timeframe: x.timeframe as string,
    rowsRead: Number(x.rows_read),
    rowsAccepted: Number(x.rows_accepted),
    rowsQuarantined: Number(x.rows_quarantined),
    importedAt: Number(x.imported_at),
    ingestion: Number(x.data_version),
  }
}
