import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError, isoUtc, toBarSeries } from '../../core/index.ts'
import { readCsvFile } from '../csv/index.ts'
import { DuckDbStore } from '../store/duckdb/index.ts'
import { dataVersion } from '../version/data-version.ts'
import { importCsvFile } from '../ingest/index.ts'
import { matchSplitRatio, validateIngest } from '../validation/index.ts'
import { adjustStoredSeries, backAdjust, parseCorporateActions, readCorporateActions } from './index.ts'

const ACTIONS = 'test/fixtures/data/AAPL_corporate_actions.csv'

describe('backAdjust', () => {
  it('AAPL_1d with its four splits has no split-sized overnight jumps left', async () => {
    const raw = (await readCsvFile('data/bundled/AAPL_1d.csv')).series
    const { actions } = await readCorporateActions(ACTIONS)
    const adj = backAdjust(raw, actions, 'AAPL')
    const before = validateIngest(raw).findings.filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT')
    const after = validateIngest(adj.series).findings.filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT')
    assert.equal(before.length, 4)
    assert.deepEqual(after, [])
    // and no overnight move anywhere matches a split ratio (the largest left is the real -47 % of 2000-09-29)
    const jumps: string[] = []
    for (let i = 1; i < adj.series.close.length; i++) {
      const m = matchSplitRatio(adj.series.open[i]! / adj.series.close[i - 1]!)
      if (m) jumps.push(`${isoUtc(adj.series.openTime[i]!)} ${m.label}`)
    }
    assert.deepEqual(jumps, [])
  })

  it('keeps the latest prices as traded and divides the oldest by 2·2·7·4 = 112 (volume × 112)', async () => {
    const raw = (await readCsvFile('data/bundled/AAPL_1d.csv')).series
    const adj = backAdjust(raw, (await readCorporateActions(ACTIONS)).actions, 'AAPL').series
    const last = raw.close.length - 1
    assert.equal(isoUtc(raw.openTime[last]!), '2021-03-31T00:00:00Z')
    assert.equal(adj.close[last], raw.close[last])
    assert.equal(adj.volume[last], raw.volume[last])
    assert.ok(Math.abs(adj.close[0]! - 16.25 / 112) < 1e-12)
    assert.equal(adj.volume[0], 6315000 * 112)
    // 2014-06-06 close 645.57 → 645.57 / (7·4); 2014-06-09 (ex-date) → only / 4
    const at = (d: string) => raw.openTime.indexOf(Date.parse(`${d}T00:00:00Z`))
    assert.ok(Math.abs(adj.close[at('2014-06-06')]! - 645.57 / 28) < 1e-12)
    assert.ok(Math.abs(adj.close[at('2014-06-09')]! - 93.7 / 4) < 1e-12)
  })

  it('scales prices before a dividend ex-date by 1 - D / prior close', () => {
    const t = (d: number) => Date.UTC(2024, 0, d)
    const s = toBarSeries(
      [10, 20, 19, 21].map((c, i) => ({
        instrumentId: 'X',
        timeframe: '1d',
        openTime: t(i + 1),
        closeTime: t(i + 2),
        open: c,
        high: c,
        low: c,
        close: c,
        volume: 100,
      })),
    )
    const actions = parseCorporateActions('symbol,date,type,value\nX,2024-01-03,dividend,0.5\nY,2024-01-02,split,2\n')
    const adj = backAdjust(s, actions, 'x')
    const f = 1 - 0.5 / 20
    assert.deepEqual([...adj.series.close], [10 * f, 20 * f, 19, 21])
    assert.deepEqual([...adj.series.volume], [100, 100, 100, 100])
    assert.deepEqual(
      adj.applied.map((a) => [a.action.date, a.priceFactor, a.bars]),
      [['2024-01-03', f, 2]],
    )
  })

  it('rejects a bad actions row naming the line, and reads 3:2 ratios', () => {
    assert.throws(
      () =>
        parseCorporateActions('symbol,date,type,value\nAAPL,2014-06-09,split,7\nAAPL,2014-13-01,split,2\n', 'ca.csv'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && /^ca\.csv line 3: date "2014-13-01"/.test(e.message),
    )
    assert.throws(
      () => parseCorporateActions('symbol,date,type,value\nAAPL,2014-06-09,merger,2\n'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && /expected split or dividend/.test(e.message),
    )
    assert.equal(parseCorporateActions('symbol,date,type,value\nX,2020-01-02,split,3:2\n')[0]!.value, 1.5)
  })

  it('adjusts a stored series and records the raw data version and the actions hash', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    await importCsvFile(store, 'data/bundled/AAPL_1d.csv', { venue: 'NASDAQ' })
    const r = await adjustStoredSeries(store, 'AAPL.NASDAQ', '1d', ACTIONS)
    assert.equal(
      r.dataVersion,
      dataVersion([await store.readBars('AAPL.NASDAQ', '1d')], ['AAPL.NASDAQ/1d/1']).dataVersion,
    )
    assert.match(r.actionsHash, /^[0-9a-f]{64}$/)
    assert.equal(r.applied.length, 4)
    assert.equal(r.series.close.length, 5846)
    await store.close()
  })
})
