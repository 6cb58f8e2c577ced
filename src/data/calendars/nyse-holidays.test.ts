import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dayIndexToDate } from './timezone.ts'
import { easterSunday, nyseEarlyCloses, nyseHolidays } from './nyse-holidays.ts'

const dates = (xs: readonly { date: string }[]) => xs.map((x) => x.date)

// Published NYSE holiday schedules (nyse.com "Holidays & Trading Hours").
describe('nyseHolidays', () => {
  it('matches the published 2013 schedule', () => {
    assert.deepEqual(dates(nyseHolidays(2013)), [
      '2013-01-01', '2013-01-21', '2013-02-18', '2013-03-29', '2013-05-27',
      '2013-07-04', '2013-09-02', '2013-11-28', '2013-12-25',
    ]) // prettier-ignore
  })
  it('matches 2020: Independence Day on a Saturday is observed on Friday July 3', () => {
    assert.deepEqual(dates(nyseHolidays(2020)), [
      '2020-01-01', '2020-01-20', '2020-02-17', '2020-04-10', '2020-05-25',
      '2020-07-03', '2020-09-07', '2020-11-26', '2020-12-25',
    ]) // prettier-ignore
  })
  it('matches 2024, the first leap year with Juneteenth', () => {
    assert.deepEqual(dates(nyseHolidays(2024)), [
      '2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19',
      '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25',
    ]) // prettier-ignore
  })
  it('matches 2025 including the closure for President Carter', () => {
    assert.deepEqual(dates(nyseHolidays(2025)), [
      '2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26',
      '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25',
    ]) // prettier-ignore
  })
  it('observes New Year on Monday when Jan 1 is a Sunday, and not at all when it is a Saturday', () => {
    assert.equal(dates(nyseHolidays(2017))[0], '2017-01-02')
    assert.equal(dates(nyseHolidays(2023))[0], '2023-01-02')
    assert.equal(nyseHolidays(2022)[0]!.name, 'Martin Luther King Jr. Day') // Jan 1 2022 was a Saturday
    assert.ok(!dates(nyseHolidays(2021)).includes('2021-12-31'))
  })
  it('observes Juneteenth from 2022 only, moving Sunday to Monday', () => {
    assert.ok(dates(nyseHolidays(2022)).includes('2022-06-20'))
    assert.ok(!nyseHolidays(2021).some((h) => h.name === 'Juneteenth'))
    assert.ok(dates(nyseHolidays(2027)).includes('2027-06-18')) // Saturday → Friday
  })
  it('moves Christmas on a Saturday to Friday Dec 24 (2021) and on a Sunday to Monday (2022)', () => {
    assert.ok(dates(nyseHolidays(2021)).includes('2021-12-24'))
    assert.ok(dates(nyseHolidays(2022)).includes('2022-12-26'))
  })
  it('includes every special closure', () => {
    for (const d of [
      '2001-09-11',
      '2001-09-14',
      '2004-06-11',
      '2007-01-02',
      '2012-10-29',
      '2012-10-30',
      '2018-12-05',
    ]) {
      assert.ok(dates(nyseHolidays(Number(d.slice(0, 4)))).includes(d), d)
    }
  })
  it('has between 8 and 13 closures, all on weekdays, in every year 2000–2030', () => {
    for (let y = 2000; y <= 2030; y++) {
      const n = nyseHolidays(y).length
      assert.ok(n >= 8 && n <= 13, `${y}: ${n}`)
      for (const h of nyseHolidays(y)) {
        const w = new Date(`${h.date}T00:00:00Z`).getUTCDay()
        assert.ok(w >= 1 && w <= 5, `${h.date} ${h.name} on a weekend`)
      }
    }
  })
})

describe('nyseEarlyCloses', () => {
  it('matches the published early closes of 2013, 2019, 2020, 2024 and 2025', () => {
    assert.deepEqual(dates(nyseEarlyCloses(2013)), ['2013-07-03', '2013-11-29', '2013-12-24'])
    assert.deepEqual(dates(nyseEarlyCloses(2019)), ['2019-07-03', '2019-11-29', '2019-12-24'])
    assert.deepEqual(dates(nyseEarlyCloses(2020)), ['2020-11-27', '2020-12-24'])
    assert.deepEqual(dates(nyseEarlyCloses(2024)), ['2024-07-03', '2024-11-29', '2024-12-24'])
    assert.deepEqual(dates(nyseEarlyCloses(2025)), ['2025-07-03', '2025-11-28', '2025-12-24'])
  })
  it('closes early on Friday July 5 after a Thursday Independence Day before 2013 (2002)', () => {
    assert.deepEqual(dates(nyseEarlyCloses(2002)), ['2002-07-05', '2002-11-29', '2002-12-24'])
  })
  it('has no Christmas Eve early close when Dec 24 is the observed holiday (2021)', () => {
    assert.deepEqual(dates(nyseEarlyCloses(2021)), ['2021-11-26'])
  })
})

describe('easterSunday', () => {
  it('gives the published Easter dates', () => {
    const known = {
      2000: '2000-04-23',
      2008: '2008-03-23',
      2011: '2011-04-24',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2038: '2038-04-25',
    }
    for (const [y, d] of Object.entries(known)) assert.equal(dayIndexToDate(easterSunday(Number(y))), d)
  })
})
