/**
 * CSV import benchmark: a 10,000,000-row synthetic 1-minute CSV (ISO timestamps, streamed to a temp dir and
 * deleted at the end) imported into a fresh DuckDB file through Kestrel's full path (byte-level parse, every row
 * validated — OHLC rules, order, bad ticks, returns, splits, 24/7 gaps — then appender → bars, whose primary key a
 * new file declares right after this first load (one-pass index build, timed), plus the ingestion log). Peer in the same run: DuckDB's own `CREATE TABLE t AS SELECT * FROM read_csv(file)`
 * into a fresh DuckDB file (no validation, no key). Also measured: Kestrel's path into a store whose bars table has
 * no declared PRIMARY KEY (the store still never duplicates a key), to show what DuckDB's index costs.
 * Last run here (2026-11-21, AMD EPYC, 2 cores, Node 20.20.2, machine shared, load average 12-20, so wall times are
 * 3-7x the CPU times): Kestrel 73.6 s wall / 17.4 s CPU, without the declared key 38.6 s / 10.3 s; DuckDB 14.9 s /
 * 4.7 s. Ratio 0.20 wall, 0.27 CPU (0.38 / 0.45 without the key); peak RSS 2.2 GB (DuckDB's key index build).
 * Bars stored under an integer series id cut Kestrel's CPU by about 21% against the layout with two VARCHAR
 * columns (1M rows, 3 runs each, same load: 1.48 -> 1.16 s without the key, 2.34 -> 1.85 s with it).
 * Run: node --import tsx --expose-gc bench/csv-import.bench.ts [rows] [runs]
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { mulberry32 } from '../src/core/index.ts'
import { DuckDbStore, importCsvFile } from '../src/data/index.ts'

const N = Number(process.argv[2] ?? 10_000_000)
const RUNS = Number(process.argv[3] ?? 3)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`
const peakRss = () => process.resourceUsage().maxRSS * 1024
/** Process CPU time (ms, all threads: ours and DuckDB's), the fair measure on a shared machine. */
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** Streams a random-walk 1-minute OHLCV file with `n` rows (seeded). */
async function writeCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 })
  const u = mulberry32(20240102)
  const t0 = Date.UTC(2005, 0, 1)
  let price = 100
  let buf = 'timestamp,open,high,low,close,volume\n'
  for (let i = 0; i < n; i++) {
    const open = price
    const close = Math.max(1, open * (1 + (u() - 0.5) * 0.002))
    const high = Math.max(open, close) * (1 + u() * 0.0005)
    const low = Math.min(open, close) * (1 - u() * 0.0005)
    price = close
    const vol = Math.floor(u() * 10_000) + 1
    buf += `${new Date(t0 + i * 60_000).toISOString().slice(0, 19)}Z,${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${vol}\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()))
      buf = ''
    }
  }
  out.end(buf)
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject))
}

async function kestrelImport(
  csv: string,
  db: string,
  primaryKey = true,
): Promise<{ ms: number; cpu: number; rows: number; detail: string }> {
  const store = new DuckDbStore(db, { primaryKey })
  await store.init()
  const t = performance.now()
  const c = cpuMs()
  const r = await importCsvFile(store, csv, { symbol: 'SYN', venue: 'BENCH', assetClass: 'crypto', timeframe: '1m' })
  const ms = performance.now() - t
  const cpu = cpuMs() - c
  await store.close()
  if (r.rowsInserted !== N)
    throw new Error(`expected ${N} rows inserted, got ${r.rowsInserted} (${JSON.stringify(r.errorsByReason)})`)
  const tm = r.timings
  return {
    ms,
    cpu,
    rows: r.rowsInserted,
    detail: `parse+hash ${(tm.parseMs / 1000).toFixed(2)} s, validate ${(tm.validateMs / 1000).toFixed(2)} s, store ${(tm.storeMs / 1000).toFixed(2)} s`,
  }
}

async function duckdbReadCsv(csv: string, db: string): Promise<{ ms: number; cpu: number; rows: number }> {
  const inst = await DuckDBInstance.create(db)
  const con = await inst.connect()
  const t = performance.now()
  const c = cpuMs()
  await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv.replace(/'/g, "''")}')`)
  const ms = performance.now() - t
  const cpu = cpuMs() - c
  const rows = Number((await con.runAndReadAll('SELECT count(*)::DOUBLE FROM t')).getRows()[0]![0])
  con.closeSync()
  inst.closeSync()
  return { ms, cpu, rows }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'kestrel-bench-csv-'))
  try {
    const csv = join(dir, 'SYN_1m.csv')
    const cpus = os.cpus()
    console.log(
      `workload: CSV import of ${N.toLocaleString('en-US')} synthetic 1-minute bars, ${RUNS} runs each, median`,
    )
    console.log(`machine:  ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}`)
    const t = performance.now()
    await writeCsv(csv, N)
    const size = (await stat(csv)).size
    console.log(`file:     ${mb(size)} written in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)`)

    const ours: number[] = []
    const oursNoKey: number[] = []
    const cpu = { ours: [] as number[], oursNoKey: [] as number[], peer: [] as number[] }
    for (let r = 0; r < RUNS; r++) {
      for (const primaryKey of [true, false]) {
        gc()
        const file = join(dir, `k${r}${primaryKey ? '' : 'n'}.duckdb`)
        const res = await kestrelImport(csv, file, primaryKey)
        await rm(file, { force: true })
        ;(primaryKey ? ours : oursNoKey).push(res.ms)
        ;(primaryKey ? cpu.ours : cpu.oursNoKey).push(res.cpu)
        console.log(
          `  kestrel${primaryKey ? '' : ' (no declared key)'} run ${r + 1}: ${(res.ms / 1000).toFixed(2)} s, CPU ${(res.cpu / 1000).toFixed(2)} s (${res.detail})`,
        )
      }
    }
    const oursPeak = peakRss()
    const peer: number[] = []
    for (let r = 0; r < RUNS; r++) {
      gc()
      const res = await duckdbReadCsv(csv, join(dir, `d${r}.duckdb`))
      await rm(join(dir, `d${r}.duckdb`), { force: true })
      if (res.rows !== N) throw new Error(`duckdb read ${res.rows} rows`)
      peer.push(res.ms)
      cpu.peer.push(res.cpu)
      console.log(
        `  duckdb read_csv run ${r + 1}: ${(res.ms / 1000).toFixed(2)} s, CPU ${(res.cpu / 1000).toFixed(2)} s`,
      )
    }
    const k = median(ours)
    const kn = median(oursNoKey)
    const d = median(peer)
    const [kc, knc, dc] = [median(cpu.ours), median(cpu.oursNoKey), median(cpu.peer)]
    const rate = (ms: number) => `${((N / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })} rows/s`
    const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log('')
    console.log(`medians                                    wall      CPU (all threads)`)
    console.log(`kestrel import (parse + validate + store): ${sec(k)}  ${sec(kc)}  ${rate(k)}`)
    console.log(`  same, bars without a declared key:       ${sec(kn)}  ${sec(knc)}  ${rate(kn)}`)
    console.log(`duckdb CREATE TABLE AS read_csv:           ${sec(d)}  ${sec(dc)}  ${rate(d)}`)
    console.log(
      `ratio kestrel / duckdb (throughput):       ${(d / k).toFixed(2)} wall, ${(dc / kc).toFixed(2)} CPU  (target >= 0.5)`,
    )
    console.log(`  without the declared key:                ${(d / kn).toFixed(2)} wall, ${(dc / knc).toFixed(2)} CPU`)
    console.log(`peak RSS: ${mb(oursPeak)} after the kestrel runs, ${mb(peakRss())} after all runs`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
