/**
 * Store throughput: write, read (one readBars of the whole range) and stream (streamBars, 100k-bar chunks) of
 * 1,000,000 one-minute bars (seeded random walk, one series) for the memory store, DuckDB (fresh file), the
 * Parquet lake (fresh folder, ~23 month files) and PostgreSQL (fresh schema; skipped with a notice when nothing
 * listens on 127.0.0.1:5432). Peers measured in the same run, the engines' own bulk paths as the ceiling:
 * DuckDB `INSERT INTO bars SELECT * FROM` an in-memory table (and `SELECT` of the columns for reads), DuckDB
 * `COPY ... TO` partitioned Parquet for the lake, and PostgreSQL server-side `COPY bars FROM` a CSV file.
 * Last run here (2026-11-21, AMD EPYC, 2 cores, Node 20.20.2, load average 14-24 from other jobs, so rough):
 * write / read / stream bars/s — memory 156k / 245k / 213k, DuckDB 123k / 404k / 680k, lake 70k / 509k / 584k,
 * PostgreSQL 43k / 74k / 92k; peers: DuckDB INSERT SELECT 225k keyed (493k without a key), COPY TO Parquet 246k,
 * PostgreSQL COPY 103k. Ratios: DuckDB store 0.55 of the keyed INSERT, lake 0.28 of COPY, PostgreSQL 0.41 of COPY.
 * Run: node --import tsx --expose-gc bench/stores.bench.ts [bars] [runs]
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import pg from 'pg'
import { allocBarSeries, mulberry32, seriesLength } from '../src/core/index.ts'
import type { BarSeries } from '../src/core/index.ts'
import { DuckDbStore, MemoryStore, ParquetLake, PostgresStore } from '../src/data/index.ts'
import type { BarStore } from '../src/data/index.ts'
import { serviceReachable } from '../test/helpers/services.ts'

const N = Number(process.argv[2] ?? 1_000_000)
const RUNS = Number(process.argv[3] ?? 3)
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres'
const PG_URL = 'postgres://postgres@127.0.0.1:5432/kestrel_bench'
const T0 = Date.UTC(2020, 0, 1)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

type Store = BarStore & { close(): Promise<void> }
interface Timing {
  write: number
  read: number
  stream: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** A seeded random walk of `n` one-minute bars. */
function makeBars(n: number): BarSeries {
  const s = allocBarSeries('SYN.BENCH', '1m', n)
  const u = mulberry32(7)
  let p = 100
  for (let i = 0; i < n; i++) {
    const o = p
    const c = Math.max(1, o * (1 + (u() - 0.5) * 0.002))
    s.openTime[i] = T0 + i * 60_000
    s.closeTime[i] = T0 + (i + 1) * 60_000
    s.open[i] = o
    s.high[i] = Math.max(o, c) * (1 + u() * 5e-4)
    s.low[i] = Math.min(o, c) * (1 - u() * 5e-4)
    s.close[i] = c
    s.volume[i] = Math.floor(u() * 10_000) + 1
    p = c
  }
  return s
}

/** Times write, read and stream on a fresh store; checks every bar came back. */
async function measure(
  make: () => Promise<{ store: Store; dispose: () => Promise<void> }>,
  bars: BarSeries,
): Promise<Timing> {
  const { store, dispose } = await make()
  try {
    await store.init()
    gc()
    let t = performance.now()
    const added = await store.writeBars(bars)
    const write = performance.now() - t
    if (added !== N) throw new Error(`${store.kind}: wrote ${added} of ${N}`)
    gc()
    t = performance.now()
    const all = await store.readBars(bars.instrumentId, bars.timeframe)
    const read = performance.now() - t
    if (seriesLength(all) !== N || all.close[N - 1] !== bars.close[N - 1])
      throw new Error(`${store.kind}: read back a different series`)
    gc()
    t = performance.now()
    let n = 0
    for await (const c of store.streamBars(bars.instrumentId, bars.timeframe, undefined, 100_000)) n += seriesLength(c)
    const stream = performance.now() - t
    if (n !== N) throw new Error(`${store.kind}: streamed ${n} of ${N}`)
    return { write, read, stream }
  } finally {
    await store.close()
    await dispose()
  }
}

/** DuckDB's own bulk path on a fresh file: INSERT INTO bars (with or without the store's key) SELECT from an in-memory table, then SELECT it back. */
async function duckdbPeer(file: string, key: boolean): Promise<{ write: number; read: number }> {
  const inst = await DuckDBInstance.create(file)
  const c = await inst.connect()
  try {
    await c.run(`ATTACH ':memory:' AS m`)
    await c.run(
      `CREATE TABLE m.src AS SELECT 'SYN.BENCH' AS instrument_id, '1m' AS timeframe,
         epoch_ms(${T0} + i * 60000) AS open_time, epoch_ms(${T0} + (i + 1) * 60000) AS close_time,
         100 + random() AS open, 101 + random() AS high, 99 + random() AS low, 100 + random() AS close, floor(random() * 10000) AS volume
       FROM range(${N}) r(i)`,
    )
    await c.run(`CREATE TABLE bars (instrument_id VARCHAR, timeframe VARCHAR, open_time TIMESTAMP, close_time TIMESTAMP,
      open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE${key ? ', PRIMARY KEY (instrument_id, timeframe, open_time)' : ''})`)
    let t = performance.now()
    await c.run('INSERT INTO bars SELECT * FROM m.src')
    const write = performance.now() - t
    t = performance.now()
    const r = await c.runAndReadAll(
      `SELECT epoch_ms(open_time)::DOUBLE, epoch_ms(close_time)::DOUBLE, open, high, low, close, volume FROM bars
       WHERE instrument_id = 'SYN.BENCH' AND timeframe = '1m' ORDER BY open_time`,
    )
    if (r.currentRowCount !== N) throw new Error(`duckdb peer read ${r.currentRowCount}`)
    r.getColumnsJS()
    const read = performance.now() - t
    return { write, read }
  } finally {
    c.closeSync()
    inst.closeSync()
  }
}

/** DuckDB writing the same bars as month-partitioned Parquet in one COPY (the lake's ceiling). */
async function lakePeer(dir: string): Promise<number> {
  const inst = await DuckDBInstance.create(':memory:')
  const c = await inst.connect()
  try {
    await c.run(
      `CREATE TABLE src AS SELECT epoch_ms(${T0} + i * 60000) AS open_time, epoch_ms(${T0} + (i + 1) * 60000) AS close_time,
         100 + random() AS open, 101 + random() AS high, 99 + random() AS low, 100 + random() AS close, floor(random() * 10000) AS volume
       FROM range(${N}) r(i)`,
    )
    const t = performance.now()
    await c.run(
      `COPY (SELECT *, strftime(open_time, '%Y-%m') AS month FROM src ORDER BY open_time) TO '${dir}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (month))`,
    )
    return performance.now() - t
  } finally {
    c.closeSync()
    inst.closeSync()
  }
}

async function ensurePgDatabase(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN })
  await c.connect()
  try {
    const r = await c.query(`select 1 from pg_database where datname = 'kestrel_bench'`)
    if (r.rowCount === 0) await c.query('create database kestrel_bench')
  } finally {
    await c.end()
  }
}

async function dropPgSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  await c.query(`drop schema if exists ${schema} cascade`)
  await c.end()
}

/** PostgreSQL's server-side COPY of the same bars from a CSV file into a table with the store's key. */
async function pgCopyPeer(csv: string, schema: string): Promise<number> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try {
    await c.query(`create schema ${schema}`)
    await c.query(`create table ${schema}.bars (instrument_id text not null, timeframe text not null, open_time timestamptz not null,
      close_time timestamptz not null, open double precision, high double precision, low double precision, close double precision,
      volume double precision, primary key (instrument_id, timeframe, open_time))`)
    const t = performance.now()
    await c.query(`copy ${schema}.bars from '${csv}' (format csv)`)
    return performance.now() - t
  } finally {
    await c.end()
    await dropPgSchema(schema)
  }
}

async function writeCsvForPg(path: string, s: BarSeries): Promise<void> {
  const lines: string[] = []
  for (let i = 0; i < seriesLength(s); i++) {
    lines.push(
      `SYN.BENCH,1m,${new Date(s.openTime[i]!).toISOString()},${new Date(s.closeTime[i]!).toISOString()},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`,
    )
  }
  await writeFile(path, `${lines.join('\n')}\n`)
  await chmod(path, 0o644)
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'kestrel-bench-stores-'))
  await chmod(dir, 0o755) // the PostgreSQL server reads the peer's CSV from here
  const cpus = os.cpus()
  console.log(
    `workload: ${N.toLocaleString('en-US')} one-minute bars of one series; write, readBars, streamBars (100k chunks); ${RUNS} runs each, median`,
  )
  console.log(
    `machine:  ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at start`,
  )
  const bars = makeBars(N)
  const results: [string, Timing][] = []
  let seq = 0
  try {
    const stores: [string, () => Promise<{ store: Store; dispose: () => Promise<void> }>][] = [
      ['memory', async () => ({ store: new MemoryStore(), dispose: async () => {} })],
      [
        'duckdb',
        async () => {
          const f = join(dir, `s${++seq}.duckdb`)
          return { store: new DuckDbStore(f), dispose: () => rm(f, { force: true }) }
        },
      ],
      [
        'lake',
        async () => {
          const d = join(dir, `lake${++seq}`)
          return {
            store: new ParquetLake(d) as unknown as Store,
            dispose: () => rm(d, { recursive: true, force: true }),
          }
        },
      ],
    ]
    const pgUp = await serviceReachable('postgres')
    if (pgUp) {
      await ensurePgDatabase()
      stores.push([
        'postgres',
        async () => {
          const schema = `kb_${process.pid}_${++seq}`
          return {
            store: new PostgresStore({ connectionString: PG_URL, schema, timescale: 'off' }),
            dispose: () => dropPgSchema(schema),
          }
        },
      ])
    } else
      console.log('NOTICE: PostgreSQL is not running on 127.0.0.1:5432; skipping the postgres store and its COPY peer')

    // Runs interleave stores and peers, so a machine whose load drifts skews every ratio alike.
    const runs = new Map<string, Timing[]>(stores.map(([name]) => [name, []]))
    const dw: number[] = []
    const dwNoKey: number[] = []
    const dr: number[] = []
    const lw: number[] = []
    const pgw: number[] = []
    const csv = join(dir, 'bars.csv')
    if (pgUp) await writeCsvForPg(csv, bars)
    let pgPeerOk = pgUp
    for (let r = 0; r < RUNS; r++) {
      for (const [name, make] of stores) {
        const t = await measure(make, bars)
        runs.get(name)!.push(t)
        console.log(
          `  ${name} run ${r + 1}: write ${(t.write / 1000).toFixed(2)} s, read ${(t.read / 1000).toFixed(2)} s, stream ${(t.stream / 1000).toFixed(2)} s`,
        )
      }
      for (const key of [true, false]) {
        const f = join(dir, `peer${r}${key ? '' : 'n'}.duckdb`)
        const p = await duckdbPeer(f, key)
        await rm(f, { force: true })
        ;(key ? dw : dwNoKey).push(p.write)
        if (key) dr.push(p.read)
        console.log(
          `  duckdb peer run ${r + 1}${key ? '' : ' (no key)'}: INSERT SELECT ${(p.write / 1000).toFixed(2)} s, SELECT ${(p.read / 1000).toFixed(2)} s`,
        )
      }
      const d = join(dir, `lakepeer${r}`)
      lw.push(await lakePeer(d))
      await rm(d, { recursive: true, force: true })
      console.log(`  lake peer run ${r + 1}: COPY TO parquet ${(lw[r]! / 1000).toFixed(2)} s`)
      if (pgPeerOk) {
        try {
          pgw.push(await pgCopyPeer(csv, `kbp_${process.pid}_${r}`))
          console.log(`  postgres peer run ${r + 1}: COPY FROM file ${(pgw[r]! / 1000).toFixed(2)} s`)
        } catch (e) {
          console.log(`NOTICE: postgres COPY peer failed (${(e as Error).message}); no postgres ratio`)
          pgPeerOk = false
        }
      }
    }
    for (const [name, rs] of runs) {
      results.push([
        name,
        {
          write: median(rs.map((x) => x.write)),
          read: median(rs.map((x) => x.read)),
          stream: median(rs.map((x) => x.stream)),
        },
      ])
    }

    const rate = (ms: number) => `${Math.round((N / ms) * 1000).toLocaleString('en-US')} bars/s`.padStart(18)
    console.log('')
    console.log('store       write              read               stream')
    for (const [name, t] of results) console.log(`${name.padEnd(10)}${rate(t.write)} ${rate(t.read)} ${rate(t.stream)}`)
    const dW = median(dw)
    const dR = median(dr)
    const lW = median(lw)
    console.log(
      `${'duckdb peer'.padEnd(10)}${rate(dW)} ${rate(dR)}   (INSERT INTO keyed bars SELECT from memory; SELECT read as JS)`,
    )
    console.log(`${'  no key'.padEnd(10)}${rate(median(dwNoKey))}   (INSERT INTO bars without a key)`)
    console.log(`${'lake peer'.padEnd(10)}${rate(lW)}   (COPY TO Parquet, PARTITION_BY month)`)
    if (pgPeerOk) console.log(`${'pg peer'.padEnd(10)}${rate(median(pgw))}   (server-side COPY FROM csv)`)
    console.log('')
    const by = new Map(results)
    const ratio = (a: number, b: number) => (b / a).toFixed(2)
    const d = by.get('duckdb')!
    console.log(
      `ratio duckdb store / INSERT SELECT (write): ${ratio(d.write, dW)} (keyed), ${ratio(d.write, median(dwNoKey))} (no key); readBars / SELECT: ${ratio(d.read, dR)}`,
    )
    console.log(`ratio lake writeBars / COPY TO Parquet:     ${ratio(by.get('lake')!.write, lW)}`)
    const p = by.get('postgres')
    if (p && pgPeerOk) console.log(`ratio postgres store / COPY (write):        ${ratio(p.write, median(pgw))}`)
    console.log(`load average ${os.loadavg()[0]!.toFixed(1)} at the end`)
    console.log(`peak RSS: ${((process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0)} MB`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
