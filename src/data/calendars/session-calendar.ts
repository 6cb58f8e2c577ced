/**
 * A trading calendar built from a daily session template: on each trading day `D` (exchange-local) the market
 * is open from `openMinute` to `closeMinute` local time, counted from local midnight of `D` (negative minutes
 * reach into the previous day: FX opens at 17:00 New York the evening before). Sessions are cached per day.
 */
import type { EpochMs } from '../../core/index.ts'
import { MS } from '../../core/index.ts'
import { assertTimeZone, dateToDayIndex, dayIndexToDate, localDayIndex, localToUtc } from './timezone.ts'
import type { Session, TradingCalendar } from './types.ts'

/** What a {@link SessionCalendar} needs to know about one local day. */
export interface DayRule {
  /** Is local day `dayIndex` a trading day? */
  isTradingDay(dayIndex: number): boolean
  /** Is it a full-day holiday (a weekday without trading)? */
  isHoliday(dayIndex: number): boolean
  /** Local close minute on an early-close day, else undefined. */
  earlyCloseMinute(dayIndex: number): number | undefined
}

/** The shape of a session-template calendar. */
export interface SessionCalendarSpec {
  readonly id: string
  readonly timezone: string
  /** Local open, minutes from midnight of the session's date (may be negative). */
  readonly openMinute: number
  /** Local close, minutes from midnight of the session's date (may exceed 1440). */
  readonly closeMinute: number
  readonly days: DayRule
}

/** A {@link TradingCalendar} from a {@link SessionCalendarSpec}. */
export class SessionCalendar implements TradingCalendar {
  readonly id: string
  readonly timezone: string
  private readonly spec: SessionCalendarSpec
  private readonly cache = new Map<number, Session | null>()
  /** How many local days before/after `t`'s local date a session containing `t` may be dated. */
  private readonly reachBack: number
  private readonly reachAhead: number

  constructor(spec: SessionCalendarSpec) {
    assertTimeZone(spec.timezone)
    this.id = spec.id
    this.timezone = spec.timezone
    this.spec = spec
    this.reachAhead = Math.max(0, Math.ceil(-spec.openMinute / 1440))
    this.reachBack = Math.max(0, Math.ceil(spec.closeMinute / 1440) - 1)
  }

  /** The session dated on local day `dayIndex`, or undefined when that day does not trade. Cached. */
  sessionOfDay(dayIndex: number): Session | undefined {
    const hit = this.cache.get(dayIndex)
    if (hit !== undefined) return hit ?? undefined
    let s: Session | null = null
    const { days, timezone } = this.spec
    if (days.isTradingDay(dayIndex)) {
      const early = days.earlyCloseMinute(dayIndex)
      s = {
        date: dayIndexToDate(dayIndex),
        open: localToUtc(timezone, dayIndex, this.spec.openMinute),
        close: localToUtc(timezone, dayIndex, early ?? this.spec.closeMinute),
        earlyClose: early !== undefined,
      }
    }
    this.cache.set(dayIndex, s)
    return s ?? undefined
  }

  /** The session containing `t`, if the market is open then. */
  sessionAt(t: EpochMs): Session | undefined {
    const d = localDayIndex(this.timezone, t)
    for (let k = d - this.reachBack; k <= d + this.reachAhead; k++) {
      const s = this.sessionOfDay(k)
      if (s && s.open <= t && t < s.close) return s
    }
    return undefined
  }

  /** Is the market open at `t`? */
  isOpen(t: EpochMs): boolean {
    return this.sessionAt(t) !== undefined
  }

  /** Sessions overlapping [from, to), in order. */
  sessions(from: EpochMs, to: EpochMs): Session[] {
    const out: Session[] = []
    if (!(to > from)) return out
    const first = localDayIndex(this.timezone, from) - this.reachBack - 1
    const last = localDayIndex(this.timezone, to) + this.reachAhead + 1
    for (let k = first; k <= last; k++) {
      const s = this.sessionOfDay(k)
      if (s && s.close > from && s.open < to) out.push(s)
    }
    return out
  }

  /** The first session that closes after `t` (the one containing `t`, or the next one). */
  nextSession(t: EpochMs, maxDays = 30): Session | undefined {
    const d = localDayIndex(this.timezone, t) - this.reachBack
    for (let k = d; k <= d + maxDays; k++) {
      const s = this.sessionOfDay(k)
      if (s && s.close > t) return s
    }
    return undefined
  }

  /** Is the local date (`YYYY-MM-DD`) a full-day holiday? */
  isHoliday(date: string): boolean {
    return this.spec.days.isHoliday(dateToDayIndex(date))
  }

  /** Is the local date a trading day? */
  isTradingDay(date: string): boolean {
    return this.spec.days.isTradingDay(dateToDayIndex(date))
  }

  /** Length of the regular (non-early) session, ms. */
  get regularSessionMs(): number {
    return (this.spec.closeMinute - this.spec.openMinute) * MS.minute
  }
}
