import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const SPY = resolve('data/bundled/SPY_1d.csv')
const AAPL = resolve('data/bundled/AAPL_1d.csv')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-backtest-store-'))
const db = join(dir, 'k.duckdb')
after(() => rmSync(dir, { recursive: true, force: true }))

const STRATEGY = ['--param', 'fast=10', '--param', 'slow=30', '--size', '100', '--fee-rate', '0.001', '--json']
const RANGE = ['--from', '2010-01-01', '--to', '2015-12-31']

/** The backtest's JSON report; fails the test with stderr on a non-zero exit. */
async function backtest(args: string[]): Promise<Record<string, unknown> & { fills: unknown[] }> {
  const r = await runCliCaptured(['backtest', ...args, ...STRATEGY])
  assert.equal(r.code, 0, r.err)
  return JSON.parse(r.out) as Record<string, unknown> & { fills: unknown[] }
}

/** Days of SPY_1d.csv whose date is in [from, to] (both inclusive). */
function csvDays(from: string, to: string): number {
  return readFileSync(SPY, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '' && l.slice(0, 10) >= from && l.slice(0, 10) <= to).length
}

describe('kestrel backtest from the store', () => {
  let fromCsv: Record<string, unknown> & { fills: unknown[] }
  before(async () => {
    const r = await runCliCaptured(['data', 'import', SPY, '--venue', 'SIM', '--db', db])
    assert.equal(r.code, 0, r.err)
    fromCsv = await backtest(['--data', SPY, ...RANGE])
  })

  it('gives the fills of the same range read from the CSV, byte for byte, with the last day included', async () => {
    const fromStore = await backtest(['--db', db, '--symbol', 'SPY', '--timeframe', '1d', ...RANGE])
    assert.ok(fromStore.fills.length > 20)
    assert.equal(JSON.stringify(fromStore.fills), JSON.stringify(fromCsv.fills))
    assert.equal(JSON.stringify(fromStore.trades), JSON.stringify(fromCsv.trades))
    const stats = fromStore.stats as { bars: number; firstTime: string; lastTime: string }
    assert.equal(stats.bars, csvDays('2010-01-01', '2015-12-31'))
    assert.equal(stats.bars, 1510)
    // The 2015-12-31 session is in: its bar closes at midnight.
    assert.equal(stats.lastTime, '2016-01-01T00:00:00Z')
    assert.equal((fromCsv.stats as { bars: number }).bars, 1510)
  })

  it('records the data version: the same bars hash as from the CSV, and the ingestion in the version', async () => {
    const fromStore = await backtest(['--db', db, '--symbol', 'SPY', '--timeframe', '1d', ...RANGE])
    type Settings = { dataVersion: string; data: { barsHash: string; dataVersion: string }[] }
    const s = fromStore.settings as Settings
    const c = fromCsv.settings as Settings
    assert.match(s.dataVersion, /^[0-9a-f]{64}$/)
    assert.equal(s.data[0]!.barsHash, c.data[0]!.barsHash)
    assert.notEqual(s.dataVersion, c.dataVersion)
    const rerun = await backtest(['--db', db, '--symbol', 'SPY', '--timeframe', '1d', ...RANGE])
    assert.equal((rerun.settings as Settings).dataVersion, s.dataVersion, 'same data, same version')
    const shorter = await backtest([
      '--db',
      db,
      '--symbol',
      'SPY',
      '--timeframe',
      '1d',
      '--from',
      '2010-01-05',
      '--to',
      '2015-12-31',
    ])
    assert.notEqual((shorter.settings as Settings).data[0]!.barsHash, s.data[0]!.barsHash)
  })

  it('includes a date-only --to day and excludes a --to with a time of day', async () => {
    const day = await backtest(['--db', db, 'SPY', '--to', '2015-12-30'])
    assert.equal((day.stats as { bars: number }).bars, csvDays('0000', '2015-12-30'))
    const time = await backtest(['--db', db, 'SPY', '--to', '2015-12-30T00:00:00Z'])
    assert.equal((time.stats as { bars: number }).bars, csvDays('0000', '2015-12-29'))
  })

  it('reads both tiers: the same fills after the older half is archived to the Parquet lake', async () => {
    const a = await runCliCaptured(['data', 'archive', '--before', '2013-01-01', '--db', db, '--json'])
    assert.equal(a.code, 0, a.err)
    const ls = await runCliCaptured(['data', 'ls', '--db', db, '--json'])
    const row = (JSON.parse(ls.out) as { hotRows: number; lakeRows: number }[])[0]!
    assert.ok(row.lakeRows > 1000 && row.hotRows > 1000, ls.out)
    const fromStore = await backtest(['--db', db, '--instrument', 'SPY.SIM', ...RANGE])
    assert.equal(JSON.stringify(fromStore.fills), JSON.stringify(fromCsv.fills))
  })

  it('takes several symbols, positional or repeated, and the same from a config', async () => {
    const r = await runCliCaptured(['data', 'import', AAPL, '--venue', 'XNAS', '--db', db])
    assert.equal(r.code, 0, r.err)
    const two = await backtest(['--db', db, 'SPY', '--symbol', 'AAPL', ...RANGE])
    assert.deepEqual(
      (two.instruments as { id: string }[]).map((i) => i.id),
      ['SPY.SIM', 'AAPL.XNAS'],
    )
    const aapl = await backtest(['--data', AAPL, ...RANGE])
    assert.ok((aapl.stats as { bars: number }).bars > 1500)
    assert.equal((two.stats as { bars: number }).bars, 1510 + (aapl.stats as { bars: number }).bars)
    const yaml = join(dir, 'bt.yaml')
    writeFileSync(
      yaml,
      [
        'strategies:',
        '  - { use: sma-cross, params: { fast: 10, slow: 30, size: 100 } }',
        'account: { cash: 100000, type: margin, leverage: 2 }',
        'backtest:',
        '  fees: { type: percent, takerRate: 0.001, makerRate: 0.001 }',
        '  data:',
        '    - { store: k.duckdb, symbol: SPY, timeframe: 1d, from: 2010-01-01, to: 2015-12-31 }',
        '',
      ].join('\n'),
    )
    const c = await runCliCaptured(['backtest', '--config', yaml, '--json'])
    assert.equal(c.code, 0, c.err)
    assert.equal(JSON.stringify((JSON.parse(c.out) as { fills: unknown[] }).fills), JSON.stringify(fromCsv.fills))
  })

  it('lists the candidates of a symbol stored under several venues, and takes the instrument id', async () => {
    const r = await runCliCaptured(['data', 'import', SPY, '--venue', 'ARCA', '--db', db])
    assert.equal(r.code, 0, r.err)
    const amb = await runCliCaptured(['backtest', '--db', db, '--symbol', 'SPY', ...STRATEGY])
    assert.equal(amb.code, 2)
    assert.match(amb.err, /symbol SPY is ambiguous, the store has it under several venues: SPY\.ARCA, SPY\.SIM;/)
    const byId = await backtest(['--db', db, '--instrument', 'SPY.SIM', ...RANGE])
    assert.equal(JSON.stringify(byId.fills), JSON.stringify(fromCsv.fills))
  })

  it('says a mistyped store does not exist and creates nothing', async () => {
    const nope = join(dir, 'kestrl.duckdb')
    const r = await runCliCaptured(['backtest', '--db', nope, '--symbol', 'SPY', ...STRATEGY])
    assert.equal(r.code, 1)
    assert.match(r.err, /store .*kestrl\.duckdb does not exist/)
    assert.equal(existsSync(nope), false)
    assert.equal(existsSync(join(dir, 'lake', 'kestrl.duckdb')), false)
  })

  it('says so for a mistyped store on data export and restore too, creating nothing', async () => {
    const nope = join(dir, 'typo.duckdb')
    const x = await runCliCaptured([
      'data',
      'export',
      'SPY',
      '--timeframe',
      '1d',
      '--out',
      join(dir, 'x.csv'),
      '--db',
      nope,
    ])
    assert.equal(x.code, 1)
    assert.match(x.err, /store .*typo\.duckdb does not exist/)
    const r = await runCliCaptured(['data', 'restore', '--symbol', 'SPY', '--db', nope])
    assert.equal(r.code, 1)
    assert.match(r.err, /store .*typo\.duckdb does not exist/)
    assert.equal(existsSync(nope), false)
  })

  it('lists what the store has for an unknown symbol, and the stored timeframes for a missing one', async () => {
    const r = await runCliCaptured(['backtest', '--db', db, '--symbol', 'QQQ', ...STRATEGY])
    assert.equal(r.code, 1)
    assert.match(r.err, /no instrument "QQQ" in the store; the store has AAPL\.XNAS, SPY\.ARCA, SPY\.SIM/)
    const tf = await runCliCaptured(['backtest', '--db', db, 'SPY.SIM', '--timeframe', '1h', ...STRATEGY])
    assert.equal(tf.code, 1)
    assert.match(tf.err, /no 1h bars stored for SPY\.SIM; it has 1d/)
    const out = await runCliCaptured(['backtest', '--db', db, 'SPY.SIM', '--from', '2030-01-01', ...STRATEGY])
    assert.equal(out.code, 1)
    assert.match(
      out.err,
      /no 1d bars of SPY\.SIM from 2030-01-01T00:00:00Z .*stored: 1998-01-02T00:00:00Z to 2021-03-31/,
    )
  })

  it('refuses --from after --to, bad dates, and a store with data files', async () => {
    const r = await runCliCaptured(['backtest', '--db', db, 'SPY.SIM', '--from', '2016-01-01', '--to', '2015-12-31'])
    assert.equal(r.code, 2)
    assert.match(r.err, /--from 2016-01-01 is after --to 2015-12-31/)
    const csv = await runCliCaptured(['backtest', '--data', SPY, '--from', '2016-01-01', '--to', '2015-12-31'])
    assert.equal(csv.code, 2)
    const bad = await runCliCaptured(['backtest', '--data', SPY, '--to', '2015-02-30'])
    assert.equal(bad.code, 2)
    assert.match(bad.err, /--to "2015-02-30": expected an ISO-8601 date/)
    const both = await runCliCaptured(['backtest', '--db', db, '--data', SPY, 'SPY.SIM'])
    assert.equal(both.code, 2)
    const none = await runCliCaptured(['backtest', '--db', db])
    assert.equal(none.code, 2)
    assert.match(none.err, /name the series/)
  })

  it('names each data file by its --symbol, in order, and refuses a count that does not match', async () => {
    const r = await backtest(['--data', SPY, AAPL, '--symbol', 'S1', '--symbol', 'A1', ...RANGE])
    assert.deepEqual(
      (r.instruments as { id: string }[]).map((i) => i.id),
      ['S1.SIM', 'A1.SIM'],
    )
    const wrong = await runCliCaptured(['backtest', '--data', SPY, AAPL, '--symbol', 'S1'])
    assert.equal(wrong.code, 2)
    assert.match(wrong.err, /1 symbols for 2 data files/)
  })

  it('refuses a config data entry with a store and a file, or a start after its end, naming the key', async () => {
    const yaml = join(dir, 'bad.yaml')
    writeFileSync(
      yaml,
      'strategies: [{ use: sma-cross }]\nbacktest:\n  data:\n    - { store: k.duckdb, file: x.csv, symbol: SPY }\n    - { store: k.duckdb, symbol: SPY, from: 2016-01-01, to: 2015-12-31 }\n',
    )
    const r = await runCliCaptured(['backtest', '--config', yaml])
    assert.equal(r.code, 1)
    assert.match(r.err, /backtest\.data\[0\]\.store \(line 4\): file: and store: exclude each other/)
    assert.match(r.err, /backtest\.data\[1\]\.from \(line 5\): from 2016-01-01 is after to 2015-12-31/)
    const missing = join(dir, 'missing.yaml')
    writeFileSync(
      missing,
      'strategies: [{ use: sma-cross }]\nbacktest:\n  data:\n    - { store: nope.duckdb, symbol: SPY }\n',
    )
    const m = await runCliCaptured(['backtest', '--config', missing])
    assert.equal(m.code, 1)
    assert.match(m.err, /store .*nope\.duckdb does not exist/)
    assert.equal(existsSync(join(dir, 'nope.duckdb')), false)
  })
})
