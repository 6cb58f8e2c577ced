import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocBarSeries, isoUtc, type BarSeries } from '../../core/index.ts'
import { getCalendar } from '../calendars/index.ts'
import { fillGaps } from './fill-gaps.ts'

const MIN = 60_000
const DAY = 86_400_000

/** Bars at the given ISO open times with closes `closes` (open = close - 0.5, high = close + 1, low = close - 1). */
function bars(tf: string, barMs: number, times: readonly string[], closes: readonly number[]): BarSeries {
  const s = allocBarSeries('SPY.ARCA', tf, times.length)
  times.forEach((t, i) => {
    s.openTime[i] = Date.parse(t)
    s.closeTime[i] = Date.parse(t) + barMs
    s.close[i] = closes[i]!
    s.open[i] = closes[i]! - 0.5
    s.high[i] = closes[i]! + 1
    s.low[i] = closes[i]! - 1
    s.volume[i] = 100 + i
  })
  return s
}

function rows(s: BarSeries & { filled: Uint8Array }) {
  return [...s.openTime].map((t, i) => [
    isoUtc(t),
    s.open[i],
    s.high[i],
    s.low[i],
    s.close[i],
    s.volume[i],
    s.filled[i],
    s.closeTime[i]! - t,
  ])
}

describe('fillGaps', () => {
  it('inserts the missing minutes of NYSE sessions, forward-filled and flagged, and none outside the sessions', () => {
    // Monday 2020-03-02: the session opens 14:30Z and closes 21:00Z; Tuesday 2020-03-03 opens 14:30Z
    const s = bars(
      '1m',
      MIN,
      [
        '2020-03-02T14:30:00Z',
        '2020-03-02T14:31:00Z',
        '2020-03-02T14:34:00Z',
        '2020-03-02T20:59:00Z',
        '2020-03-03T14:32:00Z',
      ],
      [10, 11, 14, 20, 21],
    )
    const full = fillGaps(s, getCalendar('NYSE'))
    // 14:32, 14:33, then 14:35 … 20:58 (384 minutes), then Tuesday 14:30 and 14:31
    assert.equal(full.filled, 2 + 384 + 2)
    assert.equal(full.series.openTime.length, 5 + 388)
    const r = rows(full.series)
    assert.deepEqual(r.slice(0, 5), [
      ['2020-03-02T14:30:00Z', 9.5, 11, 9, 10, 100, 0, MIN],
      ['2020-03-02T14:31:00Z', 10.5, 12, 10, 11, 101, 0, MIN],
      ['2020-03-02T14:32:00Z', 11, 11, 11, 11, 0, 1, MIN],
      ['2020-03-02T14:33:00Z', 11, 11, 11, 11, 0, 1, MIN],
      ['2020-03-02T14:34:00Z', 13.5, 15, 13, 14, 102, 0, MIN],
    ])
    assert.deepEqual(r[5], ['2020-03-02T14:35:00Z', 14, 14, 14, 14, 0, 1, MIN])
    assert.deepEqual(r.slice(-4), [
      ['2020-03-02T20:59:00Z', 19.5, 21, 19, 20, 103, 0, MIN],
      ['2020-03-03T14:30:00Z', 20, 20, 20, 20, 0, 1, MIN],
      ['2020-03-03T14:31:00Z', 20, 20, 20, 20, 0, 1, MIN],
      ['2020-03-03T14:32:00Z', 20.5, 22, 20, 21, 104, 0, MIN],
    ])
    assert.equal(
      full.series.filled.reduce((a, f) => a + f, 0),
      full.filled,
    )
    for (let i = 1; i < full.series.openTime.length; i++)
      assert.ok(full.series.openTime[i]! > full.series.openTime[i - 1]!)
  })

  it('inserts missing daily sessions, skipping weekends and the 2020-07-03 holiday', () => {
    const s = bars('1d', DAY, ['2020-07-01T00:00:00Z', '2020-07-02T00:00:00Z', '2020-07-08T00:00:00Z'], [300, 301, 305])
    const full = fillGaps(s, getCalendar('NYSE'))
    assert.equal(full.filled, 2)
    assert.deepEqual(rows(full.series), [
      ['2020-07-01T00:00:00Z', 299.5, 301, 299, 300, 100, 0, DAY],
      ['2020-07-02T00:00:00Z', 300.5, 302, 300, 301, 101, 0, DAY],
      ['2020-07-06T00:00:00Z', 301, 301, 301, 301, 0, 1, DAY],
      ['2020-07-07T00:00:00Z', 301, 301, 301, 301, 0, 1, DAY],
      ['2020-07-08T00:00:00Z', 304.5, 306, 304, 305, 102, 0, DAY],
    ])
  })

  it("closes a filled bar at the session's close when that comes before a whole bar", () => {
    const H = 3_600_000
    const s = bars('1h', H, ['2020-03-02T18:30:00Z', '2020-03-02T19:30:00Z', '2020-03-03T14:30:00Z'], [1, 2, 3])
    const full = fillGaps(s, getCalendar('NYSE'))
    assert.equal(full.filled, 1)
    assert.deepEqual(rows(full.series)[2], ['2020-03-02T20:30:00Z', 2, 2, 2, 2, 0, 1, H / 2])
  })

  it('returns a series without gaps unchanged, every flag 0', () => {
    const s = bars('1d', DAY, ['2020-07-06T00:00:00Z', '2020-07-07T00:00:00Z'], [1, 2])
    const full = fillGaps(s, getCalendar('NYSE'))
    assert.equal(full.filled, 0)
    assert.deepEqual([...full.series.filled], [0, 0])
    assert.deepEqual([...full.series.close], [1, 2])
  })
})
