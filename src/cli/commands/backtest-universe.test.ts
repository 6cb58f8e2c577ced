/**
 * `kestrel backtest --universe`: the bundled AAPL and SPY daily files with a universe where AAPL is delisted
 * for performance at the end of 2020-03-31 without a return: the buy-and-hold position of 10 shares closes at
 * 70 % of that day's close (254.29), later AAPL orders are refused, and the config key does the same.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const root = join(import.meta.dirname, '..', '..', '..')
const AAPL = join(root, 'data', 'bundled', 'AAPL_1d.csv')
const SPY = join(root, 'data', 'bundled', 'SPY_1d.csv')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-universe-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const universe = join(dir, 'universe.csv')
writeFileSync(
  universe,
  'symbol,sector,industry,added,removed,delistingReason,delistingReturn\n' +
    'AAPL,Technology,Hardware,1990-01-02,2020-03-31,bankruptcy,\n' +
    'SPY,Index,,1993-01-29,,,\n',
)
const base = [
  'backtest',
  '--data',
  AAPL,
  SPY,
  '--strategy',
  'buy-and-hold',
  '--param',
  'size=10',
  '--cash',
  '10000',
  '--account',
  'cash',
  '--fee-rate',
  '0',
  '--json',
]

describe('backtest --universe', () => {
  it('closes the delisted position at the last close less 30 % and lists the DELISTING cash flow', async () => {
    const r = await runCliCaptured([...base, '--universe', universe])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    const flows = j.cashFlows.filter((f: { kind: string }) => f.kind === 'DELISTING')
    assert.equal(flows.length, 1)
    assert.deepEqual(
      [flows[0].instrumentId, flows[0].quantity, flows[0].time],
      ['AAPL.SIM', 10, '2020-04-01T04:00:00Z'],
    )
    assert.ok(Math.abs(flows[0].amount - 10 * 254.29 * 0.7) < 1e-9, String(flows[0].amount))
    const cost = j.fills[0].price * 10
    assert.ok(Math.abs(j.finalEquity - (10_000 - cost + 10 * 254.29 * 0.7)) < 1e-6, String(j.finalEquity))
    const plain = JSON.parse((await runCliCaptured(base)).out)
    assert.deepEqual(
      plain.cashFlows.filter((f: { kind: string }) => f.kind === 'DELISTING'),
      [],
    )
  })

  it('a bad row names its file and line; with --config it is a usage error naming the key', async () => {
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'symbol,sector,added,removed,delistingReason\nAAPL,Tech,1990-01-02,2020-03-31,fraud\n')
    const r = await runCliCaptured([...base, '--universe', bad])
    assert.equal(r.code, 1, r.err)
    assert.match(r.err, /bad\.csv line 2: AAPL: delistingReason "fraud": expected a CRSP code 200-599/)
    const cfg = await runCliCaptured(['backtest', '--config', join(dir, 'x.yaml'), '--universe', universe])
    assert.equal(cfg.code, 2)
    assert.match(cfg.err, /--universe \(backtest\.universe\)/)
  })

  it('backtest.universe in a config does the same', async () => {
    const cfg = join(dir, 'run.yaml')
    writeFileSync(
      cfg,
      `strategies:\n  - use: buy-and-hold\n    params: { size: 10 }\naccount: { cash: 10000 }\nbacktest:\n  universe: universe.csv\n  benchmark: false\n  data:\n    - file: ${AAPL}\n    - file: ${SPY}\n`,
    )
    const r = await runCliCaptured(['backtest', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    const f = j.cashFlows.find((x: { kind: string }) => x.kind === 'DELISTING')
    assert.ok(Math.abs(f.amount - 10 * 254.29 * 0.7) < 1e-9, String(f.amount))
  })
})
