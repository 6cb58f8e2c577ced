/**
 * Account events from a `backtest:` config on real data: the bundled AAPL daily file is unadjusted (four
 * splits, 112 new shares per 1998 share), so buy-and-hold only holds its value with the splits as events.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { backtestSection, kestrelConfigSchema } from '../core/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { backtestFromConfig } from './setup.ts'
import { readFundingRates } from './account-config.ts'

const BUNDLED = join(import.meta.dirname, '..', '..', 'data', 'bundled')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-actions-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const ACTIONS = `symbol,date,type,value
AAPL,2000-06-21,split,2:1
AAPL,2005-02-28,split,2:1
AAPL,2014-06-09,split,7:1
AAPL,2020-08-31,split,4
MSFT,2003-02-18,split,2
`
writeFileSync(join(dir, 'actions.csv'), ACTIONS)

async function run(extra: Record<string, unknown>) {
  const cfg = kestrelConfigSchema.parse({
    strategies: [{ use: 'buy-and-hold', params: { size: 100 } }],
    account: { cash: 10_000 },
    backtest: { data: [{ file: join(BUNDLED, 'AAPL_1d.csv') }], ...extra },
  })
  const c = await backtestFromConfig(cfg, dir)
  return { c, r: await runBacktest(c.options) }
}

describe('account events from the config', () => {
  it('AAPL buy-and-hold over four splits holds 11,200 shares and its value', async () => {
    const { c, r } = await run({ corporateActions: 'actions.csv' })
    const s = c.loaded[0]!.series!
    const last = s.close[s.close.length - 1]!
    const pos = r.positions.at(-1)!
    assert.equal(pos.quantity, 100 * 2 * 2 * 7 * 4)
    assert.equal(r.cashFlows.filter((f) => f.kind === 'SPLIT').length, 4)
    const cost = r.fills[0]!.price * 100
    assert.ok(Math.abs(r.finalEquity - (10_000 - cost + 11_200 * last)) < 1e-6)
    // On each ex-date the equity moves by the day's real return, not by the split: 2014-06-09 closed at 93.70
    // after 645.57 the session before, ×7 shares: +1.60 %.
    const i = r.equity.time.findIndex((t) => t === Date.UTC(2014, 5, 10))
    const ret = r.equity.value[i]! / r.equity.value[i - 1]! - 1
    const expected = (10_000 - cost + 2_800 * 93.7) / (10_000 - cost + 400 * 645.57) - 1
    assert.ok(Math.abs(ret - expected) < 1e-12, `${ret} vs ${expected}`)
    assert.ok(ret > 0.01)
  })

  it('without them the same run books a 76 % "crash" on 2014-06-09', async () => {
    const { r } = await run({})
    const i = r.equity.time.findIndex((t) => t === Date.UTC(2014, 5, 10))
    assert.ok(r.equity.value[i]! / r.equity.value[i - 1]! - 1 < -0.7)
  })

  it('a funding or swap key that names no instrument is CONFIG_INVALID, listing the known ones', async () => {
    await assert.rejects(
      run({ funding: { AAPX: { rate: 0.0001 } } }),
      /backtest\.funding\.AAPX: no instrument "AAPX" in this backtest \(near: AAPL\.SIM\)/,
    )
    await assert.rejects(
      run({ swap: { MSFT: { longAnnualRate: 0.01, shortAnnualRate: 0.01 } } }),
      /backtest\.swap\.MSFT: no instrument "MSFT" in this backtest/,
    )
  })

  it('the schema refuses a bad rollover time and an absurd rate', () => {
    const base = { data: [{ file: 'x.csv' }] }
    assert.ok(
      !backtestSection.safeParse({ ...base, swap: { X: { longAnnualRate: 0, shortAnnualRate: 0, rollover: '25:00' } } })
        .success,
    )
    assert.ok(!backtestSection.safeParse({ ...base, funding: { X: { rate: 1.5 } } }).success)
  })

  it('reads a funding history and names the line of a bad row', async () => {
    const good = join(dir, 'rates.csv')
    writeFileSync(good, 'time,rate\n2024-01-01T08:00:00Z,0.0001\n1704096000000,-0.00005\n')
    assert.deepEqual(await readFundingRates(good), [
      { time: Date.UTC(2024, 0, 1, 8), rate: 0.0001 },
      { time: 1704096000000, rate: -0.00005 },
    ])
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'time,rate\n2024-01-01T08:00:00Z,0.0001\n2024-01-01T16:00:00Z,abc\n')
    await assert.rejects(readFundingRates(bad), /bad\.csv line 3: rate "abc"/)
    writeFileSync(bad, 'when,what\n')
    await assert.rejects(readFundingRates(bad), /header must be time,rate/)
    await assert.rejects(readFundingRates(join(dir, 'missing.csv')), /no such file/)
  })
})
