import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const REPO = resolve('.')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-strategy-new-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The words of a printed command line (the scaffold quotes with single quotes only when needed). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
}

describe('kestrel strategy new', () => {
  it('writes a strategy and its test; the printed backtest runs on the bundled data and the test passes', async () => {
    const r = await runCliCaptured(['strategy', 'new', 'dip-buyer', '--dir', 'strats'], { cwd: dir })
    assert.equal(r.code, 0, r.err)
    const file = join(dir, 'strats', 'dip-buyer.ts')
    const test = join(dir, 'strats', 'dip-buyer.test.ts')
    assert.ok(existsSync(file) && existsSync(test))
    assert.match(readFileSync(file, 'utf8'), /ctx\.indicator\(new Rsi\(/)
    const lines = r.out.split('\n').map((l) => l.trim())
    const backtest = lines.find((l) => l.startsWith('kestrel backtest '))!
    assert.match(backtest, /^kestrel backtest --data \S+SPY_1d\.csv --strategy \.\/strats\/dip-buyer\.ts$/)
    // The printed command, as printed, from the folder it was printed in; `kestrel` is this checkout's.
    const b = spawnSync(process.execPath, [join(REPO, 'bin/kestrel.mjs'), ...words(backtest).slice(1), '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, KESTREL_FROM_SOURCE: '1' },
      maxBuffer: 256 * 2 ** 20, // the JSON report carries the equity and returns series
    })
    assert.equal(b.status, 0, `${b.error?.message ?? ''} ${b.stderr}`)
    const d = JSON.parse(b.stdout)
    assert.equal(d.title, 'dip-buyer on SPY')
    assert.ok(d.fills.length > 10, `${d.fills.length} fills`)
    assert.deepEqual(d.rejectedOrders, [])
    // The scaffolded test through the printed command; `kestrel` and tsx resolve to this checkout, as they do
    // to the installed package in a user's project.
    const testLine = lines.find((l) => l.startsWith('node '))!
    assert.equal(testLine, 'node --import tsx --test ./strats/dip-buyer.test.ts')
    const hooks =
      `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(join(REPO, 'bin/kestrel-hooks.mjs')).href)},` +
      `{data:{self:${JSON.stringify(pathToFileURL(join(REPO, 'src/index.ts')).href)}}})`
    const argv = words(testLine).slice(1)
    argv[argv.indexOf('tsx')] = import.meta.resolve('tsx')
    const t = spawnSync(process.execPath, ['--import', hooks, ...argv], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_TEST_CONTEXT: undefined },
    })
    assert.equal(t.status, 0, `${t.stdout}\n${t.stderr}`)
    assert.match(t.stdout, /# pass 1/)
    assert.match(t.stdout, /# fail 0/)
  })

  it('never overwrites a file without --force, and writes nothing when either file exists', async () => {
    const d = join(dir, 'keep')
    mkdirSync(d)
    writeFileSync(join(d, 'mine.ts'), 'my work\n')
    const r = await runCliCaptured(['strategy', 'new', 'mine', '--dir', d])
    assert.equal(r.code, 1)
    assert.equal(
      r.err,
      `error [FILE_EXISTS]: ${join(d, 'mine.ts')} exists: pick another name, or --force to overwrite it\n`,
    )
    assert.equal(readFileSync(join(d, 'mine.ts'), 'utf8'), 'my work\n')
    assert.deepEqual(readdirSync(d), ['mine.ts'])
    writeFileSync(join(d, 'other.test.ts'), 'my test\n')
    const o = await runCliCaptured(['strategy', 'new', 'other', '--dir', d])
    assert.equal(o.code, 1)
    assert.match(o.err, /other\.test\.ts exists/)
    assert.equal(existsSync(join(d, 'other.ts')), false)
    const f = await runCliCaptured(['strategy', 'new', 'mine', '--dir', d, '--force'])
    assert.equal(f.code, 0, f.err)
    assert.match(readFileSync(join(d, 'mine.ts'), 'utf8'), /name: 'mine'/)
  })

  it('refuses a name that is a path or not a name, as a usage error, writing nothing', async () => {
    const d = join(dir, 'bad')
    mkdirSync(d)
    for (const name of ['../evil', 'a/b', 'a\\b', '/tmp/x', '1abc', 'my idea', "it's", '-x', 'a'.repeat(65)]) {
      const r = await runCliCaptured(['strategy', 'new', '--dir', d, '--', name])
      assert.equal(r.code, 2, `${name}: ${r.err}`)
      assert.match(r.err, /^error \[USAGE\]: strategy new .*: expected /, name)
      if (/[/\\]/.test(name)) assert.match(r.err, /a name, not a path/)
    }
    assert.deepEqual(readdirSync(d), [])
    assert.equal(existsSync(join(dir, 'evil.ts')), false)
  })

  it('--json gives the files and the commands as words', async () => {
    const r = await runCliCaptured(['strategy', 'new', 'jsoned', '--dir', join(dir, 'j'), '--json'])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.equal(d.strategyFile, join(dir, 'j', 'jsoned.ts'))
    assert.deepEqual(d.backtest.argv.slice(0, 3), ['kestrel', 'backtest', '--data'])
    assert.equal(d.backtest.argv.at(-1), join(dir, 'j', 'jsoned.ts')) // outside the working folder: absolute
  })
})

describe('kestrel strategy ls', () => {
  it('lists every built-in with its parameters, as JSON', async () => {
    const r = await runCliCaptured(['strategy', 'ls', '--json'])
    assert.equal(r.code, 0, r.err)
    const list = JSON.parse(r.out) as { name: string; params: { name: string; type: string; default?: unknown }[] }[]
    assert.deepEqual(
      list.map((s) => s.name),
      [
        'sma-cross',
        'ema-cross',
        'buy-and-hold',
        'trend-signal',
        'pairs',
        'mean-reversion',
        'momentum',
        'breakout',
        'ensemble',
        'regime-switch',
      ],
    )
    assert.deepEqual(
      list[0]!.params.map((p) => [p.name, p.type, p.default]),
      [
        ['fast', 'integer > 0', 10],
        ['slow', 'integer > 0', 30],
        ['size', 'number > 0', undefined],
        ['fraction', 'number in (0, 1]', 0.99],
      ],
    )
  })

  it('prints a table of strategy, param, type, default and description', async () => {
    const r = await runCliCaptured(['strategy', 'ls'])
    assert.equal(r.code, 0, r.err)
    const header = r.out.split('\n')[0]!
    assert.match(header, /^strategy\s+param\s+type\s+default\s+description$/)
    assert.match(r.out, /\nbuy-and-hold\s+fraction\s+number in \(0, 1\]\s+0\.99\s+part of the cash invested/)
  })
})
