/** Which local days trade: NYSE (weekdays minus holidays, with early closes), weekdays (FX week), every day. */
import { nyseEarlyCloses, nyseHolidays } from './nyse-holidays.ts'
import type { DayRule } from './session-calendar.ts'
import { dateToDayIndex, weekdayOf } from './timezone.ts'

interface YearDays {
  readonly holidays: ReadonlySet<number>
  readonly early: ReadonlySet<number>
}

const years = new Map<number, YearDays>()

function yearDays(year: number): YearDays {
  let y = years.get(year)
  if (!y) {
    y = {
      holidays: new Set(nyseHolidays(year).map((h) => dateToDayIndex(h.date))),
      early: new Set(nyseEarlyCloses(year).map((h) => dateToDayIndex(h.date))),
    }
    years.set(year, y)
  }
  return y
}

function yearOf(dayIndex: number): number {
  return new Date(dayIndex * 86_400_000).getUTCFullYear()
}

const isWeekday = (d: number): boolean => {
  const w = weekdayOf(d)
  return w >= 1 && w <= 5
}

/** NYSE trading days; early closes end at `earlyMinute` local (13:00 for the core session). */
export function nyseDays(earlyMinute: number): DayRule {
  return {
    isHoliday: (d) => isWeekday(d) && yearDays(yearOf(d)).holidays.has(d),
    isTradingDay: (d) => isWeekday(d) && !yearDays(yearOf(d)).holidays.has(d),
    earlyCloseMinute: (d) => (yearDays(yearOf(d)).early.has(d) ? earlyMinute : undefined),
  }
}

/** Monday to Friday, no holidays (the FX and metals week). */
export const WEEKDAYS: DayRule = {
  isHoliday: () => false,
  isTradingDay: isWeekday,
  earlyCloseMinute: () => undefined,
}

/** Every day (crypto). */
export const EVERY_DAY: DayRule = {
  isHoliday: () => false,
  isTradingDay: () => true,
  earlyCloseMinute: () => undefined,
}
