import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Finding } from '../validation/index.ts'
import { parseCorporateActions } from './actions.ts'
import { actionsRowFor, splitWarnings, unexplainedSplits, type SplitWarning } from './split-warnings.ts'

const finding = (iso: string, ratio: string, factor: number): Finding => ({
  stage: 'ingest',
  severity: 'warning',
  reason: 'SUSPECTED_UNADJUSTED_SPLIT',
  message: `x.csv: a ${ratio} jump`,
  timestamp: Date.parse(iso),
  details: { ratio, factor },
})
const ctx = { instrumentId: 'AAPL.SIM', symbol: 'AAPL', timeframe: '1m', timezone: 'America/New_York' }

describe('splitWarnings', () => {
  it('keeps only suspected splits and dates intraday bars by the exchange day', () => {
    const other: Finding = { ...finding('2014-06-09T13:30:00Z', '', 0), reason: 'OUTLIER_RETURN' }
    // 02:30Z on 2014-06-10 is 22:30 on 2014-06-09 in New York.
    const w = splitWarnings([other, finding('2014-06-10T02:30:00Z', '7:1', 0.143)], ctx)
    assert.deepEqual(
      w.map((x) => [x.code, x.instrument, x.date, x.time, x.ratio, x.factor]),
      [['SUSPECTED_UNADJUSTED_SPLIT', 'AAPL.SIM', '2014-06-09', '2014-06-10T02:30:00Z', '7:1', 0.143]],
    )
  })

  it('dates daily bars by their UTC date (the session date at 00:00Z)', () => {
    const w = splitWarnings([finding('2014-06-09T00:00:00Z', '7:1', 0.1436)], { ...ctx, timeframe: '1d' })
    assert.equal(w[0]!.date, '2014-06-09')
  })
})

describe('unexplainedSplits', () => {
  const w = splitWarnings([finding('2014-06-09T08:01:00Z', '7:1', 92.46 / 645.7)], ctx)
  const actions = (rows: string) => parseCorporateActions(`symbol,date,type,value\n${rows}`)

  it('drops a warning a split of the same symbol, date and ratio explains', () => {
    assert.deepEqual(unexplainedSplits(w, actions('AAPL,2014-06-09,split,7:1\n')), [])
    assert.deepEqual(unexplainedSplits(w, actions('aapl,2014-06-09,split,7\n')), [])
  })

  it('keeps it for another date, ratio, symbol or a dividend', () => {
    for (const row of [
      'AAPL,2014-06-10,split,7',
      'AAPL,2014-06-09,split,2',
      'MSFT,2014-06-09,split,7',
      'AAPL,2014-06-09,dividend,7',
    ])
      assert.equal(unexplainedSplits(w, actions(`${row}\n`)).length, 1, row)
  })
})

describe('actionsRowFor', () => {
  it('writes the row that applies the ratio', () => {
    const of = (ratio: string) => actionsRowFor({ symbol: 'X', date: '2020-01-02', ratio } as SplitWarning)
    assert.equal(of('7:1'), 'X,2020-01-02,split,7')
    assert.equal(of('3:2'), 'X,2020-01-02,split,3:2')
    assert.equal(of('1:10'), 'X,2020-01-02,split,1:10')
    // the row parses back to the ratio's shares per old share
    assert.equal(parseCorporateActions(`symbol,date,type,value\n${of('1:10')}\n`)[0]!.value, 0.1)
  })
})
