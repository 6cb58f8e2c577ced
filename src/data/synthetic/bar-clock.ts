/** Walks bar open times through a calendar's sessions: each session from its open to its close, step by step. */
import { KestrelError } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'

/** Iterates the open times of consecutive bars of length `stepMs` inside the calendar's sessions. */
export class BarClock {
  /** Open time of the current bar. */
  t = NaN
  /** Position of the current bar in its session, in [0, 1). */
  fraction = 0
  /** True when the current bar is the first of its session. */
  newSession = false
  /** Time between the previous bar's close and this bar's open (0 inside a session and on 24/7). */
  gapMs = 0
  private open = NaN
  private close = NaN
  private len = 1

  constructor(
    private readonly calendar: TradingCalendar,
    private readonly stepMs: number,
    private readonly start: EpochMs,
  ) {}

  /** Advances to the next bar (the first bar at or after `start` on the first call). */
  next(): void {
    const prevEnd = this.t + this.stepMs
    let t = Number.isNaN(this.t) ? this.start : prevEnd
    this.newSession = false
    if (!(t >= this.open && t + this.stepMs <= this.close)) {
      // Into the next session that has room for a whole bar.
      for (;;) {
        const s = this.calendar.nextSession(t)
        if (!s) {
          throw new KestrelError(
            'STATE_INVALID',
            `${this.calendar.id}: no session within 30 days after ${new Date(t).toISOString()}`,
            {
              calendar: this.calendar.id,
              t,
            },
          )
        }
        this.open = s.open
        this.close = s.close
        this.len = s.close - s.open
        const first = t <= s.open ? s.open : s.open + Math.ceil((t - s.open) / this.stepMs) * this.stepMs
        if (first + this.stepMs <= s.close) {
          t = first
          break
        }
        t = s.close
      }
      this.newSession = true
    }
    this.gapMs = Number.isNaN(prevEnd) ? 0 : t - prevEnd
    this.t = t
    this.fraction = (t - this.open) / this.len
  }
}
