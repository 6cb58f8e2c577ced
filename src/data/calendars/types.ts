/**
 * Trading calendars: when an instrument's market is open. Used by validation (gaps against the calendar),
 * resampling (session-aligned bars) and the engine (DAY orders, session flags).
 */
import type { EpochMs } from '../../core/index.ts'

/** One trading session: [open, close) in UTC epoch ms, with the exchange-local date it belongs to. */
export interface Session {
  /** Exchange-local date, `YYYY-MM-DD`. */
  readonly date: string
  readonly open: EpochMs
  readonly close: EpochMs
  /** True on an early-close day (e.g. NYSE 13:00 on the day after Thanksgiving). */
  readonly earlyClose: boolean
}

/** An exchange's trading hours: sessions, holidays and early closes in its own time zone. */
export interface TradingCalendar {
  /** `NYSE`, `NYSE_EXT`, `24/7`, `FX`, `METALS`. */
  readonly id: string
  /** IANA time zone of the exchange. */
  readonly timezone: string
  /** Is the market open at `t`? */
  isOpen(t: EpochMs): boolean
  /** Sessions that overlap [from, to), in order. */
  sessions(from: EpochMs, to: EpochMs): Session[]
  /** The session containing `t`, if the market is open then. */
  sessionAt(t: EpochMs): Session | undefined
  /** Is the local date a full-day holiday? (`YYYY-MM-DD`) */
  isHoliday(date: string): boolean
  /** Does a session dated on this local date (`YYYY-MM-DD`) exist? */
  isTradingDay(date: string): boolean
  /** The first session that closes after `t`: the one containing `t`, or the next one. */
  nextSession(t: EpochMs): Session | undefined
}
