/**
 * The calendar of a backtest's time stamps: which trading day each point belongs to, how many periods a year the
 * data really has, and calendar-time figures (CAGR over elapsed years, drawdown length in days).
 *
 * Invariant: a bar is stamped at its close, so a curve point at `t` describes the bar that opened at
 * `t − barMs`; its trading day is the day of that open. A daily bar of 2020-03-31 closes (and is stamped) at
 * 2020-04-01T00:00Z but belongs to March. Event times (fills, trade entries) happen at or inside a bar and
 * belong to the day they fall on. Daily bars carry the session date at 00:00Z (the CSV convention), so their day
 * is read in UTC; intraday bars are read in the exchange's `timeZone`.
 */
import { getCalendar, localDayIndex } from '../../data/calendars/index.ts'

const DAY = 86_400_000

/** How to read the time stamps of a curve. */
export interface SessionClock {
  /** Length of one bar in ms; curve points are its close (0: the time stamps are the points' own instants). */
  readonly barMs?: number
  /** IANA time zone of the exchange for intraday bars (default UTC); daily bars always use UTC dates. */
  readonly timeZone?: string
  /** The market trades every day (crypto): a short sample then counts 365 sessions a year, not 252. */
  readonly everyDay?: boolean
}

/**
 * The clock of bars `barMs` long on an instrument's trading calendar (its id, e.g. `NYSE`; the exchange's time zone
 * dates intraday bars) and asset class (crypto trades every day).
 */
export function sessionClockFor(barMs: number, calendar?: string, assetClass?: string): SessionClock {
  const everyDay = assetClass === 'crypto' || assetClass === 'crypto_perp'
  const timeZone = calendar && !everyDay ? getCalendar(calendar).timezone : 'UTC'
  return { barMs, timeZone, ...(everyDay ? { everyDay } : {}) }
}

function dayIndex(t: number, clock: SessionClock): number {
  const bar = clock.barMs ?? 0
  const tz = clock.timeZone
  if (bar >= DAY || !tz || tz === 'UTC' || tz === 'Etc/UTC') return Math.floor(t / DAY)
  return localDayIndex(tz, t)
}

/** Trading day (days since 1970-01-01) of a curve point stamped at a bar's close. */
export function closeDay(t: number, clock: SessionClock = {}): number {
  return dayIndex(t - (clock.barMs ?? 0), clock)
}

/** Trading day of an event (a fill, a trade's entry) at `t`. */
export function eventDay(t: number, clock: SessionClock = {}): number {
  return dayIndex(t, clock)
}

/** `2020-03-31` for a day index. */
export function dayIso(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10)
}

/** Year and month (1–12) of a day index. */
export function dayYearMonth(day: number): { year: number; month: number } {
  const d = new Date(day * DAY)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

/** How {@link estimatePeriodsPerYear} arrived at its number. */
export interface PeriodsPerYearEstimate {
  readonly periodsPerYear: number
  /** Mean number of points per trading day. */
  readonly periodsPerSession: number
  readonly sessionsPerYear: number
  /** Distinct trading days in the data. */
  readonly sessions: number
  /** `calendar` when the data span a year or more, else the assumption used for shorter samples. */
  readonly basis: 'calendar' | 'weekdays-252' | 'every-day-365'
}

/**
 * Periods per year of the data themselves: points per trading day × trading days per year. Trading days per year
 * are counted from the calendar when the data span at least a year (SPY 1998–2021: 251.6); a shorter sample
 * takes 252 when it never trades on a weekend and 365 when it does (crypto). Pre- and post-market minutes count:
 * SPY's 1-minute bars with extended hours have about 800 points a session, not 390.
 */
export function estimatePeriodsPerYear(time: ArrayLike<number>, clock: SessionClock = {}): PeriodsPerYearEstimate {
  const n = time.length
  if (n === 0)
    return { periodsPerYear: NaN, periodsPerSession: NaN, sessionsPerYear: NaN, sessions: 0, basis: 'calendar' }
  let sessions = 0
  let weekend = false
  let prev = NaN
  for (let i = 0; i < n; i++) {
    const d = closeDay(time[i]!, clock)
    if (d !== prev) {
      sessions++
      const wd = (((d + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
      if (wd === 0 || wd === 6) weekend = true
      prev = d
    }
  }
  const first = closeDay(time[0]!, clock)
  const last = closeDay(time[n - 1]!, clock)
  const spanYears = (last - first + 1) / 365.25
  const basis = spanYears >= 1 ? 'calendar' : weekend || clock.everyDay ? 'every-day-365' : 'weekdays-252'
  const sessionsPerYear = basis === 'calendar' ? sessions / spanYears : basis === 'every-day-365' ? 365 : 252
  const periodsPerSession = n / sessions
  return { periodsPerYear: periodsPerSession * sessionsPerYear, periodsPerSession, sessionsPerYear, sessions, basis }
}

/** Elapsed calendar years from the first to the last time stamp (365.25-day years). */
export function calendarYears(time: ArrayLike<number>): number {
  const n = time.length
  return n < 2 ? NaN : (time[n - 1]! - time[0]!) / (365.25 * DAY)
}

/**
 * Compound annual growth rate over calendar time: `(last / first)^(1 / years) − 1`, years elapsed between the
 * first and the last point (quantstats' `cagr` idea; empyrical's `annual_return` counts periods instead). NaN for
 * fewer than 2 points or no elapsed time.
 */
export function cagr(equity: { readonly time: ArrayLike<number>; readonly value: ArrayLike<number> }): number {
  const n = equity.value.length
  const years = calendarYears(equity.time)
  if (n < 2 || !(years > 0)) return NaN
  return Math.pow(equity.value[n - 1]! / equity.value[0]!, 1 / years) - 1
}

/**
 * Longest time under water in calendar days: from the peak's time to the time the peak is regained (or the last
 * point when it never is). 0 when never under water.
 */
export function maxDrawdownDurationDays(equity: {
  readonly time: ArrayLike<number>
  readonly value: ArrayLike<number>
}): number {
  const { time, value } = equity
  let peak = -Infinity
  let peakTime = NaN
  let longest = 0
  for (let i = 0; i < value.length; i++) {
    if (value[i]! >= peak) {
      if (peak > -Infinity && i > 0 && value[i - 1]! < peak) longest = Math.max(longest, time[i]! - peakTime)
      peak = value[i]!
      peakTime = time[i]!
    } else if (i === value.length - 1) longest = Math.max(longest, time[i]! - peakTime)
  }
  return longest / DAY
}
