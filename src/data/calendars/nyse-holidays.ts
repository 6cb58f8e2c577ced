/**
 * NYSE full-day holidays and 13:00 early closes, computed by rule (NYSE Rule 7.2 and its history) plus the
 * special closures of 2000–2030. Valid from 1998 (MLK Day) on; the rules are those in force since then.
 */
import { dateToDayIndex, dayIndexOf, dayIndexToDate, weekdayOf } from './timezone.ts'

/** A named day on the NYSE calendar. */
export interface NamedDay {
  /** `YYYY-MM-DD`. */
  readonly date: string
  readonly name: string
}

/** Unscheduled closures (national days of mourning, 9/11, Hurricane Sandy). */
export const NYSE_SPECIAL_CLOSURES: readonly NamedDay[] = [
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'Mourning for President Reagan' },
  { date: '2007-01-02', name: 'Mourning for President Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'Mourning for President George H. W. Bush' },
  { date: '2025-01-09', name: 'Mourning for President Carter' },
]

const SAT = 6
const SUN = 0
const MON = 1
const THU = 4
const FRI = 5

/** Easter Sunday (Gregorian) as a day index: the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dayIndexOf(year, month, day)
}

/** The n-th (1-based) `weekday` of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayIndexOf(year, month, 1)
    return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7
  }
  const last = dayIndexOf(year, month + 1, 1) - 1
  return last - ((weekdayOf(last) - weekday + 7) % 7)
}

/** Saturday → Friday before, Sunday → Monday after (NYSE observance of fixed-date holidays). */
function observed(day: number): number {
  const w = weekdayOf(day)
  return w === SAT ? day - 1 : w === SUN ? day + 1 : day
}

const holidayCache = new Map<number, readonly NamedDay[]>()
const earlyCache = new Map<number, readonly NamedDay[]>()

/** NYSE full-day closures of `year` (rule holidays and special closures), sorted by date. */
export function nyseHolidays(year: number): readonly NamedDay[] {
  const hit = holidayCache.get(year)
  if (hit) return hit
  const days: [number, string][] = []
  // New Year's Day: Sunday → Monday; on a Saturday nothing is observed (the Friday before is a year-end day).
  const ny = dayIndexOf(year, 1, 1)
  if (weekdayOf(ny) !== SAT) days.push([observed(ny), "New Year's Day"])
  if (year >= 1998) days.push([nthWeekday(year, 1, MON, 3), 'Martin Luther King Jr. Day'])
  days.push([nthWeekday(year, 2, MON, 3), "Washington's Birthday"])
  days.push([easterSunday(year) - 2, 'Good Friday'])
  days.push([nthWeekday(year, 5, MON, -1), 'Memorial Day'])
  if (year >= 2022) days.push([observed(dayIndexOf(year, 6, 19)), 'Juneteenth'])
  days.push([observed(dayIndexOf(year, 7, 4)), 'Independence Day'])
  days.push([nthWeekday(year, 9, MON, 1), 'Labor Day'])
  days.push([nthWeekday(year, 11, THU, 4), 'Thanksgiving Day'])
  days.push([observed(dayIndexOf(year, 12, 25)), 'Christmas Day'])
  for (const s of NYSE_SPECIAL_CLOSURES) {
    if (s.date.startsWith(`${year}-`)) days.push([dateToDayIndex(s.date), s.name])
  }
  const out = days
    .filter(([d]) => dayIndexToDate(d).startsWith(`${year}-`))
    .sort((a, b) => a[0] - b[0])
    .map(([d, name]) => ({ date: dayIndexToDate(d), name }))
  holidayCache.set(year, out)
  return out
}

/** NYSE 13:00 early closes of `year`, sorted by date. */
export function nyseEarlyCloses(year: number): readonly NamedDay[] {
  const hit = earlyCache.get(year)
  if (hit) return hit
  const closed = new Set(nyseHolidays(year).map((h) => h.date))
  const days: [number, string][] = []
  // Before Independence Day: July 3 on Mon/Tue/Thu, and on Wed from 2013; before 2013 a Friday July 5 after a
  // Thursday holiday closed early instead.
  const jul3 = dayIndexOf(year, 7, 3)
  const w3 = weekdayOf(jul3)
  if (w3 >= MON && w3 <= THU && (w3 !== 3 || year >= 2013)) days.push([jul3, 'Day before Independence Day'])
  const jul5 = dayIndexOf(year, 7, 5)
  if (year < 2013 && weekdayOf(jul5) === FRI) days.push([jul5, 'Day after Independence Day'])
  days.push([nthWeekday(year, 11, THU, 4) + 1, 'Day after Thanksgiving'])
  const dec24 = dayIndexOf(year, 12, 24)
  const w24 = weekdayOf(dec24)
  if (w24 >= MON && w24 <= THU) days.push([dec24, 'Christmas Eve'])
  const out = days
    .map(([d, name]) => ({ date: dayIndexToDate(d), name }))
    .filter((d) => !closed.has(d.date))
    .sort((a, b) => (a.date < b.date ? -1 : 1))
  earlyCache.set(year, out)
  return out
}
