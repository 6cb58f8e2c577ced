/**
 * Highest or lowest value of a sliding window, tracked the way TA-Lib's STOCH, WILLR and AROON do: keep the
 * index of the current extreme; when it leaves the window, rescan the window. Amortized O(1) per bar. The
 * index is kept because AROON needs it: with `latestOnTie` a rescan keeps the most recent of equal extremes
 * (AROON), otherwise the oldest (STOCH, WILLR); a new bar equal to the extreme always takes over, as in TA-Lib.
 */
import { Ring } from './stepper.ts'

/** Sliding-window extreme over the last `window` values (state for a step function). */
export class WindowExtreme {
  readonly ring: Ring
  /** Absolute index of the extreme (−1 before the first full window). */
  idx = -1
  /** The extreme, valid once a full window has been seen. */
  val = 0

  constructor(
    readonly window: number,
    readonly isMax: boolean,
    readonly latestOnTie: boolean,
  ) {
    this.ring = new Ring(window)
  }

  /** Pushes `x` (bar number `t` = the count of earlier pushes); returns true once a full window is in. */
  push(x: number): boolean {
    const r = this.ring
    const t = r.count
    r.push(x)
    const trailing = t - this.window + 1
    if (trailing < 0) return false
    if (this.idx < trailing) {
      let best = r.at(trailing)
      let bi = trailing
      for (let i = trailing + 1; i <= t; i++) {
        const v = r.at(i)
        if (this.isMax ? (this.latestOnTie ? v >= best : v > best) : this.latestOnTie ? v <= best : v < best) {
          best = v
          bi = i
        }
      }
      this.idx = bi
      this.val = best
    } else if (this.isMax ? x >= this.val : x <= this.val) {
      this.idx = t
      this.val = x
    }
    return true
  }
}
