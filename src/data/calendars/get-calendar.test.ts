import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { getCalendar } from './get-calendar.ts'
import { dayIndexToDate } from './timezone.ts'

const T = (iso: string) => Date.parse(iso)

describe('NYSE', () => {
  const nyse = getCalendar('NYSE')
  it('opens 09:30 and closes 16:00 New York across the spring DST change (2024-03-08 / 2024-03-11)', () => {
    const [fri, mon] = nyse.sessions(T('2024-03-08T00:00:00Z'), T('2024-03-12T00:00:00Z'))
    assert.equal(fri!.open, T('2024-03-08T14:30:00Z')) // EST, UTC−5
    assert.equal(fri!.close, T('2024-03-08T21:00:00Z'))
    assert.equal(mon!.open, T('2024-03-11T13:30:00Z')) // EDT, UTC−4
    assert.equal(mon!.close, T('2024-03-11T20:00:00Z'))
  })
  it('follows the autumn DST change (2024-11-01 EDT, 2024-11-04 EST)', () => {
    assert.equal(nyse.sessionAt(T('2024-11-01T13:30:00Z'))?.date, '2024-11-01')
    assert.equal(nyse.sessionAt(T('2024-11-04T13:30:00Z')), undefined)
    assert.equal(nyse.sessionAt(T('2024-11-04T14:30:00Z'))?.date, '2024-11-04')
  })
  it('closes at 13:00 on the day after Thanksgiving', () => {
    const s = nyse.sessionAt(T('2024-11-29T15:00:00Z'))!
    assert.equal(s.earlyClose, true)
    assert.equal(s.close, T('2024-11-29T18:00:00Z'))
    assert.equal(nyse.isOpen(T('2024-11-29T18:00:00Z')), false)
    assert.equal(nyse.isOpen(T('2024-11-29T17:59:00Z')), true)
  })
  it('is closed on holidays and weekends and knows holidays by date', () => {
    assert.equal(nyse.isOpen(T('2024-07-04T15:00:00Z')), false)
    assert.equal(nyse.isOpen(T('2024-07-06T15:00:00Z')), false)
    assert.equal(nyse.isHoliday('2024-07-04'), true)
    assert.equal(nyse.isHoliday('2024-07-06'), false) // a Saturday is not a holiday
    assert.equal(nyse.isTradingDay('2024-07-05'), true)
  })
  it('finds the next session over a long weekend', () => {
    assert.equal(nyse.nextSession(T('2024-03-28T21:00:00Z'))?.date, '2024-04-01') // Good Friday in between
  })
  it('rejects a malformed date with PARAM_INVALID', () => {
    assert.throws(
      () => nyse.isHoliday('2024-02-30'),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })

  it('has the published number of trading days per year', () => {
    const published: Record<number, number> = {
      2012: 250,
      2013: 252,
      2018: 251,
      2019: 252,
      2020: 253,
      2022: 251,
      2023: 250,
      2024: 252,
    }
    for (const [year, days] of Object.entries(published)) {
      const from = Date.parse(`${year}-01-01T00:00:00Z`)
      const to = Date.parse(`${Number(year) + 1}-01-01T00:00:00Z`)
      assert.equal(nyse.sessions(from, to).length, days, year)
    }
  })

  it('agrees with every trading day of the bundled SPY_1d (1998–2021) in both directions', () => {
    const text = readFileSync(new URL('../../../data/bundled/SPY_1d.csv', import.meta.url), 'utf8')
    const traded = new Set(
      text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.slice(0, 10)),
    )
    assert.equal(traded.size, 5849)
    const first = Date.parse('1998-01-02T00:00:00Z') / 86_400_000
    const last = Date.parse('2021-03-31T00:00:00Z') / 86_400_000
    const extra: string[] = []
    const missing: string[] = []
    for (let d = first; d <= last; d++) {
      const date = dayIndexToDate(d)
      const open = nyse.isTradingDay(date)
      if (open && !traded.has(date)) missing.push(date)
      if (!open && traded.has(date)) extra.push(date)
    }
    assert.deepEqual(extra, [])
    assert.deepEqual(missing, [])
  })
})

describe('NYSE_EXT', () => {
  it('runs 04:00–20:00 New York, to 17:00 on early-close days', () => {
    const ext = getCalendar('NYSE_EXT')
    const s = ext.sessionAt(T('2013-10-04T08:06:00Z'))!
    assert.equal(s.open, T('2013-10-04T08:00:00Z'))
    assert.equal(s.close, T('2013-10-05T00:00:00Z'))
    assert.equal(ext.sessionAt(T('2024-12-24T21:30:00Z'))?.close, T('2024-12-24T22:00:00Z'))
  })
})

describe('24/7', () => {
  it('has one session per UTC day, every day', () => {
    const c = getCalendar('24/7')
    const ss = c.sessions(T('2018-04-04T12:00:00Z'), T('2018-04-07T00:00:00Z'))
    assert.deepEqual(
      ss.map((s) => [s.date, s.open, s.close]),
      [
        ['2018-04-04', T('2018-04-04T00:00:00Z'), T('2018-04-05T00:00:00Z')],
        ['2018-04-05', T('2018-04-05T00:00:00Z'), T('2018-04-06T00:00:00Z')],
        ['2018-04-06', T('2018-04-06T00:00:00Z'), T('2018-04-07T00:00:00Z')],
      ],
    )
    assert.equal(getCalendar('crypto'), c)
  })
})

describe('FX and METALS', () => {
  const fx = getCalendar('FX')
  it('opens the week Sunday 17:00 New York and closes it Friday 17:00 New York', () => {
    assert.equal(fx.isOpen(T('2024-07-07T20:59:00Z')), false) // Sunday 16:59 EDT
    assert.equal(fx.isOpen(T('2024-07-07T21:00:00Z')), true) // Sunday 17:00 EDT
    assert.equal(fx.sessionAt(T('2024-07-07T21:00:00Z'))?.date, '2024-07-08')
    assert.equal(fx.isOpen(T('2024-07-12T20:59:00Z')), true) // Friday 16:59 EDT
    assert.equal(fx.isOpen(T('2024-07-12T21:00:00Z')), false)
    assert.equal(fx.isOpen(T('2024-07-13T12:00:00Z')), false) // Saturday
    assert.equal(fx.isOpen(T('2024-01-07T22:00:00Z')), true) // Sunday 17:00 EST
    assert.equal(fx.isOpen(T('2024-07-10T21:00:00Z')), true) // the daily roll does not close FX
  })
  it('gives metals a daily 17:00–18:00 New York break', () => {
    const m = getCalendar('METALS')
    assert.equal(m.isOpen(T('2024-07-10T20:59:00Z')), true)
    assert.equal(m.isOpen(T('2024-07-10T21:30:00Z')), false)
    assert.equal(m.isOpen(T('2024-07-10T22:00:00Z')), true)
    assert.equal(m.isOpen(T('2024-07-07T21:30:00Z')), false) // Sunday: opens 18:00
    assert.equal(m.isOpen(T('2024-07-07T22:00:00Z')), true)
  })
  it('rejects an unknown calendar id', () => {
    assert.throws(
      () => getCalendar('LSE'),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
