import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { assertArraysClose } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import {
  CandleFeatures,
  LogReturn,
  calendarAt,
  calendarFeatures,
  candleFeatures,
  logReturns,
  multiHorizonReturns,
  sessionFlags,
} from './index.ts'

describe('log returns', () => {
  it('computes ln(C_t/C_{t-h}) with NaN inside the horizon', () => {
    const c = Float64Array.from([100, 110, 121, 99])
    const r2 = logReturns(c, 2)
    assert.ok(Number.isNaN(r2[0]!) && Number.isNaN(r2[1]!))
    assert.equal(r2[2], Math.log(121 / 100))
    assert.equal(r2[3], Math.log(99 / 110))
    assert.deepEqual(Object.keys(multiHorizonReturns(c, [1, 5])), ['ret_1', 'ret_5'])
  })
  it('streaming twin agrees on BTC-USD_1m for horizons 1, 5 and 60', () => {
    const s = loadBundled('BTC-USD_1m')
    for (const h of [1, 5, 60]) {
      const st = new LogReturn(h)
      const live = Float64Array.from(s.close, (c) => st.update(c))
      assertArraysClose(live, logReturns(s.close, h), 1e-12, `h=${h}`)
    }
  })
  it('rejects horizon 0 with PARAM_INVALID', () => {
    assert.throws(
      () => logReturns(new Float64Array(3), 0),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})

describe('candle features', () => {
  it('measures range, true range, wicks, body and gap of a hand-built bar', () => {
    const f = candleFeatures(
      Float64Array.from([10, 11]),
      Float64Array.from([12, 15]),
      Float64Array.from([9, 10]),
      Float64Array.from([10.5, 12]),
    )
    // bar 1: O 11 H 15 L 10 C 12, previous close 10.5
    assert.equal(f.range[1], 5)
    assert.equal(f.rangePct[1], 5 / 12)
    assert.equal(f.trueRangeNorm[1], (15 - 10) / 10.5)
    assert.equal(f.upperWick[1], 3 / 5)
    assert.equal(f.lowerWick[1], 1 / 5)
    assert.equal(f.body[1], 1 / 5)
    assert.equal(f.gap[1], Math.log(11 / 10.5))
    assert.ok(Number.isNaN(f.gap[0]!) && Number.isNaN(f.trueRangeNorm[0]!))
    // true range reaches back to a previous close outside the bar
    const g = candleFeatures(
      Float64Array.from([10, 8]),
      Float64Array.from([11, 9]),
      Float64Array.from([9, 7]),
      Float64Array.from([10.5, 8.5]),
    )
    assert.equal(g.trueRangeNorm[1], (10.5 - 7) / 10.5)
  })
  it('gives 0 wicks and body on a bar with no range', () => {
    const s = new CandleFeatures()
    const v = s.update(5, 5, 5, 5)
    assert.deepEqual([v[3], v[4], v[5]], [0, 0, 0])
  })
  it('wick fractions and |body| sum to 1 on every bar of SPY_1m with a range', () => {
    const s = loadBundled('SPY_1m')
    const f = candleFeatures(s.open, s.high, s.low, s.close)
    for (let i = 0; i < s.close.length; i++) {
      if (f.range[i]! === 0) continue
      assert.ok(Math.abs(f.upperWick[i]! + f.lowerWick[i]! + Math.abs(f.body[i]!) - 1) < 1e-9, `bar ${i}`)
    }
  })
})

describe('calendar and session features', () => {
  it('encodes Friday 2013-10-04 13:30 UTC as day 5 and time of day 0.5625', () => {
    const v = calendarAt(Date.parse('2013-10-04T13:30:00Z'))
    assert.equal(v[0], 5)
    assert.equal(v[3], 13.5 / 24)
    assert.ok(Math.abs(v[1]! - Math.sin((2 * Math.PI * 5) / 7)) < 1e-15)
    assert.ok(Math.abs(v[4]! ** 2 + v[5]! ** 2 - 1) < 1e-15)
    assert.equal(calendarAt(Date.parse('1970-01-04T00:00:00Z'))[0], 0) // a Sunday
  })
  it('cyclical encodings stay on the unit circle over a year of daily bars', () => {
    const t = Float64Array.from({ length: 365 }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000 + 3_600_000 * (i % 24))
    const f = calendarFeatures(t)
    for (let i = 0; i < t.length; i++) assert.ok(Math.abs(f.dowSin[i]! ** 2 + f.dowCos[i]! ** 2 - 1) < 1e-12)
  })
  it('turns the sessions reported by a sessionsAt function into 0/1 flags', () => {
    const at = (t: number) => (new Date(t).getUTCHours() < 8 ? ['Asia'] : ['London', 'NewYork'])
    const f = sessionFlags(Float64Array.from([Date.UTC(2020, 0, 2, 3), Date.UTC(2020, 0, 2, 14)]), at)
    assert.deepEqual([...f.asia], [1, 0])
    assert.deepEqual([...f.london], [0, 1])
    assert.deepEqual([...f.newYork], [0, 1])
  })
})
