/**
 * The command line loads what a command needs and nothing more: `--help` loads commander and the command
 * tree (no core, no engine, no store), and a CSV backtest loads no database driver or provider library.
 * Each case runs the CLI in a child process that records every module it loads.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-lazy-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let runs = 0

/** The modules loaded by `runCli(argv)` in a fresh process, and its exit status. */
function modulesLoaded(argv: string[]): { code: number; modules: string[]; err: string } {
  const log = join(dir, `modules-${runs++}.txt`)
  writeFileSync(log, '')
  const script = `import('./src/cli/main.ts').then((m) => m.runCli(${JSON.stringify(argv)}, { stdout: new (require('node:stream').PassThrough)() })).then((c) => { process.exitCode = c })`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/cli/module-log.mjs', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1', KESTREL_MODULE_LOG: log },
  })
  return { code: r.status ?? -1, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean), err: r.stderr }
}

const HEAVY = ['@duckdb', 'pg', 'pg-pool', 'ccxt', 'yahoo-finance2', 'pino-pretty']

function packagesIn(modules: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const m of modules) {
    const hit = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m)
    if (hit) out.add(hit[1]!.startsWith('@duckdb') ? '@duckdb' : hit[1]!)
  }
  return out
}

describe('lazy loading', () => {
  for (const argv of [['--help'], ['backtest', '--help'], ['data', 'fetch', '--help'], ['venue', 'serve', '--help']]) {
    it(`kestrel ${argv.join(' ')} loads commander and the command tree only`, () => {
      const r = modulesLoaded(argv)
      assert.equal(r.code, 0, r.err)
      const pkgs = packagesIn(r.modules)
      for (const p of [...HEAVY, 'zod', 'yaml', 'pino']) assert.ok(!pkgs.has(p), `${p} loaded by ${argv.join(' ')}`)
      const ours = r.modules.filter((m) => m.includes('/src/') && !m.includes('/node_modules/'))
      const layers = new Set(ours.map((m) => /\/src\/([^/]+)\//.exec(m)?.[1]))
      assert.deepEqual([...layers].sort(), ['app', 'cli'], ours.join('\n'))
    })
  }

  it('a CSV backtest loads no database driver and no provider library', () => {
    const r = modulesLoaded(['backtest', '--data', 'data/bundled/SPY_1d.csv', '--json'])
    assert.equal(r.code, 0, r.err)
    const pkgs = packagesIn(r.modules)
    assert.ok(pkgs.has('commander')) // the recorder sees packages at all
    for (const p of HEAVY) assert.ok(!pkgs.has(p), `${p} loaded by a CSV backtest`)
  })

  it('a store command does load DuckDB (the recorder sees packages required on demand)', () => {
    const db = join(dir, 'k.duckdb')
    const imported = modulesLoaded(['data', 'import', 'data/bundled/SPY_1d.csv', '--db', db, '--json'])
    assert.equal(imported.code, 0, imported.err)
    const r = modulesLoaded(['data', 'ls', '--db', db, '--json'])
    assert.equal(r.code, 0, r.err)
    assert.ok(packagesIn(r.modules).has('@duckdb'))
  })
})
