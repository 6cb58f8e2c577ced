/**
 * Resampling benchmark: 10,000,000 synthetic 1-minute bars → 5-minute bars, 24/7 (UTC-aligned) and NYSE
 * (extended-hours data resampled to regular-hours sessions anchored at 09:30 New York). Peer, in the same run:
 * DuckDB (in-memory) doing the same aggregation with time_bucket / GROUP BY (24/7) and an ASOF join to the
 * session table (NYSE), materialised into a temp table, all threads and one thread. Prints wall and CPU time
 * (user + system over all threads): on a shared, busy machine CPU time is the steadier figure.
 * Run: node --import tsx --expose-gc bench/resample.bench.ts [bars]
 */
import os from 'node:os'
import { DOUBLE, DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'
import { barAt } from '../src/core/index.ts'
import type { BarSeries } from '../src/core/index.ts'
import { BarClock, StreamingResampler, generateMarket, getCalendar, resample } from '../src/data/index.ts'
import type { ResampledSeries } from '../src/data/index.ts'

const N = Number(process.argv[2] ?? 10_000_000)
const RUNS = 5
const PEER_RUNS = 3
const TF = 300_000
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function mem(): string {
  const m = process.memoryUsage()
  return `rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, arrayBuffers ${mb(m.arrayBuffers)}, peak rss ${mb(process.resourceUsage().maxRSS * 1024)}`
}

/** Wall and CPU (user + system, all threads) milliseconds of one run: CPU time stays honest on a busy machine. */
interface Timing {
  wall: number
  cpu: number
}

async function timeAsync(runs: number, f: () => Promise<unknown>): Promise<Timing> {
  const wall: number[] = []
  const cpu: number[] = []
  for (let r = 0; r < runs; r++) {
    gc()
    const c0 = process.cpuUsage()
    const t = performance.now()
    await f()
    wall.push(performance.now() - t)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  return { wall: median(wall), cpu: median(cpu) }
}

function timeSync<T>(runs: number, f: () => T): Timing & { last: T } {
  const wall: number[] = []
  const cpu: number[] = []
  let last: T | undefined
  for (let r = 0; r < runs; r++) {
    gc()
    const c0 = process.cpuUsage()
    const t = performance.now()
    last = f()
    wall.push(performance.now() - t)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  return { wall: median(wall), cpu: median(cpu), last: last! }
}

/** Loads the columns into DuckDB through the data-chunk appender (setup, not timed). */
async function load(con: DuckDBConnection, cols: Float64Array[]): Promise<void> {
  await con.run('CREATE TABLE raw (ms247 DOUBLE, msext DOUBLE, o DOUBLE, h DOUBLE, l DOUBLE, c DOUBLE, v DOUBLE)')
  const ap = await con.createAppender('raw')
  const types = cols.map(() => DOUBLE)
  for (let s = 0; s < N; s += 2048) {
    const e = Math.min(N, s + 2048)
    const chunk = DuckDBDataChunk.create(types, e - s)
    chunk.setColumns(cols.map((a) => Array.from(a.subarray(s, e))))
    ap.appendDataChunk(chunk)
  }
  ap.closeSync()
  await con.run(
    `CREATE TABLE bars AS SELECT epoch_ms(ms247::BIGINT) AS ts, msext::BIGINT AS msext, o, h, l, c, v FROM raw`,
  )
  await con.run('DROP TABLE raw')
}

const Q247 = `CREATE OR REPLACE TEMP TABLE r247 AS
  SELECT time_bucket(INTERVAL '5 minutes', ts) AS t, arg_min(o, ts) AS o, max(h) AS h, min(l) AS l,
         arg_max(c, ts) AS c, sum(v) AS v, count(*) AS n
  FROM bars GROUP BY 1 ORDER BY 1`
const QNYSE = `CREATE OR REPLACE TEMP TABLE rnyse AS
  WITH j AS (
    SELECT s.open + ((b.msext - s.open) // ${TF}) * ${TF} AS t, s.close AS sc, b.msext AS ms, o, h, l, c, v
    FROM bars b ASOF JOIN sessions s ON b.msext >= s.open WHERE b.msext < s.close)
  SELECT t, least(t + ${TF}, any_value(sc)) AS ct, arg_min(o, ms) AS o, max(h) AS h, min(l) AS l,
         arg_max(c, ms) AS c, sum(v) AS v, count(*) AS n
  FROM j GROUP BY t ORDER BY t`

function sums(s: ResampledSeries): number[] {
  const f = (a: ArrayLike<number>) => {
    let x = 0
    for (let i = 0; i < a.length; i++) x += a[i]!
    return x
  }
  return [s.openTime.length, f(s.volume), f(s.open), f(s.high), f(s.low), f(s.close), f(s.count)]
}

async function check(con: DuckDBConnection, table: string, mine: ResampledSeries, label: string): Promise<void> {
  const r = await con.runAndReadAll(`SELECT count(*), sum(v), sum(o), sum(h), sum(l), sum(c), sum(n) FROM ${table}`)
  const duck = (r.getRows()[0] as unknown[]).map(Number)
  const m = sums(mine)
  const order = [0, 1, 2, 3, 4, 5, 6]
  const ok = order.every((i) => Math.abs(duck[i]! - m[i]!) <= 1e-9 * Math.max(1, Math.abs(m[i]!)))
  if (!ok) throw new Error(`${label}: DuckDB and Kestrel disagree: ${duck.join(', ')} vs ${m.join(', ')}`)
  console.log(
    `  check ${label}: DuckDB and Kestrel agree on ${m[0]} bars (count, Σvolume, Σopen, Σhigh, Σlow, Σclose, Σminutes)`,
  )
}

async function main(): Promise<void> {
  const cpu = os.cpus()
  console.log(`resample bench: ${N.toLocaleString('en')} 1m bars → 5m; median of ${RUNS} runs (DuckDB ${PEER_RUNS})`)
  console.log(
    `machine: ${cpu[0]?.model ?? '?'}, ${cpu.length} cores, Node ${process.version}, load avg ${os.loadavg()[0]!.toFixed(1)}`,
  )

  let t = performance.now()
  const [chunk] = [
    ...generateMarket({ symbols: 1, bars: N, seed: 1, chunkSize: N, calendar: '24/7', start: Date.UTC(2000, 0, 1) }),
  ]
  const s247 = chunk!.series[0]!
  // Same prices on the extended-hours NYSE clock (04:00–20:00 New York), to be resampled to regular hours.
  const extTimes = new Float64Array(N)
  const clock = new BarClock(getCalendar('NYSE_EXT'), 60_000, Date.UTC(1990, 0, 2))
  for (let i = 0; i < N; i++) {
    clock.next()
    extTimes[i] = clock.t
  }
  const sExt: BarSeries = { ...s247, openTime: extTimes, closeTime: extTimes.map((x) => x + 60_000) }
  console.log(`data: generated in ${((performance.now() - t) / 1000).toFixed(1)} s; ${mem()}`)
  console.log(
    `  NYSE variant spans ${new Date(extTimes[0]!).toISOString().slice(0, 10)} → ${new Date(extTimes[N - 1]!).toISOString().slice(0, 10)}`,
  )

  const rows: ({ name: string } & Timing)[] = []
  const before = process.resourceUsage().maxRSS
  const a = timeSync(RUNS, () => resample(s247, { to: '5m', calendar: '24/7' }))
  rows.push({ name: 'kestrel resample 24/7', ...a })
  const b = timeSync(RUNS, () => resample(sExt, { to: '5m', calendar: 'NYSE' }))
  rows.push({ name: 'kestrel resample NYSE (RTH from ext-hours data)', ...b })
  const outBytes = (s: ResampledSeries) => s.openTime.length * (7 * 8 + 2 * 4)
  console.log(
    `kestrel: output 24/7 ${a.last.openTime.length} bars (${mb(outBytes(a.last))}), NYSE ${b.last.openTime.length} bars, ${b.last.outsideSession} outside sessions`,
  )
  console.log(
    `  memory after kestrel runs: ${mem()}; peak rss grew ${mb((process.resourceUsage().maxRSS - before) * 1024)} during them`,
  )

  const st = timeSync(3, () => {
    const r = new StreamingResampler({ to: '5m', calendar: '24/7' })
    let k = 0
    for (let i = 0; i < N; i++) k += r.update(barAt(s247, i)).length
    return k + r.flush().length
  })
  if (st.last !== a.last.openTime.length)
    throw new Error(`streaming made ${st.last} bars, batch ${a.last.openTime.length}`)
  rows.push({ name: 'kestrel StreamingResampler 24/7 (Bar objects)', ...st })

  t = performance.now()
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  await load(con, [s247.openTime, extTimes, s247.open, s247.high, s247.low, s247.close, s247.volume])
  const sessions = getCalendar('NYSE').sessions(extTimes[0]!, extTimes[N - 1]! + 60_000)
  await con.run('CREATE TABLE sessions (open BIGINT, close BIGINT)')
  const ap = await con.createAppender('sessions')
  for (const s of sessions) {
    ap.appendBigInt(BigInt(s.open))
    ap.appendBigInt(BigInt(s.close))
    ap.endRow()
  }
  ap.closeSync()
  console.log(
    `duckdb: loaded in ${((performance.now() - t) / 1000).toFixed(1)} s (${sessions.length} sessions); ${mem()}`,
  )

  for (const threads of [os.cpus().length, 1]) {
    await con.run(`SET threads = ${threads}`)
    rows.push({
      name: `duckdb time_bucket 24/7, ${threads} thread(s)`,
      ...(await timeAsync(PEER_RUNS, () => con.run(Q247))),
    })
    rows.push({
      name: `duckdb ASOF sessions NYSE, ${threads} thread(s)`,
      ...(await timeAsync(PEER_RUNS, () => con.run(QNYSE))),
    })
  }
  await check(con, 'r247', a.last, '24/7')
  await check(con, 'rnyse', b.last, 'NYSE')
  console.log(`  memory after duckdb: ${mem()}`)

  console.log('')
  console.log(`load avg at the end: ${os.loadavg()[0]!.toFixed(1)}`)
  console.log('| run | wall ms | CPU ms | M bars/s (wall) | M bars/CPU-s | wall ÷ kestrel | CPU ÷ kestrel |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    const mine = r.name.includes('NYSE') ? b : a
    const cells = [
      r.name,
      r.wall.toFixed(0),
      r.cpu.toFixed(0),
      (N / r.wall / 1000).toFixed(1),
      (N / r.cpu / 1000).toFixed(1),
      `${(r.wall / mine.wall).toFixed(2)}×`,
      `${(r.cpu / mine.cpu).toFixed(2)}×`,
    ]
    console.log(`| ${cells.join(' | ')} |`)
  }
  con.closeSync()
  db.closeSync()
}

await main()
