/**
 * Clocks. The engine never reads the system time directly: a backtest runs on a {@link SimulatedClock} that
 * the data drives; live trading runs on a {@link WallClock}. Both fire named timers.
 */
import { KestrelError } from './errors.ts'
import { EARLIEST_TIME, type EpochMs } from './time.ts'

export type TimerCallback = (name: string, time: EpochMs) => void

/** What components may ask of time. */
export interface Clock {
  now(): EpochMs
  /** Fires `cb` once at `at` (or at once if `at` is not in the future). Replaces a timer of the same name. */
  setTimer(name: string, at: EpochMs, cb: TimerCallback): void
  /** Fires `cb` every `intervalMs`, first at `start + intervalMs` (default start: now). */
  setInterval(name: string, intervalMs: number, cb: TimerCallback, start?: EpochMs): void
  cancelTimer(name: string): void
  timerNames(): string[]
}

interface SimTimer {
  name: string
  at: EpochMs
  interval: number
  cb: TimerCallback
  order: number
}

/**
 * A clock that moves only when told to; timers fire in time order, ties by creation order. It starts before any
 * data ({@link EARLIEST_TIME}) unless told otherwise, so the first event may be at any time, 1970 or not.
 */
export class SimulatedClock implements Clock {
  private t: EpochMs
  private timers = new Map<string, SimTimer>()
  private order = 0

  constructor(start: EpochMs = EARLIEST_TIME) {
    this.t = start
  }

  now(): EpochMs {
    return this.t
  }

  setTimer(name: string, at: EpochMs, cb: TimerCallback): void {
    this.timers.set(name, { name, at, interval: 0, cb, order: this.order++ })
  }

  setInterval(name: string, intervalMs: number, cb: TimerCallback, start: EpochMs = this.t): void {
    if (!(intervalMs > 0)) throw new KestrelError('PARAM_INVALID', `timer ${name}: interval must be > 0`)
    this.timers.set(name, { name, at: start + intervalMs, interval: intervalMs, cb, order: this.order++ })
  }

  cancelTimer(name: string): void {
    this.timers.delete(name)
  }

  timerNames(): string[] {
    return [...this.timers.keys()]
  }

  /** The time of the next timer, or Infinity. */
  nextTimerTime(): EpochMs {
    let next = Infinity
    for (const tm of this.timers.values()) if (tm.at < next) next = tm.at
    return next
  }

  /** Moves time to `to`, firing every timer due up to and including `to`, each at its own time. */
  advanceTo(to: EpochMs): void {
    if (to < this.t) throw new KestrelError('STATE_INVALID', `clock cannot go back from ${this.t} to ${to}`)
    if (this.timers.size > 0) {
      for (;;) {
        let due: SimTimer | undefined
        for (const tm of this.timers.values()) {
          if (tm.at <= to && (due === undefined || tm.at < due.at || (tm.at === due.at && tm.order < due.order)))
            due = tm
        }
        if (!due) break
        this.t = Math.max(this.t, due.at)
        if (due.interval > 0) {
          due.at += due.interval
          due.order = this.order++
        } else this.timers.delete(due.name)
        due.cb(due.name, this.t)
      }
    }
    this.t = to
  }
}

/** The system clock with real timers (live and paper trading). */
export class WallClock implements Clock {
  private handles = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(private readonly source: () => EpochMs = Date.now) {}

  now(): EpochMs {
    return this.source()
  }

  setTimer(name: string, at: EpochMs, cb: TimerCallback): void {
    this.cancelTimer(name)
    const h = setTimeout(
      () => {
        this.handles.delete(name)
        cb(name, this.now())
      },
      Math.max(0, at - this.now()),
    )
    this.handles.set(name, h)
  }

  setInterval(name: string, intervalMs: number, cb: TimerCallback): void {
    this.cancelTimer(name)
    const h = setInterval(() => cb(name, this.now()), intervalMs)
    this.handles.set(name, h)
  }

  cancelTimer(name: string): void {
    const h = this.handles.get(name)
    if (h !== undefined) {
      clearTimeout(h)
      clearInterval(h)
      this.handles.delete(name)
    }
  }

  timerNames(): string[] {
    return [...this.handles.keys()]
  }

  /** Cancels every timer (call on shutdown so the process can exit). */
  dispose(): void {
    for (const n of [...this.handles.keys()]) this.cancelTimer(n)
  }
}
