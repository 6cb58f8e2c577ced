/**
 * The bucket function shared by the batch and the streaming resampler: which higher-timeframe interval a
 * bar opening at `t` belongs to, aligned to the calendar's sessions (US equities 1h bars are 09:30–10:30 …
 * 15:30–16:00; crypto aligns to UTC midnight; FX to 17:00 New York). Keeps the current session and the
 * current closed gap, so locating consecutive bars costs a couple of comparisons.
 *
 * `1d` is one bucket per session; `1w` groups the sessions dated in one ISO week (Monday to Sunday of the
 * session dates), `1mo` those dated in one calendar month: the bucket opens at its first session's open and
 * closes at its last session's close, and expects the minutes of its sessions (a holiday week expects fewer).
 * Daily input bars stamped at midnight (UTC or the calendar's time zone) are dated, not timed: a bar stamped
 * 2024-03-28T00:00Z is the session dated 2024-03-28, whatever hour that session opens.
 */
import { KestrelError, MS, parseAnyTimeframe, parseTimeframe } from '../../core/index.ts'
import type { AnyTimeframe, EpochMs } from '../../core/index.ts'
import {
  SessionCalendar,
  dateToDayIndex,
  dayIndexToDate,
  getCalendar,
  localDayIndex,
  localTimeOfDayMs,
  weekdayOf,
} from '../calendars/index.ts'
import type { Session, TradingCalendar } from '../calendars/index.ts'

/** A calendar, or the id of a built-in one (`NYSE`, `NYSE_EXT`, `24/7`, `FX`, `METALS`). */
export type CalendarLike = TradingCalendar | string

/** What one bucket spans: part of a session, one session, the sessions of an ISO week or of a month. */
export type BucketSpan = 'intraday' | 'session' | 'week' | 'month'

/** Locates session-aligned buckets. After a successful {@link locate}, `start` and `end` hold the bucket. */
export class SessionBucketer {
  readonly calendar: TradingCalendar
  readonly timeframe: AnyTimeframe
  readonly span: BucketSpan
  /** True for `1d`, `1w` and `1mo`: buckets are made of whole sessions. */
  readonly perSession: boolean
  /** True when input bars are daily (`1d`) and whole sessions are built: bars are matched to sessions by date. */
  readonly byDate: boolean
  /** A typical bucket length in ms (a month counts 28 days): for sizing buffers only. */
  readonly nominalMs: number
  /** Bucket of the last located time: [start, end). */
  start = NaN
  end = NaN
  /** Session minutes the bucket spans (its `expected` coverage). */
  expected = 0
  /** Minutes of the session the last located bar belongs to. */
  sessionMinutes = 0
  /** The part of the bucket inside the located session: bars in [fastFrom, fastTo) share the bucket. */
  fastFrom = NaN
  fastTo = NaN
  private sOpen = NaN
  private sClose = NaN
  private gapFrom = NaN
  private gapTo = NaN
  private readonly tf: number
  /** Day indexes of the current week or month bucket, inclusive. */
  private spanFrom = NaN
  private spanTo = NaN

  /** `from` is the input timeframe (default `1m`): daily input is matched to sessions by date. */
  constructor(calendar: CalendarLike, to: string | AnyTimeframe, from = '1m') {
    this.calendar = typeof calendar === 'string' ? getCalendar(calendar) : calendar
    this.timeframe = typeof to === 'string' ? parseAnyTimeframe(to) : to
    const tf = this.timeframe
    const bad = (why: string): never => {
      throw new KestrelError('PARAM_INVALID', `resample to ${tf.text}: ${why}`, { timeframe: tf.text })
    }
    if (tf.unit === 'mo') this.span = tf.count === 1 ? 'month' : bad('expected 1mo (one calendar month)')
    else if (tf.unit === 'w') this.span = tf.count === 1 ? 'week' : bad('expected 1w (one ISO week)')
    else if (tf.unit === 'd') this.span = tf.count === 1 ? 'session' : bad('expected 1d, 1w or 1mo')
    else this.span = 'intraday'
    this.perSession = this.span !== 'intraday'
    this.tf = tf.ms ?? 0
    this.nominalMs = tf.ms ?? 28 * MS.day
    const f = parseTimeframe(from)
    this.byDate = this.perSession && f.unit === 'd' && f.count === 1
  }

  /** Finds the bucket of a bar opening at `t`; false when `t` is outside every session. */
  locate(t: EpochMs): boolean {
    if (this.byDate) {
      const s = this.datedSession(t)
      if (!s) return false
      this.sOpen = s.open
      this.sClose = s.close
      return this.place(s)
    }
    if (!(t >= this.sOpen && t < this.sClose)) {
      if (t >= this.gapFrom && t < this.gapTo) return false
      const s = this.calendar.sessionAt(t)
      if (!s) {
        const next = this.calendar.nextSession(t)
        this.gapFrom = t
        this.gapTo = next ? next.open : Infinity
        return false
      }
      this.sOpen = s.open
      this.sClose = s.close
      if (this.perSession) return this.place(s)
    }
    if (this.span === 'session' || this.span === 'intraday') {
      if (this.span === 'session') {
        this.start = this.sOpen
        this.end = this.sClose
      } else {
        const start = this.sOpen + Math.floor((t - this.sOpen) / this.tf) * this.tf
        const end = start + this.tf
        this.start = start
        this.end = end < this.sClose ? end : this.sClose
      }
      this.expected = Math.round((this.end - this.start) / MS.minute)
      this.fastFrom = this.start
      this.fastTo = this.end
    }
    this.sessionMinutes = Math.round((this.sClose - this.sOpen) / MS.minute)
    return true
  }

  /** Sets the bucket of session `s` (per-session spans). */
  private place(s: Session): true {
    this.sessionMinutes = Math.round((s.close - s.open) / MS.minute)
    this.fastFrom = s.open
    this.fastTo = s.close
    if (this.span === 'session') {
      this.start = s.open
      this.end = s.close
      this.expected = this.sessionMinutes
      return true
    }
    const day = dateToDayIndex(s.date)
    if (day >= this.spanFrom && day <= this.spanTo) return true
    let first: number
    let last: number
    if (this.span === 'week') {
      first = day - ((weekdayOf(day) + 6) % 7) // ISO weeks start on Monday
      last = first + 6
    } else {
      const ym = s.date.slice(0, 7)
      first = dateToDayIndex(`${ym}-01`)
      const y = Number(ym.slice(0, 4))
      const m = Number(ym.slice(5, 7))
      last = dateToDayIndex(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`) - 1
    }
    const sessions = this.sessionsDated(first, last)
    this.spanFrom = first
    this.spanTo = last
    this.start = sessions[0]!.open
    this.end = sessions[sessions.length - 1]!.close
    let minutes = 0
    for (const x of sessions) minutes += Math.round((x.close - x.open) / MS.minute)
    this.expected = minutes
    return true
  }

  /** The session of a daily bar: by date when stamped at midnight (UTC, then local), else the one containing `t`. */
  private datedSession(t: EpochMs): Session | undefined {
    if (t % MS.day === 0) return this.sessionOn(Math.floor(t / MS.day))
    const tz = this.calendar.timezone
    if (localTimeOfDayMs(tz, t) === 0) return this.sessionOn(localDayIndex(tz, t))
    return this.calendar.sessionAt(t)
  }

  /** The session dated on day index `day`, if that date trades. */
  private sessionOn(day: number): Session | undefined {
    if (this.calendar instanceof SessionCalendar) return this.calendar.sessionOfDay(day)
    const date = dayIndexToDate(day)
    return this.calendar.sessions((day - 2) * MS.day, (day + 3) * MS.day).find((s) => s.date === date)
  }

  /** Sessions dated on day indexes first..last, in order (at least one: the located session is among them). */
  private sessionsDated(first: number, last: number): Session[] {
    const out: Session[] = []
    if (this.calendar instanceof SessionCalendar) {
      for (let d = first; d <= last; d++) {
        const s = this.calendar.sessionOfDay(d)
        if (s) out.push(s)
      }
      return out
    }
    const from = dayIndexToDate(first)
    const to = dayIndexToDate(last)
    for (const s of this.calendar.sessions((first - 2) * MS.day, (last + 3) * MS.day))
      if (s.date >= from && s.date <= to) out.push(s)
    return out
  }
}
