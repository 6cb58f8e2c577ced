/**
 * `kestrel backtest --actions`: the bundled AAPL daily file is unadjusted; with its splits as engine events a
 * buy-and-hold of 100 shares ends with 11,200 and the value they have, and the JSON lists what each event did.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const AAPL = join(import.meta.dirname, '..', '..', '..', 'data', 'bundled', 'AAPL_1d.csv')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-actions-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const actions = join(dir, 'actions.csv')
writeFileSync(
  actions,
  'symbol,date,type,value\nAAPL,2000-06-21,split,2:1\nAAPL,2005-02-28,split,2:1\nAAPL,2014-06-09,split,7:1\nAAPL,2020-08-31,split,4:1\nAAPL,2019-02-08,dividend,0.73\n',
)
const base = [
  'backtest',
  '--data',
  AAPL,
  '--strategy',
  'buy-and-hold',
  '--param',
  'size=100',
  '--cash',
  '10000',
  '--fee-rate',
  '0',
  '--json',
]

describe('backtest --actions', () => {
  it('applies the splits and the dividend as events', async () => {
    const r = await runCliCaptured([...base, '--actions', actions])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    const kinds = j.cashFlows.map((f: { kind: string }) => f.kind)
    assert.deepEqual(kinds, ['SPLIT', 'SPLIT', 'SPLIT', 'DIVIDEND', 'SPLIT'])
    // The 2019 dividend is paid on 2,800 shares (after 2:1, 2:1 and 7:1).
    const div = j.cashFlows[3]
    assert.deepEqual(
      { q: div.quantity, amount: div.amount, time: div.time },
      { q: 2800, amount: 2800 * 0.73, time: '2019-02-08T05:00:00Z' },
    )
    assert.equal(j.carry, 2044)
    const plain = JSON.parse((await runCliCaptured(base)).out)
    const cost = j.fills[0].price * 100
    assert.ok(Math.abs(j.finalEquity - (10_000 - cost + 2044 + 11_200 * 122.15)) < 1e-6, String(j.finalEquity))
    assert.ok(Math.abs(plain.finalEquity - (10_000 - cost + 100 * 122.15)) < 1e-6, String(plain.finalEquity))
  })

  it('a missing or malformed actions file is an error naming it; with --config it is a usage error', async () => {
    const missing = await runCliCaptured([...base, '--actions', join(dir, 'nope.csv')])
    assert.notEqual(missing.code, 0)
    assert.match(missing.err, /nope\.csv: no such file/)
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'symbol,date,type,value\nAAPL,2014-06-09,split,-7\n')
    const r = await runCliCaptured([...base, '--actions', bad])
    assert.notEqual(r.code, 0)
    assert.match(r.err, /bad\.csv line 2: split value "-7" must be a number > 0/)
    const cfg = await runCliCaptured(['backtest', '--config', join(dir, 'x.yaml'), '--actions', actions])
    assert.equal(cfg.code, 2)
    assert.match(cfg.err, /--actions \(backtest\.corporateActions\)/)
  })
})
