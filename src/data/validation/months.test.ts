import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { getCalendar } from '../calendars/index.ts'
import { monthDuplicates, monthGaps } from './months.ts'

const T = (...days: [number, number, number][]) => Float64Array.from(days, ([y, m, d]) => Date.UTC(y, m - 1, d))

describe('month bar spacing', () => {
  it('finds a second bar in one month, whatever its day', () => {
    const t = T([1998, 1, 2], [1998, 2, 2], [1998, 2, 27], [1998, 3, 2])
    assert.deepEqual(monthDuplicates(t, new Uint8Array(4), 1), [{ index: 2, first: 1, month: '1998-02' }])
    assert.deepEqual(monthDuplicates(t, Uint8Array.of(0, 0, 1, 0), 1), [])
  })
  it('counts the months without a bar as gaps, in runs', () => {
    const t = T([1998, 1, 2], [1998, 4, 1], [1998, 5, 1], [1999, 1, 4])
    assert.deepEqual(monthGaps(t, new Uint8Array(4), 1, getCalendar('NYSE')), [
      { from: Date.UTC(1998, 1, 1), count: 2, session: '1998-02' },
      { from: Date.UTC(1998, 5, 1), count: 7, session: '1998-06' },
    ])
    assert.deepEqual(monthGaps(T([2024, 1, 1], [2024, 4, 1]), new Uint8Array(2), 3, getCalendar('24/7')), [])
  })
})
