/** Trading calendars and sessions: NYSE (holidays, early closes), NYSE_EXT, 24/7, FX, METALS, FX sessions. */
export type { Session, TradingCalendar } from './types.ts'
export { getCalendar, CALENDAR_IDS } from './get-calendar.ts'
export type { CalendarId } from './get-calendar.ts'
export { SessionCalendar } from './session-calendar.ts'
export type { SessionCalendarSpec, DayRule } from './session-calendar.ts'
export { nyseHolidays, nyseEarlyCloses, easterSunday, NYSE_SPECIAL_CLOSURES } from './nyse-holidays.ts'
export type { NamedDay } from './nyse-holidays.ts'
export { fxSessionsAt, FX_SESSIONS } from './fx-sessions.ts'
export type { FxSession } from './fx-sessions.ts'
export {
  tzOffsetMs,
  localDayIndex,
  localTimeOfDayMs,
  localToUtc,
  assertTimeZone,
  dayIndexOf,
  dayIndexToDate,
  dateToDayIndex,
  weekdayOf,
} from './timezone.ts'
