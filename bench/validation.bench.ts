/**
 * Validation benchmark: what `kestrel data validate` does (parse, every stage-1 and stage-2 check, calendar
 * choice and gaps) on 500-row adversarial files, several patterns, and on 1,000,000 clean 1-minute rows. CPU
 * time is the process's (process.cpuUsage), the fair measure on a shared machine; wall time beside it. Each
 * adversarial pattern is run once cold (the calendars have never seen its dates) and then 5 times (median).
 * Target: every 500-row pattern within 50 ms of CPU. No peer: the reference is the same checks before they were
 * bounded, when 400 rows of widely spaced years took 52 s of CPU (a gap walk over every day of the span).
 * Run: node --import tsx bench/validation.bench.ts [cleanRows] [runs]
 */
import { createWriteStream, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { mulberry32 } from '../src/core/index.ts'
import { inspectCsvFile, type ImportOptions } from '../src/data/index.ts'

const CLEAN = Number(process.argv[2] ?? 1_000_000)
const RUNS = Number(process.argv[3] ?? 5)
const ROWS = 500
const MIN = 60_000
const DAY = 86_400_000
const YEAR = 365 * DAY
const T0 = Date.UTC(2024, 0, 2, 14, 30)

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const iso = (t: number) => new Date(t).toISOString().replace('.000', '')

/** One row: time, then a bar around price `p`. */
const row = (t: number, p = 100) => `${iso(t)},${p},${p * 1.001},${p * 0.999},${p},10`
const mistyped = (t: number, years: number) => {
  const d = new Date(t)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return d.getTime()
}

/** name → (rows of the file, asset class: crypto is checked against 24/7, equity against NYSE). */
const PATTERNS: Record<string, { rows: (n: number) => string[]; assetClass: 'crypto' | 'equity' }> = {
  clean: { assetClass: 'crypto', rows: (n) => Array.from({ length: n }, (_, i) => row(T0 + i * MIN)) },
  'mistyped year, middle': {
    assetClass: 'crypto',
    rows: (n) => Array.from({ length: n }, (_, i) => row(i === n >> 1 ? mistyped(T0 + i * MIN, 1000) : T0 + i * MIN)),
  },
  'mistyped year, first and last': {
    assetClass: 'equity',
    rows: (n) =>
      Array.from({ length: n }, (_, i) => row(i === 0 || i === n - 1 ? mistyped(T0 + i * MIN, 974) : T0 + i * MIN)),
  },
  'every 3rd row a random year': {
    assetClass: 'equity',
    rows: (n) => {
      const u = mulberry32(3)
      return Array.from({ length: n }, (_, i) =>
        row(i % 3 === 1 ? Date.UTC(1971 + Math.floor(u() * 8000), 0, 1) : T0 + i * MIN),
      )
    },
  },
  'alternating years': {
    assetClass: 'crypto',
    rows: (n) => Array.from({ length: n }, (_, i) => row((i % 2 ? mistyped(T0, 5000) : T0) + i * MIN)),
  },
  'reversed in pairs': {
    assetClass: 'crypto',
    rows: (n) => Array.from({ length: n }, (_, i) => row(T0 + (i % 2 ? i - 1 : i + 1) * MIN)),
  },
  'one time repeated': { assetClass: 'crypto', rows: (n) => Array.from({ length: n }, () => row(T0)) },
  'appended to itself': {
    assetClass: 'crypto',
    rows: (n) => Array.from({ length: n }, (_, i) => row(T0 + (i % (n >> 1)) * MIN)),
  },
  'sorted, years apart (NYSE)': {
    assetClass: 'equity',
    rows: (n) =>
      Array.from({ length: n }, (_, i) =>
        row(Date.UTC(1971, 0, 4, 15) + Math.floor((i * 8000) / n) * YEAR + (i % 25) * MIN),
      ),
  },
  'widening gaps, i² hours': {
    assetClass: 'crypto',
    rows: (n) => Array.from({ length: n }, (_, i) => row(T0 + i * i * 3_600_000)),
  },
  'sawtooth prices 1e9 / 1e-9': {
    assetClass: 'crypto',
    rows: (n) => Array.from({ length: n }, (_, i) => row(T0 + i * MIN, i % 2 ? 1e-9 : 1e9)),
  },
}

async function measure(
  file: string,
  opts: ImportOptions,
): Promise<{ cpu: number; wall: number; findings: number; rows: number }> {
  const c = cpuMs()
  const t = performance.now()
  const ins = await inspectCsvFile(file, opts)
  return {
    cpu: cpuMs() - c,
    wall: performance.now() - t,
    findings: ins.findings.length,
    rows: ins.accepted.openTime.length,
  }
}

async function writeClean(path: string, n: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 })
  const u = mulberry32(20240102)
  let p = 100
  let buf = 'timestamp,open,high,low,close,volume\n'
  for (let i = 0; i < n; i++) {
    const o = p
    const c = Math.max(1, o * (1 + (u() - 0.5) * 0.002))
    p = c
    buf += `${iso(Date.UTC(2015, 0, 1) + i * MIN)},${o.toFixed(2)},${(Math.max(o, c) * (1 + u() * 0.0005)).toFixed(2)},${(Math.min(o, c) * (1 - u() * 0.0005)).toFixed(2)},${c.toFixed(2)},${Math.floor(u() * 1e4) + 1}\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()))
      buf = ''
    }
  }
  out.end(buf)
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject))
}

async function main(): Promise<void> {
  const cpus = os.cpus()
  console.log(
    `workload: inspectCsvFile (data validate) on ${ROWS}-row adversarial 1m files and ${CLEAN.toLocaleString('en-US')} clean 1m rows`,
  )
  console.log(
    `machine:  ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  )
  const dir = await mkdtemp(join(os.tmpdir(), 'kestrel-bench-validation-'))
  try {
    // Warm the JIT on a clean file with dates no pattern uses.
    const warm = join(dir, 'WARM_1m.csv')
    writeFileSync(
      warm,
      [
        'timestamp,open,high,low,close,volume',
        ...Array.from({ length: 2000 }, (_, i) => row(Date.UTC(1990, 0, 1) + i * MIN)),
      ].join('\n'),
    )
    for (let r = 0; r < 5; r++) await measure(warm, { symbol: 'W', assetClass: 'crypto' })

    console.log('')
    console.log(
      `${'pattern'.padEnd(32)} ${'cold CPU'.padStart(9)} ${'CPU'.padStart(8)} ${'wall'.padStart(8)}  findings  valid`,
    )
    let worst = 0
    for (const [name, p] of Object.entries(PATTERNS)) {
      const file = join(dir, 'ADV_1m.csv')
      writeFileSync(file, ['timestamp,open,high,low,close,volume', ...p.rows(ROWS)].join('\n') + '\n')
      const opts: ImportOptions = { symbol: 'ADV', assetClass: p.assetClass, timeframe: '1m' }
      const cold = await measure(file, opts)
      const runs = []
      for (let r = 0; r < RUNS; r++) runs.push(await measure(file, opts))
      const cpu = median(runs.map((x) => x.cpu))
      worst = Math.max(worst, cold.cpu, cpu)
      console.log(
        `${name.padEnd(32)} ${cold.cpu.toFixed(1).padStart(6)} ms ${cpu.toFixed(1).padStart(5)} ms ${median(
          runs.map((x) => x.wall),
        )
          .toFixed(1)
          .padStart(5)} ms  ${String(cold.findings).padStart(8)}  ${String(cold.rows).padStart(5)}`,
      )
    }
    console.log(`worst ${ROWS}-row CPU: ${worst.toFixed(1)} ms (target <= 50 ms)`)

    const clean = join(dir, 'SYN_1m.csv')
    await writeClean(clean, CLEAN)
    const res = []
    for (let r = 0; r < Math.min(RUNS, 3); r++)
      res.push(await measure(clean, { symbol: 'SYN', assetClass: 'crypto', timeframe: '1m' }))
    if (res[0]!.rows !== CLEAN) throw new Error(`expected ${CLEAN} valid rows, got ${res[0]!.rows}`)
    const cpu = median(res.map((x) => x.cpu))
    const wall = median(res.map((x) => x.wall))
    console.log('')
    console.log(
      `${CLEAN.toLocaleString('en-US')} clean rows (median of ${res.length}): CPU ${(cpu / 1000).toFixed(2)} s, wall ${(wall / 1000).toFixed(2)} s, ${Math.round((CLEAN / cpu) * 1000).toLocaleString('en-US')} rows per CPU second`,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
