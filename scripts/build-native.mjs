// Builds tulind (a benchmark peer) from its bundled C source. Its own install script is denied in
// package.json#allowScripts because node-pre-gyp would first try to download a prebuilt binary
// from a host outside the npm registry.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

export function ensureTulind() {
  try {
    require('tulind')
    return true
  } catch {
    /* not built yet */
  }
  let dir
  try {
    dir = dirname(require.resolve('tulind/package.json'))
  } catch {
    return false // not installed (production install)
  }
  const preGyp = join(dirname(require.resolve('@mapbox/node-pre-gyp/package.json')), 'bin', 'node-pre-gyp')
  console.error('building tulind from source (one time)...')
  execFileSync(process.execPath, [preGyp, 'rebuild', '--build-from-source'], { cwd: dir, stdio: 'ignore' })
  require('tulind')
  return true
}

if (import.meta.url === `file://${process.argv[1]}`) ensureTulind()
