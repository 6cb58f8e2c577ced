/**
 * Streaming twin of {@link resample}: feed bars in time order, get each higher-timeframe bar as soon as its
 * interval is complete, from the same {@link SessionBucketer}, so both agree bar for bar. A bucket is emitted
 * when a bar reaches its end, when a later bucket begins, or when {@link StreamingResampler.advance} moves
 * the clock past its end (its last minutes never came).
 */
import { KestrelError } from '../../core/index.ts'
import type { AnyTimeframe, Bar, EpochMs } from '../../core/index.ts'
import { checkMultiple, inputMinutes } from './resample.ts'
import { SessionBucketer } from './session-bucketer.ts'
import type { CalendarLike } from './session-bucketer.ts'

/** A resampled bar with its coverage (see {@link ResampledSeries}). */
export interface ResampledBar extends Bar {
  readonly count: number
  readonly expected: number
}

/** Options of {@link StreamingResampler}. */
export interface StreamingResampleOptions {
  readonly to: string | AnyTimeframe
  readonly calendar: CalendarLike
  /** Input timeframe (default `1m`). */
  readonly from?: string
  readonly outside?: 'skip' | 'error'
}

const NONE: readonly ResampledBar[] = Object.freeze([])

/** Turns a stream of (1-minute) bars into completed session-aligned higher-timeframe bars. */
export class StreamingResampler {
  /** Input bars that fell outside every session and were left out. */
  outsideSession = 0
  private readonly b: SessionBucketer
  private readonly perBar: number
  private readonly strict: boolean
  private open = false
  private instrumentId = ''
  private start = NaN
  private end = NaN
  private o = 0
  private h = 0
  private l = 0
  private c = 0
  private v = 0
  private n = 0
  private expected = 0
  private lastT = -Infinity

  constructor(opts: StreamingResampleOptions) {
    const from = opts.from ?? '1m'
    this.b = new SessionBucketer(opts.calendar, opts.to, from)
    checkMultiple(from, this.b)
    this.perBar = inputMinutes(from)
    this.strict = opts.outside === 'error'
  }

  /**
   * Feeds one bar (`count` = minutes it stands for, default from the input timeframe, or its session's minutes
   * for daily bars); returns completed bars.
   */
  update(bar: Bar, count?: number): readonly ResampledBar[] {
    const t = bar.openTime
    if (!(t > this.lastT)) {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${bar.instrumentId}: bar at ${new Date(t).toISOString()} is not after the previous one`,
        {
          openTime: t,
          previous: this.lastT,
        },
      )
    }
    this.lastT = t
    if (!this.b.locate(t)) {
      if (this.strict) {
        throw new KestrelError(
          'DATA_BAD_ROW',
          `${bar.instrumentId}: ${new Date(t).toISOString()} is outside the ${this.b.calendar.id} sessions`,
          {
            openTime: t,
            calendar: this.b.calendar.id,
          },
        )
      }
      this.outsideSession++
      return this.advance(t)
    }
    const m = count ?? (this.b.byDate ? this.b.sessionMinutes : this.perBar)
    let out: ResampledBar[] | undefined
    if (this.open && this.b.start !== this.start) out = [this.emit()]
    if (!this.open) {
      this.open = true
      this.instrumentId = bar.instrumentId
      this.start = this.b.start
      this.end = this.b.end
      this.o = bar.open
      this.h = bar.high
      this.l = bar.low
      this.c = bar.close
      this.v = bar.volume
      this.n = m
      this.expected = this.b.expected
    } else {
      if (bar.high > this.h) this.h = bar.high
      if (bar.low < this.l) this.l = bar.low
      this.c = bar.close
      this.v += bar.volume
      this.n += m
    }
    if (bar.closeTime >= this.end) (out ??= []).push(this.emit())
    return out ?? NONE
  }

  /** Tells the resampler the time is `now`: emits the open bucket if its interval has ended. */
  advance(now: EpochMs): readonly ResampledBar[] {
    return this.open && now >= this.end ? [this.emit()] : NONE
  }

  /** Emits the bucket in progress, complete or not (end of data). */
  flush(): readonly ResampledBar[] {
    return this.open ? [this.emit()] : NONE
  }

  private emit(): ResampledBar {
    this.open = false
    return {
      instrumentId: this.instrumentId,
      timeframe: this.b.timeframe.text,
      openTime: this.start,
      closeTime: this.end,
      open: this.o,
      high: this.h,
      low: this.l,
      close: this.c,
      volume: this.v,
      count: this.n,
      expected: this.expected,
    }
  }
}
