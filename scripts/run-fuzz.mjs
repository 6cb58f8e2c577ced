// Runs every *.fuzz.ts under src/ and test/ with Node's own test runner (through tsx), one file at a time.
// Seed and size come from the environment (e.g. KESTREL_FUZZ_RUNS=2000 KESTREL_FUZZ_SEED=7; see each file).
// Usage: node scripts/run-fuzz.mjs [substring-filter ...]
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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
    else if (name.endsWith('.fuzz.ts')) out.push(p)
  }
  return out
}

const filters = process.argv.slice(2)
const files = walk('src', walk('test', []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
if (files.length === 0) {
  console.error('no fuzz files matched')
  process.exit(1)
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-timeout=0', ...files]
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, KESTREL_LOG_LEVEL: 'silent' } })
process.exit(r.status ?? 1)
