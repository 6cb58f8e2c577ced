import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocBarSeries } from '../../core/index.ts'
import {
  matchSplitRatio,
  median,
  partitionSeries,
  robustScale,
  validateForFeatures,
  validateTransform,
} from './index.ts'

function series(times: number[], tf = '1m', step = 60_000) {
  const s = allocBarSeries('X', tf, times.length)
  times.forEach((t, i) => {
    s.openTime[i] = t
    s.closeTime[i] = t + step
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = 10
    s.volume[i] = 1
  })
  return s
}

describe('validateTransform (stage 2)', () => {
  it('accepts rows in = out + quarantined and increasing, non-overlapping bars', () => {
    const rep = validateTransform(series([0, 60_000, 180_000]), { rowsIn: 5, quarantined: 2 })
    assert.equal(rep.errors, 0)
  })

  it('flags a row-count mismatch, a non-increasing bar and a wrong close time', () => {
    const s = series([0, 60_000, 60_000, 240_000])
    s.closeTime[3] = 240_000 + 30_000
    const rep = validateTransform(s, { rowsIn: 5, quarantined: 0 })
    assert.deepEqual(
      rep.findings.map((f) => [f.reason, f.index ?? null]),
      [
        ['ROW_COUNT_MISMATCH', null],
        ['NOT_INCREASING', 2],
        ['BAD_CLOSE_TIME', 3],
      ],
    )
    assert.match(rep.findings[0]!.message, /5 rows in but 4 out \+ 0 quarantined = 4/)
  })
})

describe('validateForFeatures (stage 3)', () => {
  it('flags NaN and infinity by row and field, and too little history', () => {
    const s = series([0, 60_000, 120_000])
    s.close[1] = NaN
    s.volume[2] = Infinity
    const rep = validateForFeatures(s, 50)
    assert.deepEqual(
      rep.findings.map((f) => [f.reason, f.field ?? null, f.index ?? null]),
      [
        ['NON_FINITE', 'close', 1],
        ['NON_FINITE', 'volume', 2],
        ['INSUFFICIENT_HISTORY', null, null],
      ],
    )
    assert.deepEqual([...rep.rejected], [0, 1, 1])
  })
})

describe('robust statistics and split ratios', () => {
  it('median and MAD scale of a known sample; one wild value moves neither much', () => {
    const xs = [1, 2, 3, 4, 100]
    assert.equal(median(xs), 3)
    assert.equal(robustScale(xs, 3), 1.4826) // |x - 3| = 2,1,0,1,97 → MAD 1
  })

  it('matches split-sized jumps and not ordinary crashes', () => {
    assert.equal(matchSplitRatio(50.5 / 101)?.label, '2:1')
    assert.equal(matchSplitRatio(92.69 / 645.57)?.label, '7:1')
    assert.equal(matchSplitRatio(127.67 / 499.23)?.label, '4:1')
    assert.equal(matchSplitRatio(2 / 3)?.label, '3:2')
    assert.equal(matchSplitRatio(10)?.label, '1:10')
    assert.equal(matchSplitRatio(28.06 / 53.38), undefined) // AAPL 2000-09-29: a real -47 % day
    assert.equal(matchSplitRatio(0.95), undefined)
    // ORCL 1999-03-12 (split-adjusted): a -18 % gap is not a 5:4 split
    assert.equal(matchSplitRatio(7.53125 / 9.21875), undefined)
  })

  it('partitions kept and rejected rows in order', () => {
    const s = series([0, 60_000, 120_000, 180_000])
    const p = partitionSeries(s, Uint8Array.from([0, 1, 0, 1]))
    assert.deepEqual([...p.accepted.openTime], [0, 120_000])
    assert.deepEqual([...p.acceptedIndex], [0, 2])
    assert.deepEqual([...p.rejectedIndex], [1, 3])
  })
})
