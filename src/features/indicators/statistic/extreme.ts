import { Ring } from '../../../core/index.ts'
/**
 * Highest or lowest value of a sliding window, tracked the way TA-Lib's STOCH, WILLR and AROON do: keep the
 * index of the current extreme; when it leaves the window, rescan the window. Amortized O(1) per bar. The
 * index is kept because AROON needs it: with `latestOnTie` a rescan keeps the most recent of equal extremes
 * (AROON), otherwise the oldest (STOCH, WILLR); a new bar equal to the extreme always takes over, as in TA-Lib.
 */

/** Sliding-window extreme over the last `window` values (state for a step function). */
export class WindowExtreme {
  readonly ring: Ring
  /** Absolute index of the extreme (−1 before the first full window). */
  idx = -1
  /** The extreme, valid once a full window has been seen. */
  val = NaN

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

/**
 * Batch twin of {@link WindowExtreme} over a whole array (same algorithm, same tie and NaN behaviour, read
 * straight from `src` instead of a ring): `outVal[t]` is the extreme of src[t−window+1 .. t] and `outIdx[t]`
 * (when given) its index; both NaN for t < window − 1.
 */
export function extremeSeries(
  src: Float64Array,
  window: number,
  isMax: boolean,
  latestOnTie: boolean,
  outVal: Float64Array,
  outIdx?: Float64Array,
): void {
  const n = src.length
  const head = Math.min(n, window - 1)
  outVal.fill(NaN, 0, head)
  outIdx?.fill(NaN, 0, head)
  let idx = -1
  let val = NaN
  for (let t = window - 1; t < n; t++) {
    const trailing = t - window + 1
    const x = src[t]!
    if (idx < trailing) {
      let best = src[trailing]!
      let bi = trailing
      if (isMax) {
        for (let i = trailing + 1; i <= t; i++) {
          const v = src[i]!
          if (v > best || (latestOnTie && v === best)) {
            best = v
            bi = i
          }
        }
      } else {
        for (let i = trailing + 1; i <= t; i++) {
          const v = src[i]!
          if (v < best || (latestOnTie && v === best)) {
            best = v
            bi = i
          }
        }
      }
      idx = bi
      val = best
    } else if (isMax ? x >= val : x <= val) {
      idx = t
      val = x
    }
    outVal[t] = val
    if (outIdx) outIdx[t] = idx
  }
}
