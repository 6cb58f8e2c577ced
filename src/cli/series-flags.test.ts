/**
 * Every command that selects stored series takes them the same three ways, positional, `--symbol` and
 * `--instrument`, and answers an ambiguous bare symbol with its candidates.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCliCaptured } from './testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-series-flags-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const db = join(dir, 'k.duckdb')
const spec = join(dir, 'spec.yaml')
/** The first `n` bars of a bundled daily file, as a file of its own. */
function head(name: string, n: number): string {
  const lines = readFileSync(`data/bundled/${name}_1d.csv`, 'utf8').trim().split('\n')
  const f = join(dir, `${name}_1d.csv`)
  writeFileSync(f, lines.slice(0, n + 1).join('\n') + '\n')
  return f
}
const ok = async (argv: string[]) => {
  const r = await runCliCaptured(argv)
  assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`)
  return r
}
/** The three spellings of one selection. */
const WAYS: readonly (readonly string[])[] = [['AAPL'], ['--symbol', 'AAPL'], ['--instrument', 'AAPL.XNAS']]
const AMBIGUOUS =
  /symbol SPY is ambiguous, the store has it under several venues: SPY\.ARCA, SPY\.SIM; pass the instrument id/

before(async () => {
  const spy = head('SPY', 40)
  await ok(['data', 'import', spy, '--venue', 'ARCA', '--db', db])
  await ok(['data', 'import', spy, '--instrument', 'SPY.SIM', '--db', db])
  await ok(['data', 'import', head('AAPL', 40), '--venue', 'XNAS', '--db', db])
  writeFileSync(spec, 'name: t\nfeatures:\n  ret: logret(close, 1)\noutput: [ret]\n')
})

describe('series selection, the same in every command', () => {
  it('data import --instrument SPY.SIM is --symbol SPY --venue SIM', async () => {
    const ls = JSON.parse((await ok(['data', 'ls', '--db', db, '--json'])).out) as { instrumentId: string }[]
    assert.deepEqual(ls.map((r) => r.instrumentId).sort(), ['AAPL.XNAS', 'SPY.ARCA', 'SPY.SIM'])
    const bad = await runCliCaptured(['data', 'import', head('SPY', 3), '--instrument', 'SPY.SIM', '--venue', 'ARCA'])
    assert.equal(bad.code, 2)
    assert.match(bad.err, /--instrument SPY\.SIM disagrees with --venue ARCA/)
  })

  it('data ls', async () => {
    const outs = []
    for (const w of WAYS) outs.push((await ok(['data', 'ls', ...w, '--db', db, '--json'])).out)
    assert.equal(JSON.parse(outs[0]!).length, 1)
    assert.equal(JSON.parse(outs[0]!)[0].instrumentId, 'AAPL.XNAS')
    assert.deepEqual(outs.slice(1), [outs[0], outs[0]])
    const two = JSON.parse((await ok(['data', 'ls', 'SPY.SIM', '--symbol', 'aapl', '--db', db, '--json'])).out)
    assert.deepEqual(two.map((r: { instrumentId: string }) => r.instrumentId).sort(), ['AAPL.XNAS', 'SPY.SIM'])
    const amb = await runCliCaptured(['data', 'ls', 'SPY', '--db', db])
    assert.equal(amb.code, 2)
    assert.match(amb.err, AMBIGUOUS)
    const none = await runCliCaptured(['data', 'ls', 'APPL', '--db', db])
    assert.equal(none.code, 1)
    assert.match(
      none.err,
      /no instrument "APPL" in the store \(near: AAPL\.XNAS\); the store has AAPL\.XNAS, SPY\.ARCA, SPY\.SIM/,
    )
  })

  it('data export', async () => {
    const files = []
    for (const [k, w] of WAYS.entries()) {
      const out = join(dir, `export-${k}.csv`)
      await ok(['data', 'export', ...w, '--timeframe', '1d', '--out', out, '--db', db])
      files.push(readFileSync(out, 'utf8'))
    }
    assert.equal(files[0]!.trim().split('\n').length, 41)
    assert.deepEqual(files.slice(1), [files[0], files[0]])
    const amb = await runCliCaptured([
      'data',
      'export',
      '--symbol',
      'SPY',
      '--timeframe',
      '1d',
      '--out',
      join(dir, 'x.csv'),
      '--db',
      db,
    ])
    assert.equal(amb.code, 2)
    assert.match(amb.err, AMBIGUOUS)
    const two = await runCliCaptured([
      'data',
      'export',
      'AAPL',
      'SPY.SIM',
      '--timeframe',
      '1d',
      '--out',
      join(dir, 'x.csv'),
      '--db',
      db,
    ])
    assert.equal(two.code, 2)
    assert.match(two.err, /one series per file, got AAPL, SPY\.SIM/)
  })

  it('features build', async () => {
    const files = []
    for (const [k, w] of WAYS.entries()) {
      const out = join(dir, `features-${k}.csv`)
      await ok(['features', 'build', spec, ...w, '--db', db, '--timeframe', '1d', '--out', out])
      files.push(readFileSync(out, 'utf8'))
    }
    assert.equal(files[0]!.trim().split('\n').length, 41)
    assert.deepEqual(files.slice(1), [files[0], files[0]])
    const amb = await runCliCaptured(['features', 'build', spec, 'SPY', '--db', db, '--timeframe', '1d'])
    assert.equal(amb.code, 2)
    assert.match(amb.err, AMBIGUOUS)
  })

  it('backtest', async () => {
    const outs = []
    const args = ['--db', db, '--strategy', 'buy-and-hold', '--json']
    for (const w of WAYS) {
      const r = JSON.parse((await ok(['backtest', ...w, ...args])).out) as { fills: unknown[] }
      outs.push(JSON.stringify(r.fills))
    }
    assert.notEqual(outs[0], '[]')
    assert.deepEqual(outs.slice(1), [outs[0], outs[0]])
    const amb = await runCliCaptured(['backtest', '--instrument', 'SPY', ...args])
    assert.equal(amb.code, 2)
    assert.match(amb.err, AMBIGUOUS)
  })

  it('data archive and data restore', async () => {
    for (const w of WAYS) {
      const a = JSON.parse((await ok(['data', 'archive', ...w, '--before', '2100-01-01', '--db', db, '--json'])).out)
      assert.deepEqual(a.series, [
        { instrumentId: 'AAPL.XNAS', timeframe: '1d', cutoff: Date.UTC(2100, 0, 1), moved: 40, newInLake: 40 },
      ])
      const r = JSON.parse((await ok(['data', 'restore', ...w, '--db', db, '--json'])).out)
      assert.deepEqual(r, [{ instrument: 'AAPL.XNAS', timeframe: '1d', restored: 40 }])
    }
    for (const argv of [
      ['data', 'archive', 'SPY', '--before', '2100-01-01', '--db', db],
      ['data', 'restore', '--symbol', 'SPY', '--db', db],
    ]) {
      const amb = await runCliCaptured(argv)
      assert.equal(amb.code, 2, amb.err)
      assert.match(amb.err, AMBIGUOUS)
    }
    const none = await runCliCaptured(['data', 'restore', '--db', db])
    assert.equal(none.code, 2)
    assert.match(none.err, /data restore: name the series/)
    const ls = JSON.parse((await ok(['data', 'ls', '--db', db, '--json'])).out) as { lakeRows: number }[]
    assert.deepEqual(
      ls.map((r) => r.lakeRows),
      [0, 0, 0],
    )
  })
})
