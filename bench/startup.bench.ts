/**
 * Startup benchmark: the process CPU time (user + system) and peak memory of `kestrel --help`,
 * `kestrel backtest --help` and a tiny CSV backtest (250 daily bars, sma-cross), against `node -e 0` measured
 * in the same run. The CLI loads a command's code only when it runs, so the help screens should cost little
 * more than Node itself (target: `--help` within 3× the CPU of `node -e 0`). Each process is measured by
 * /usr/bin/time when present, else by the child's own `process.resourceUsage()` at exit. It runs the compiled
 * CLI (dist/cli/main.js, or the folder in KESTREL_DIST) when present, else the TypeScript source through tsx
 * (bin/kestrel.mjs), and says which.
 * Run: node --import tsx bench/startup.bench.ts [runs]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const RUNS = Number(process.argv[2] ?? 5)
const TIME = '/usr/bin/time'
const haveTime = existsSync(TIME)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** `KESTREL_DIST` or dist/: the folder holding cli/main.js, when it exists. */
const distDir = resolve(process.env.KESTREL_DIST ?? 'dist')
const dist = existsSync(join(distDir, 'cli', 'main.js'))
// Without /usr/bin/time the child reports its own usage on stderr as it exits.
const USAGE =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write(`\\nkestrel-usage ${u.userCPUTime} ${u.systemCPUTime} ${u.maxRSS}\\n`)})'

/** One process: CPU ms and peak RSS MiB. */
function measure(args: string[]): { cpuMs: number; rssMiB: number } {
  const argv = haveTime ? ['-f', 'kestrel-time %U %S %M', process.execPath, ...args] : ['--import', USAGE, ...args]
  const r = spawnSync(haveTime ? TIME : process.execPath, argv, {
    encoding: 'utf8',
    env: { ...process.env, CI: '1', KESTREL_LOG_LEVEL: 'silent' },
    maxBuffer: 64 << 20,
  })
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(-500)}`)
  if (haveTime) {
    const m = /kestrel-time ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr)!
    return { cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMiB: Number(m[3]) / 1024 }
  }
  const m = /kestrel-usage (\d+) (\d+) (\d+)/.exec(r.stderr)!
  return { cpuMs: (Number(m[1]) + Number(m[2])) / 1000, rssMiB: Number(m[3]) / 1024 }
}

const dir = mkdtempSync(join(os.tmpdir(), 'kestrel-startup-'))
const csv = join(dir, 'TINY_1d.csv')
const rows = ['timestamp,open,high,low,close,volume']
for (let i = 0; i < 250; i++) {
  const p = 100 + 10 * Math.sin(i / 15) + i * 0.05
  rows.push(
    `${new Date(Date.UTC(2023, 0, 2) + i * 86_400_000).toISOString().slice(0, 10)},${p},${p + 1},${p - 1},${p + 0.2},1000`,
  )
}
writeFileSync(csv, `${rows.join('\n')}\n`)

// The compiled CLI is entered as bin/kestrel.mjs enters the source: import main, run it on the arguments.
const distEntry = join(dir, 'kestrel-dist.mjs')
writeFileSync(
  distEntry,
  `import { main } from ${JSON.stringify(pathToFileURL(join(distDir, 'cli', 'main.js')).href)}\nprocess.exitCode = await main(process.argv.slice(2))\n`,
)
const entry = dist ? [distEntry] : [resolve('bin/kestrel.mjs')]

const cases: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['kestrel --help', [...entry, '--help']],
  ['kestrel backtest --help', [...entry, 'backtest', '--help']],
  ['kestrel backtest (250-bar CSV, --json)', [...entry, 'backtest', '--data', csv, '--json']],
]

console.log(`startup: process CPU (user+sys) and peak RSS, median of ${RUNS} runs each`)
console.log(`machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, Node ${process.version}`)
console.log(
  `ran: ${dist ? `compiled ${join(distDir, 'cli', 'main.js')}` : 'TypeScript source through tsx (bin/kestrel.mjs; no dist/ yet)'}`,
)
console.log(`measured by: ${haveTime ? '/usr/bin/time' : 'the child process.resourceUsage()'}`)
try {
  const results = cases.map(([name, args]) => {
    measure(args) // warm the file cache
    const runs = Array.from({ length: RUNS }, () => measure(args))
    return { name, cpu: median(runs.map((r) => r.cpuMs)), rss: median(runs.map((r) => r.rssMiB)) }
  })
  const base = results[0]!.cpu
  console.log(
    `\n${'workload'.padEnd(40)} ${'CPU ms'.padStart(8)} ${'RSS MiB'.padStart(8)} ${'× node -e 0'.padStart(12)}`,
  )
  for (const r of results)
    console.log(
      `${r.name.padEnd(40)} ${r.cpu.toFixed(0).padStart(8)} ${r.rss.toFixed(0).padStart(8)} ${(r.cpu / base).toFixed(2).padStart(12)}`,
    )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
