// Runs every *.test.ts under src/ and test/ with Node's own test runner (through tsx).
// Node 20 has no glob support in `--test`, so the files are listed here.
// KESTREL_FROM_SOURCE=1: a test that spawns bin/kestrel.mjs runs the source, not a possibly older dist/.
// Usage: node scripts/run-tests.mjs [substring-filter ...]
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
    else if (name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

const filters = process.argv.slice(2)
const files = walk('src', walk('test', []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
if (files.length === 0) {
  console.error('no test files matched')
  process.exit(1)
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]
const r = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, KESTREL_LOG_LEVEL: 'silent', KESTREL_FROM_SOURCE: '1' },
})
process.exit(r.status ?? 1)
