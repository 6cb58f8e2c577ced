// Builds the native benchmark peers from source already on this machine; nothing is downloaded.
//  - tulind (Tulip Indicators C): its own install script is denied in package.json#allowScripts because
//    node-pre-gyp would first try to download a prebuilt binary from a host outside the npm registry.
//  - talib (the npm binding of TA-Lib C): built by its install script when npm had the Node headers; rebuilt
//    here when it did not.
//  - TA-Lib C itself: bench/talib-c (gcc/make over the C source the `talib` package ships) into
//    .bench-build/talib-c (gitignored).
// node-gyp is always given the headers of the running Node (--nodedir, derived from process.execPath), so it
// never fetches headers. A peer that cannot be built is skipped with a notice saying why.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Where benchmark build products go (gitignored). */
export const BUILD_DIR = join(ROOT, '.bench-build')

function notice(msg) {
  console.error(`bench: ${msg}`)
}

/** The Node headers' root for node-gyp's --nodedir: `<prefix>` with `<prefix>/include/node/node.h`. */
export function nodeDir() {
  const candidates = [resolve(process.execPath, '..', '..')]
  if (process.env.npm_config_nodedir) candidates.push(process.env.npm_config_nodedir)
  return candidates.find((d) => existsSync(join(d, 'include', 'node', 'node.h')))
}

/** node-gyp's entry script: a local install, else the one inside the npm that ships beside this Node. */
function nodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js')
  } catch {
    /* not a dependency of ours */
  }
  const beside = [
    join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(process.execPath, '..', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  return beside.find((p) => existsSync(p))
}

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch {
    return undefined
  }
}

function loads(name) {
  try {
    require(name)
    return true
  } catch {
    return false
  }
}

/** The environment for node-gyp and node-pre-gyp: headers of this Node, no download. */
function gypEnv(dir, gyp) {
  return { ...process.env, npm_config_nodedir: dir, npm_config_node_gyp: gyp }
}

/** What is missing for a node-gyp build, or undefined when it can run. */
function gypMissing(dir, gyp) {
  if (!dir) return `no Node headers beside ${process.execPath} (expected <prefix>/include/node/node.h)`
  if (!gyp) return 'node-gyp not found (neither installed nor beside npm)'
  return undefined
}

function run(cmd, args, cwd, env) {
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
}

function why(e) {
  const err = /** @type {{ stderr?: Buffer, message: string }} */ (e)
  const text = err.stderr?.toString().trim().split('\n').filter(Boolean).slice(-3).join(' / ') || err.message
  return text.slice(0, 300)
}

/** Builds tulind from its bundled C source if it does not load. True when it loads. */
export function ensureTulind() {
  if (loads('tulind')) return true
  const pkg = packageDir('tulind')
  if (!pkg) return false // not installed (production install): nothing to say
  const dir = nodeDir()
  const gyp = nodeGyp()
  const missing = gypMissing(dir, gyp)
  if (missing) {
    notice(`skipping tulind: ${missing}`)
    return false
  }
  const preGyp = packageDir('@mapbox/node-pre-gyp')
  if (!preGyp) {
    notice('skipping tulind: @mapbox/node-pre-gyp is not installed')
    return false
  }
  notice('building tulind from its bundled C source (one time)...')
  try {
    run(
      process.execPath,
      [join(preGyp, 'bin', 'node-pre-gyp'), 'rebuild', '--build-from-source', `--nodedir=${dir}`],
      pkg,
      gypEnv(dir, gyp),
    )
  } catch (e) {
    notice(`skipping tulind: its build failed: ${why(e)}`)
    return false
  }
  return loads('tulind')
}

/** Builds the talib binding (TA-Lib's C libraries, then the addon) if it does not load. True when it loads. */
export function ensureTalib() {
  if (loads('talib')) return true
  const pkg = packageDir('talib')
  if (!pkg) return false
  const dir = nodeDir()
  const gyp = nodeGyp()
  const missing = gypMissing(dir, gyp)
  if (missing) {
    notice(`skipping talib: ${missing}`)
    return false
  }
  notice('building talib from its bundled TA-Lib C source (one time)...')
  try {
    if (!existsSync(join(pkg, 'src', 'lib', 'lib', 'libta_func_csr.a'))) {
      // what the package's src/lib/build.js runs on Linux and macOS, here with its exit status checked
      run('make', ['-s', '-j2'], join(pkg, 'src', 'lib', 'make', 'csr', 'linux', 'g++'), process.env)
    }
    run(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`], pkg, gypEnv(dir, gyp))
  } catch (e) {
    notice(`skipping talib: its build failed: ${why(e)}`)
    return false
  }
  return loads('talib')
}

/** Builds the TA-Lib C benchmark program (bench/talib-c); returns its path, or undefined with a notice. */
export function ensureTalibC() {
  const out = join(BUILD_DIR, 'talib-c')
  const exe = join(out, 'talib-bench')
  const pkg = packageDir('talib')
  if (!pkg) {
    notice('skipping TA-Lib C: the talib package (which ships its C source) is not installed')
    return undefined
  }
  const src = join(pkg, 'src', 'lib')
  if (!existsSync(join(src, 'src', 'ta_func'))) {
    notice(`skipping TA-Lib C: no C source under ${src}`)
    return undefined
  }
  try {
    // make is incremental: a second run only checks timestamps
    run(
      'make',
      ['-s', '-j2', '-C', join(ROOT, 'bench', 'talib-c'), `TALIB_SRC=${src}`, `OUT=${out}`],
      ROOT,
      process.env,
    )
  } catch (e) {
    notice(`skipping TA-Lib C: make failed (needs gcc and make): ${why(e)}`)
    return undefined
  }
  return existsSync(exe) ? exe : undefined
}

/** Builds every native peer it can; reports each one it skips. */
export function ensurePeers() {
  return { tulind: ensureTulind(), talib: ensureTalib(), talibC: ensureTalibC() }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = ensurePeers()
  console.log(
    `native peers: tulind ${r.tulind ? 'ok' : 'skipped'}, talib ${r.talib ? 'ok' : 'skipped'}, TA-Lib C ${r.talibC ? 'ok' : 'skipped'}`,
  )
}
