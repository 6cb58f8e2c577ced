/**
 * CSV import benchmark: a synthetic 1-minute CSV (ISO timestamps, streamed to a temp dir and deleted at the end)
 * imported into a fresh DuckDB file through Kestrel's full path: the JS byte-level parse and hash, every row
 * validated (OHLC rules, order, bad ticks, returns, splits, 24/7 gaps) with quarantine, bars plus the ingestion
 * log in one transaction. Three ways, interleaved run by run: `staged` is what `kestrel data import` does (every
 * parsed row copied into a temporary table and inserted into `bars` by DuckDB's threads while the JS thread
 * validates, the rejected rows deleted at commit); `validate, then store` validates first and then appends the
 * accepted rows; the third is `staged` into a store that also declares DuckDB's PRIMARY KEY, to show what that
 * index costs. Peer in the same run: DuckDB's own `CREATE TABLE t AS SELECT * FROM read_csv(file)` into a fresh
 * DuckDB file (no validation, no key). CPU is the process's (all threads: ours and DuckDB's), wall the elapsed
 * time; the ratio is DuckDB's time over Kestrel's (throughput relative to DuckDB).
 * Run: node --import tsx --expose-gc bench/csv-import.bench.ts [rows] [runs]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { DuckDbStore, importCsvFile, inspectCsvFile, storeInspection } from '../src/data/index.ts'
import { writeRandomWalkCsv } from './random-walk-csv.ts'

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

/** How Kestrel's import is run: `staged` is `importCsvFile` (the store writes while the rows are validated). */
type Mode = 'staged' | 'staged, declared primary key' | 'validate, then store'
const MODES: readonly Mode[] = ['staged', 'validate, then store', 'staged, declared primary key']

async function kestrelImport(
  csv: string,
  db: string,
  mode: Mode,
): Promise<{ ms: number; cpu: number; rows: number; detail: string }> {
  const store = new DuckDbStore(db, { primaryKey: mode === 'staged, declared primary key' })
  await store.init()
  const t = performance.now()
  const c = cpuMs()
  const opts = { symbol: 'SYN', venue: 'BENCH', assetClass: 'crypto', timeframe: '1m' } as const
  const r =
    mode === 'validate, then store'
      ? await storeInspection(store, await inspectCsvFile(csv, opts))
      : await importCsvFile(store, csv, opts)
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

    const wall = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
    const cpu = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
    const peerCpu: number[] = []
    for (let r = 0; r < RUNS; r++) {
      for (const mode of MODES) {
        gc()
        const file = join(dir, `k${r}${MODES.indexOf(mode)}.duckdb`)
        const res = await kestrelImport(csv, file, mode)
        await rm(file, { force: true })
        wall.get(mode)!.push(res.ms)
        cpu.get(mode)!.push(res.cpu)
        console.log(
          `  kestrel (${mode}) run ${r + 1}: ${(res.ms / 1000).toFixed(2)} s, CPU ${(res.cpu / 1000).toFixed(2)} s (${res.detail})`,
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
      peerCpu.push(res.cpu)
      console.log(
        `  duckdb read_csv run ${r + 1}: ${(res.ms / 1000).toFixed(2)} s, CPU ${(res.cpu / 1000).toFixed(2)} s`,
      )
    }
    const d = median(peer)
    const dc = median(peerCpu)
    const rate = (ms: number) => `${((N / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })} rows/s`
    const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(8)
    const label = (s: string) => s.padEnd(44)
    console.log('')
    console.log(`${label('medians')}    wall  CPU (all threads)  rows per wall second  ratio duckdb/kestrel wall, CPU`)
    for (const m of MODES) {
      const [k, kc] = [median(wall.get(m)!), median(cpu.get(m)!)]
      console.log(
        `${label(`kestrel import (${m}):`)}${sec(k)}  ${sec(kc)}           ${rate(k).padEnd(20)}  ${(d / k).toFixed(2)}, ${(dc / kc).toFixed(2)}`,
      )
    }
    console.log(`${label('duckdb CREATE TABLE AS read_csv:')}${sec(d)}  ${sec(dc)}           ${rate(d)}`)
    console.log('target: ratio >= 0.5 on both wall and CPU for `staged` (what `kestrel data import` does)')
    console.log(
      `peak RSS: ${mb(oursPeak)} after the kestrel runs, ${mb(peakRss())} after all runs; load average ${os.loadavg()[0]!.toFixed(1)}`,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
