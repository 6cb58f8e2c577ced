/**
 * The bucket function shared by the batch and the streaming resampler: which higher-timeframe interval a
 * bar opening at `t` belongs to, aligned to the calendar's sessions (US equities 1h bars are 09:30–10:30 …
 * 15:30–16:00; crypto aligns to UTC midnight; FX to 17:00 New York). Keeps the current session and the
 * current closed gap, so locating consecutive bars costs a couple of comparisons.
 */
import { KestrelError, parseTimeframe } from '../../core/index.ts'
import type { EpochMs, Timeframe } from '../../core/index.ts'
import { getCalendar } from '../calendars/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'

/** A calendar, or the id of a built-in one (`NYSE`, `NYSE_EXT`, `24/7`, `FX`, `METALS`). */
export type CalendarLike = TradingCalendar | string

/** Locates session-aligned buckets. After a successful {@link locate}, `start` and `end` hold the bucket. */
export class SessionBucketer {
  readonly calendar: TradingCalendar
  readonly timeframe: Timeframe
  /** True for `1d`: one bucket per session. */
  readonly perSession: boolean
  /** Bucket of the last located time: [start, end). */
  start = NaN
  end = NaN
  private sOpen = NaN
  private sClose = NaN
  private gapFrom = NaN
  private gapTo = NaN
  private readonly tf: number

  constructor(calendar: CalendarLike, to: string | Timeframe) {
    this.calendar = typeof calendar === 'string' ? getCalendar(calendar) : calendar
    this.timeframe = typeof to === 'string' ? parseTimeframe(to) : to
    const tf = this.timeframe
    if (tf.unit === 'w' || (tf.unit === 'd' && tf.count !== 1)) {
      throw new KestrelError('PARAM_INVALID', `resample to ${tf.text}: expected a multiple of 1m up to 1d`, {
        timeframe: tf.text,
      })
    }
    this.perSession = tf.unit === 'd'
    this.tf = tf.ms
  }

  /** Finds the bucket of a bar opening at `t`; false when `t` is outside every session. */
  locate(t: EpochMs): boolean {
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
    }
    if (this.perSession) {
      this.start = this.sOpen
      this.end = this.sClose
    } else {
      const start = this.sOpen + Math.floor((t - this.sOpen) / this.tf) * this.tf
      const end = start + this.tf
      this.start = start
      this.end = end < this.sClose ? end : this.sClose
    }
    return true
  }
}
