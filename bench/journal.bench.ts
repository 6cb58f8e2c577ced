/**
 * Journal benchmark: appends of a typical order record (about 300 bytes of JSON) in each durability mode,
 * CPU µs and wall µs per record, median of RUNS. Durability: `os` = in the operating system when append
 * returns (survives a process kill), `fsync` = fdatasync per record (survives a power cut), `batch` = group
 * commit (fdatasync per 256 records or 20 ms).
 * Peers in the same run: a plain `fs.writeSync` of the same line without hashing (the floor of `os`), and a
 * PostgreSQL INSERT per record in autocommit (the shared store's durable commit; skipped with a notice when no
 * server answers on 127.0.0.1:5432).
 * Run: node --import tsx --expose-gc bench/journal.bench.ts [records] [runs]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { FileJournal, type Durability } from '../src/engine/journal/index.ts'

const N = Number(process.argv[2] ?? 20_000)
const RUNS = Number(process.argv[3] ?? 5)
const dir = mkdtempSync(join(os.tmpdir(), 'kestrel-journal-bench-'))
const record = (i: number) => ({
  kind: 'FILL',
  fill: {
    fillId: `F-${i}`,
    clientOrderId: `N1-S1-${i}`,
    venueOrderId: `V${i}`,
    strategyId: 'ema-cross',
    instrumentId: 'SPY.ARCA',
    side: i % 2 ? 'SELL' : 'BUY',
    quantity: 100,
    price: 412.37 + (i % 100) / 100,
    fee: 0.35,
    feeCurrency: 'USD',
    liquidity: 'TAKER',
    time: 1_700_000_000_000 + i,
  },
})

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function measure(n: number, body: (n: number) => void | Promise<void>): Promise<{ cpu: number; wall: number }> {
  return (async () => {
    const c0 = process.cpuUsage()
    const w0 = performance.now()
    await body(n)
    const w = performance.now() - w0
    const c = process.cpuUsage(c0)
    return { cpu: (c.user + c.system) / n, wall: (w * 1000) / n }
  })()
}

async function main(): Promise<void> {
  console.log(`journal: ${N.toLocaleString('en-US')} records per run (fsync: ${Math.min(N, 2000)}), median of ${RUNS}`)
  console.log(
    `machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, Node ${process.version}, ${os.tmpdir()}`,
  )
  const rows: { name: string; cpu: number; wall: number }[] = []
  let k = 0
  const modes: Durability[] = ['os', 'batch', 'fsync']
  for (const mode of modes) {
    const n = mode === 'fsync' ? Math.min(N, 2000) : N
    const cpu: number[] = []
    const wall: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const path = join(dir, `j${++k}`)
      const j = FileJournal.open(path, { durability: mode })
      const m = await measure(n, (count) => {
        for (let i = 0; i < count; i++) j.append('report', record(i), 1_700_000_000_000 + i)
        j.sync()
      })
      j.close()
      cpu.push(m.cpu)
      wall.push(m.wall)
    }
    rows.push({ name: `journal ${mode}`, cpu: median(cpu), wall: median(wall) })
  }
  {
    const cpu: number[] = []
    const wall: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const fd = openSync(join(dir, `raw${++k}`), 'a')
      const m = await measure(N, (count) => {
        for (let i = 0; i < count; i++) {
          const b = Buffer.from(`${JSON.stringify({ seq: i, data: record(i) })}\n`)
          writeSync(fd, b)
        }
      })
      closeSync(fd)
      cpu.push(m.cpu)
      wall.push(m.wall)
    }
    rows.push({ name: 'peer: fs.writeSync, no hash', cpu: median(cpu), wall: median(wall) })
  }
  try {
    const pg = await import('pg')
    const client = new pg.default.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' })
    await client.connect()
    await client.query('CREATE TEMP TABLE journal_bench (seq bigint primary key, data jsonb)')
    const n = Math.min(N, 2000)
    const cpu: number[] = []
    const wall: number[] = []
    let seq = 0
    for (let r = 0; r < RUNS; r++) {
      const m = await measure(n, async (count) => {
        for (let i = 0; i < count; i++)
          await client.query('INSERT INTO journal_bench VALUES ($1, $2)', [++seq, JSON.stringify(record(i))])
      })
      cpu.push(m.cpu)
      wall.push(m.wall)
    }
    await client.end()
    rows.push({ name: 'peer: PostgreSQL INSERT, autocommit', cpu: median(cpu), wall: median(wall) })
  } catch (e) {
    console.log(`(PostgreSQL peer skipped: ${(e as Error).message})`)
  }
  const base = rows.find((r) => r.name === 'journal os')!
  console.log('\n| store | CPU µs/record | wall µs/record | records/s (wall) | wall vs journal os |')
  console.log('|---|---:|---:|---:|---:|')
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.cpu.toFixed(2)} | ${r.wall.toFixed(2)} | ${Math.round(1e6 / r.wall).toLocaleString('en-US')} | ${(r.wall / base.wall).toFixed(2)}× |`,
    )
  rmSync(dir, { recursive: true, force: true })
}

await main()
