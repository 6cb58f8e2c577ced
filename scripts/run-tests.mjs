// Runs every *.test.ts under src/ and test/ with Node's own test runner (through tsx).
// Node 20 has no glob support in `--test`, so the files are listed here.
// KESTREL_FROM_SOURCE=1: a test that spawns bin/kestrel.mjs runs the source, not a possibly older dist/.
// Usage: node scripts/run-tests.mjs [--coverage] [substring-filter ...]
// --coverage (or KESTREL_COVERAGE=1; `npm test` passes it) measures the line coverage of src/ with c8 over every
// process the run starts and writes the reports to coverage/; a run of every test fails below the threshold in
// scripts/coverage.mjs.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

function walk(dir, out) {
  let entries
  try {
    entries = readdirSync(dir)
  } catch {
    return out
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

const argv = process.argv.slice(2)
const coverage = argv.includes('--coverage') || process.env.KESTREL_COVERAGE === '1'
const filters = argv.filter((a) => a !== '--coverage')
const files = walk('src', walk('test', []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
if (files.length === 0) {
  console.error('no test files matched')
  process.exit(1)
}

const env = { ...process.env, KESTREL_LOG_LEVEL: 'silent', KESTREL_FROM_SOURCE: '1' }
const reportsDir = resolve('coverage')
const tempDir = join(reportsDir, 'tmp')
if (coverage) {
  // Node writes each process's coverage here on exit, children included: they inherit the variable.
  rmSync(reportsDir, { recursive: true, force: true })
  mkdirSync(tempDir, { recursive: true })
  env.NODE_V8_COVERAGE = tempDir
}

const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env })
let status = r.status ?? 1
if (coverage) {
  const { reportCoverage } = await import('./coverage.mjs')
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const ok = await reportCoverage({ tempDir, reportsDir, partial: filters.length > 0 })
  rmSync(tempDir, { recursive: true, force: true })
  const cpu = process.cpuUsage(cpu0)
  const s = (x) => x.toFixed(1)
  console.log(`coverage report: ${s((performance.now() - t0) / 1e3)} s wall, ${s((cpu.user + cpu.system) / 1e6)} s CPU`)
  if (status === 0 && !ok) status = 1
}
process.exit(status)
