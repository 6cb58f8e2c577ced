/**
 * CSV import benchmark: a synthetic 1-minute CSV (2,000,000 rows by default, so three runs of each take well under
 * a minute; ISO timestamps, streamed to a temp dir and deleted at the end) imported into a fresh DuckDB file through Kestrel's full path: the JS byte-level parse and
 * hash, every row validated (OHLC rules, order, bad ticks, returns, splits, 24/7 gaps), then the appender into
 * `bars` plus the ingestion log in one transaction (on one DuckDB thread, as the store runs an import). The store keeps keys unique in its writes; a second line
 * measures the same import into a store that also declares DuckDB's PRIMARY KEY (`primaryKey: true`), to show
 * what building that index costs. Peer in the same run: DuckDB's own `CREATE TABLE t AS SELECT * FROM
 * read_csv(file)` into a fresh DuckDB file (no validation, no key). CPU is the process's (all threads: ours and
 * DuckDB's), wall the elapsed time; the ratio is DuckDB's time over Kestrel's (throughput relative to DuckDB).
 * Run: node --import tsx --expose-gc bench/csv-import.bench.ts [rows] [runs]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { DuckDbStore, importCsvFile } from '../src/data/index.ts'
import { writeRandomWalkCsv } from './random-walk-csv.ts'

const N = Number(process.argv[2] ?? 2_000_000)
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

async function kestrelImport(
  csv: string,
  db: string,
  primaryKey: boolean,
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
    console.log(
      `machine:  ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}`,
    )
    const t = performance.now()
    await writeRandomWalkCsv(csv, N)
    const size = (await stat(csv)).size
    console.log(`file:     ${mb(size)} written in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)`)

    const ours: number[] = []
    const oursKey: number[] = []
    const cpu = { ours: [] as number[], oursKey: [] as number[], peer: [] as number[] }
    for (let r = 0; r < RUNS; r++) {
      for (const primaryKey of [false, true]) {
        gc()
        const file = join(dir, `k${r}${primaryKey ? 'k' : ''}.duckdb`)
        const res = await kestrelImport(csv, file, primaryKey)
        await rm(file, { force: true })
        ;(primaryKey ? oursKey : ours).push(res.ms)
        ;(primaryKey ? cpu.oursKey : cpu.ours).push(res.cpu)
        console.log(
          `  kestrel${primaryKey ? ' (declared primary key)' : ''} run ${r + 1}: ${(res.ms / 1000).toFixed(2)} s, CPU ${(res.cpu / 1000).toFixed(2)} s (${res.detail})`,
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
    const kk = median(oursKey)
    const d = median(peer)
    const [kc, kkc, dc] = [median(cpu.ours), median(cpu.oursKey), median(cpu.peer)]
    const rate = (ms: number) => `${((N / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })} rows/s`
    const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(8)
    console.log('')
    console.log(`medians                                       wall  CPU (all threads)  rows per wall second`)
    console.log(`kestrel import (parse + validate + store): ${sec(k)}  ${sec(kc)}           ${rate(k)}`)
    console.log(`  same, store declaring the primary key:   ${sec(kk)}  ${sec(kkc)}           ${rate(kk)}`)
    console.log(`duckdb CREATE TABLE AS read_csv:           ${sec(d)}  ${sec(dc)}           ${rate(d)}`)
    console.log(
      `ratio duckdb time / kestrel time:          ${(d / k).toFixed(2)} wall, ${(dc / kc).toFixed(2)} CPU  (target >= 0.5 on both)`,
    )
    console.log(`  with the declared primary key:           ${(d / kk).toFixed(2)} wall, ${(dc / kkc).toFixed(2)} CPU`)
    console.log(
      `peak RSS: ${mb(oursPeak)} after the kestrel runs, ${mb(peakRss())} after all runs; load average ${os.loadavg()[0]!.toFixed(1)}`,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
