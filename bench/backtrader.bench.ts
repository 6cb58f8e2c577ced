/**
 * Whole-process backtest against backtrader: the same long-only SMA(10)/SMA(30) cross (buy 10 at market on the
 * cross up when flat, sell all on the cross down, fills at the next bar's open, no fees, a cash account of
 * 100,000) on the same seeded random walk of one-minute bars written to CSV (200,000 and 1,000,000 rows by
 * default). Each side is one child process timed from start to exit by /usr/bin/time: CPU is user + sys of the
 * child, wall its elapsed time. Kestrel's side is `node bin/kestrel.mjs backtest --data FILE --json`, so it
 * includes start-up and the three-stage validation of every row; backtrader's is bench/peers/backtrader_sma_cross.py
 * (GenericCSVData, `stdstats=False`, so no observers). Fill counts, closed trades and final equity must agree.
 * backtrader's source is looked for in KESTREL_BACKTRADER_DIR, else ../peers/backtrader beside the repo; without
 * it (or without python3 or /usr/bin/time) the benchmark prints a notice and exits 0.
 * Run: KESTREL_BACKTRADER_DIR=/path/to/backtrader node --import tsx bench/backtrader.bench.ts [rows,rows] [runs]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeRandomWalkCsv } from './random-walk-csv.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SIZES = (process.argv[2] ?? '200000,1000000').split(',').map(Number)
const RUNS = Number(process.argv[3] ?? 1)
const FAST = 10
const SLOW = 30
const SIZE = 10
const CASH = 100_000
const BT_DIR = resolve(process.env.KESTREL_BACKTRADER_DIR ?? join(ROOT, '..', 'peers', 'backtrader'))
const TIME = '/usr/bin/time'

interface Timed {
  readonly cpuS: number
  readonly wallS: number
  readonly rssMb: number
  readonly stdout: string
}

interface Outcome {
  readonly fills: number
  readonly closedTrades: number
  readonly finalEquity: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** Runs `cmd args` under /usr/bin/time; CPU = user + sys of the child (and its children). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const out = join(os.tmpdir(), `kestrel-bench-time-${process.pid}.txt`)
  const r = spawnSync(TIME, ['-f', '%U %S %e %M', '-o', out, cmd, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`)
  const [user, sys, wall, rssKb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(/\s+/).map(Number)
  return { cpuS: user! + sys!, wallS: wall!, rssMb: rssKb! / 1024, stdout: r.stdout }
}

function kestrel(csv: string): Timed & Outcome {
  const t = timed(process.execPath, [
    'bin/kestrel.mjs',
    'backtest',
    '--data',
    csv,
    '--strategy',
    'sma-cross',
    '--param',
    `fast=${FAST}`,
    '--param',
    `slow=${SLOW}`,
    '--size',
    String(SIZE),
    '--cash',
    String(CASH),
    '--account',
    'cash',
    '--json',
  ])
  const j = JSON.parse(t.stdout) as { fills: unknown[]; stats: { closedTrades: number }; finalEquity: number }
  return { ...t, fills: j.fills.length, closedTrades: j.stats.closedTrades, finalEquity: j.finalEquity }
}

function backtrader(csv: string): Timed & Outcome {
  const script = join(ROOT, 'bench', 'peers', 'backtrader_sma_cross.py')
  const env = { ...process.env, PYTHONPATH: BT_DIR, PYTHONDONTWRITEBYTECODE: '1' }
  const t = timed('python3', [script, csv, String(FAST), String(SLOW), String(SIZE), String(CASH)], env)
  const j = JSON.parse(t.stdout.trim().split('\n').at(-1)!) as Outcome
  return { ...t, ...j }
}

function missing(): string | undefined {
  if (!existsSync(join(BT_DIR, 'backtrader', '__init__.py'))) {
    return `backtrader's source not found in ${BT_DIR} (set KESTREL_BACKTRADER_DIR to a checkout of github.com/mementum/backtrader)`
  }
  if (!existsSync(TIME)) return `${TIME} not found (needed to time each child process)`
  if (spawnSync('python3', ['--version']).status !== 0) return 'python3 not found'
  return undefined
}

async function main(): Promise<void> {
  const why = missing()
  if (why) {
    console.log(`skipped: ${why}`)
    return
  }
  const cpus = os.cpus()
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim()
  const btVersion = spawnSync('python3', ['-c', 'import backtrader; print(backtrader.__version__)'], {
    env: { ...process.env, PYTHONPATH: BT_DIR },
    encoding: 'utf8',
  }).stdout.trim()
  console.log(
    `workload: long-only SMA(${FAST})/SMA(${SLOW}) cross, size ${SIZE}, cash account ${CASH}, no fees, on ${SIZES.map((n) => n.toLocaleString('en-US')).join(' and ')} one-minute bars (CSV); whole process, ${RUNS} run(s) each, median`,
  )
  console.log(
    `machine:  ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ${py}, backtrader ${btVersion}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  )
  const dir = await mkdtemp(join(os.tmpdir(), 'kestrel-bench-bt-'))
  const rows: string[] = []
  try {
    for (const n of SIZES) {
      const csv = join(dir, `SYN_1m_${n}.csv`)
      await writeRandomWalkCsv(csv, n)
      const k: (Timed & Outcome)[] = []
      const b: (Timed & Outcome)[] = []
      for (let r = 0; r < RUNS; r++) {
        k.push(kestrel(csv))
        b.push(backtrader(csv))
        const [kk, bb] = [k.at(-1)!, b.at(-1)!]
        console.log(
          `  ${n} bars run ${r + 1}: kestrel CPU ${kk.cpuS.toFixed(2)} s wall ${kk.wallS.toFixed(2)} s (${kk.rssMb.toFixed(0)} MB); backtrader CPU ${bb.cpuS.toFixed(2)} s wall ${bb.wallS.toFixed(2)} s (${bb.rssMb.toFixed(0)} MB)`,
        )
      }
      const [kr, br] = [k[0]!, b[0]!]
      const same = kr.fills === br.fills && kr.closedTrades === br.closedTrades
      const dEq = Math.abs(kr.finalEquity - br.finalEquity)
      if (!same || dEq > 1e-6 * CASH) {
        throw new Error(
          `${n} bars: results differ: kestrel ${kr.fills} fills, ${kr.closedTrades} trades, equity ${kr.finalEquity}; backtrader ${br.fills} fills, ${br.closedTrades} trades, equity ${br.finalEquity}`,
        )
      }
      const [kc, kw, bc, bw] = [
        median(k.map((x) => x.cpuS)),
        median(k.map((x) => x.wallS)),
        median(b.map((x) => x.cpuS)),
        median(b.map((x) => x.wallS)),
      ]
      rows.push(
        `${n.toLocaleString('en-US').padStart(9)}  ${kc.toFixed(2).padStart(8)} ${kw.toFixed(2).padStart(8)}  ${bc.toFixed(2).padStart(8)} ${bw.toFixed(2).padStart(8)}  ${(bc / kc).toFixed(1).padStart(6)} ${(bw / kw).toFixed(1).padStart(6)}  ${String(kr.fills).padStart(6)}  ${kr.finalEquity.toFixed(6)} (|Δ| ${dEq.toExponential(1)})`,
      )
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  console.log('')
  console.log(
    '     bars  kestrel s (CPU, wall)  backtrader s (CPU, wall)  bt/kestrel (CPU, wall)  fills  final equity (both)',
  )
  for (const r of rows) console.log(r)
  console.log('aim: backtrader CPU / kestrel CPU >= 30')
}

await main()
