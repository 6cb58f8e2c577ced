import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from './errors.ts'
import { parseIso, parseTimeBounds } from './time.ts'

describe('parseTimeBounds', () => {
  it('includes the whole UTC day of a date-only end and keeps a time-of-day end exclusive', () => {
    assert.deepEqual(parseTimeBounds('2010-01-01', '2015-12-31'), {
      from: Date.UTC(2010, 0, 1),
      to: Date.UTC(2016, 0, 1),
    })
    assert.deepEqual(parseTimeBounds(undefined, '2015-12-31T14:30:00Z'), { to: Date.UTC(2015, 11, 31, 14, 30) })
    assert.deepEqual(parseTimeBounds('2015-12-31T14:30', undefined), { from: Date.UTC(2015, 11, 31, 14, 30) })
    assert.deepEqual(parseTimeBounds(undefined, undefined), {})
  })

  it('takes a one-day range whose ends are the same date', () => {
    assert.deepEqual(parseTimeBounds('2015-12-31', '2015-12-31'), {
      from: Date.UTC(2015, 11, 31),
      to: Date.UTC(2016, 0, 1),
    })
  })

  it('refuses a start after the end, naming both settings, with the code asked for', () => {
    assert.throws(
      () => parseTimeBounds('2016-01-01', '2015-12-31'),
      (e) => isKestrelError(e, 'USAGE') && /--from 2016-01-01 is after --to 2015-12-31/.test(e.message),
    )
    assert.throws(
      () => parseTimeBounds('2015-12-31T14:30Z', '2015-12-31T14:30Z'),
      (e) => isKestrelError(e, 'USAGE'),
    )
    assert.throws(
      () =>
        parseTimeBounds('2016-01-01', '2015-01-01', {
          from: 'backtest.data[0].from',
          to: 'backtest.data[0].to',
          code: 'CONFIG_INVALID',
        }),
      (e) => isKestrelError(e, 'CONFIG_INVALID') && e.message.startsWith('backtest.data[0].from 2016-01-01 is after'),
    )
  })

  it('refuses unreadable and non-existent dates instead of rolling them over', () => {
    assert.throws(
      () => parseTimeBounds('2015-02-30', undefined),
      (e) => isKestrelError(e, 'USAGE') && /--from "2015-02-30": expected an ISO-8601 date/.test(e.message),
    )
    assert.throws(
      () => parseTimeBounds(undefined, 'yesterday'),
      (e) => isKestrelError(e, 'USAGE'),
    )
    assert.throws(
      () => parseIso('2015-02-29T10:00:00Z'),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    assert.equal(parseIso('2016-02-29'), Date.UTC(2016, 1, 29))
  })
})
