import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { barCloseTime, barOpenTime, barTimes, monthIndex, monthStartOf } from './bar-times.ts'
import { parseAnyTimeframe } from './time.ts'

const MO = parseAnyTimeframe('1mo')
const D = parseAnyTimeframe('1d')

describe('bar times', () => {
  it('closes a month bar at the start of the next month, across a year end and a leap February', () => {
    assert.equal(barCloseTime(Date.UTC(1998, 0, 2), MO), Date.UTC(1998, 1, 1))
    assert.equal(barCloseTime(Date.UTC(1999, 11, 1), MO), Date.UTC(2000, 0, 1))
    assert.equal(barCloseTime(Date.UTC(2000, 1, 1), MO) - Date.UTC(2000, 1, 1), 29 * 86_400_000)
    assert.equal(barCloseTime(Date.UTC(2024, 0, 1), parseAnyTimeframe('3mo')), Date.UTC(2024, 3, 1))
    assert.equal(barCloseTime(Date.UTC(2024, 0, 1), D), Date.UTC(2024, 0, 2))
  })
  it('opens a month bar stamped at its close on the first of the month it closes', () => {
    // the month's last session, and the first instant of the next month
    assert.equal(barOpenTime(Date.UTC(1998, 0, 30), MO, 'close'), Date.UTC(1998, 0, 1))
    assert.equal(barOpenTime(Date.UTC(1998, 1, 1), MO, 'close'), Date.UTC(1998, 0, 1))
    assert.equal(barOpenTime(Date.UTC(2024, 0, 2), D, 'close'), Date.UTC(2024, 0, 1))
    const t = barTimes([Date.UTC(1998, 0, 30), Date.UTC(1998, 1, 27)], MO, 'close')
    assert.deepEqual([...t.openTime], [Date.UTC(1998, 0, 1), Date.UTC(1998, 1, 1)])
    assert.deepEqual([...t.closeTime], [Date.UTC(1998, 1, 1), Date.UTC(1998, 2, 1)])
  })
  it('puts every instant of a month, before 1970 too, in that month', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3e12, max: 4e12 }), (t) => {
        const m = monthIndex(t)
        assert.ok(monthStartOf(m) <= t && t < monthStartOf(m + 1))
        assert.equal(barCloseTime(t, MO), monthStartOf(m + 1))
        assert.equal(barOpenTime(barCloseTime(t, MO), MO, 'close'), monthStartOf(m))
      }),
    )
  })
})
