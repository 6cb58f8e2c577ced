// Runs every bench/*.bench.ts in its own process (so peak memory is per benchmark).
// Usage: npm run bench [-- name-filter ...]
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { ensurePeers } from './build-native.mjs'

// native peers (tulind, talib, TA-Lib C): built offline from bundled source, or skipped with a notice
ensurePeers()
const filters = process.argv.slice(2)
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
let failed = 0
for (const f of files) {
  console.log(`\n=== bench/${f}`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `bench/${f}`], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
