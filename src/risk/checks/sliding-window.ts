/**
 * An exact sliding-window rate limiter in O(1): a ring of the last `limit` accepted times. A new event fits
 * when fewer than `limit` events happened in (t − windowMs, t], i.e. when the `limit`-th most recent one is at
 * least `windowMs` old.
 */
import { requireParam } from '../../core/index.ts'

/** At most `limit` events per `windowMs`, sliding. */
export class SlidingWindowLimit {
  private readonly times: Float64Array
  private head = 0
  private count = 0

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    requireParam(Number.isInteger(limit) && limit > 0, 'SlidingWindowLimit(limit)', 'a positive integer', limit)
    requireParam(windowMs > 0, 'SlidingWindowLimit(windowMs)', '> 0', windowMs)
    this.times = new Float64Array(limit)
  }

  /** Would an event at `t` fit? */
  fits(t: number): boolean {
    return this.count < this.limit || t - this.times[this.head]! >= this.windowMs
  }

  /** Records an event at `t` (call after {@link fits} said yes). */
  record(t: number): void {
    this.times[this.head] = t
    this.head = (this.head + 1) % this.limit
    if (this.count < this.limit) this.count++
  }

  /** Events in the window ending at `t` (O(limit); for status displays). */
  used(t: number): number {
    let n = 0
    for (let i = 0; i < this.count; i++) if (t - this.times[i]! < this.windowMs) n++
    return n
  }
}
