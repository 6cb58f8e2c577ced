/**
 * Symmetric CUSUM filter (AFML snippet 2.4): on d_t = ln C_t − ln C_{t−1},
 * S⁺ = max(0, S⁺ + d_t), S⁻ = min(0, S⁻ + d_t); when S⁻ < −h an event (−1) fires and S⁻ resets, else when
 * S⁺ > h an event (+1) fires and S⁺ resets. Uses the past only: an event at t is known at t's close.
 */
import { numParam } from '../common/params.ts'

/** Streaming CUSUM filter. */
export class CusumFilter {
  private pos = 0
  private neg = 0
  private prev = NaN
  /** `h` is the threshold in log-return units; a per-bar threshold can be passed to `update`. */
  constructor(readonly h = 0.01) {
    numParam('cusum(h)', h, Number.MIN_VALUE)
  }
  /** Adds a close; returns +1, −1 or 0. `h` overrides the threshold for this bar (e.g. a multiple of σ). */
  update(close: number, h = this.h): number {
    const p = this.prev
    this.prev = close
    if (Number.isNaN(p)) return 0
    const d = Math.log(close / p)
    if (Number.isNaN(d) || !(h > 0)) return 0
    this.pos = Math.max(0, this.pos + d)
    this.neg = Math.min(0, this.neg + d)
    if (this.neg < -h) {
      this.neg = 0
      return -1
    }
    if (this.pos > h) {
      this.pos = 0
      return 1
    }
    return 0
  }
  reset(): void {
    this.pos = 0
    this.neg = 0
    this.prev = NaN
  }
}

/** CUSUM events per bar (+1/−1/0); `h` a number or a per-bar threshold array. */
export function cusumFilter(close: Float64Array, h: number | Float64Array): Float64Array {
  const s = new CusumFilter(typeof h === 'number' ? h : 1)
  const out = new Float64Array(close.length)
  for (let i = 0; i < close.length; i++) out[i] = s.update(close[i]!, typeof h === 'number' ? h : h[i]!)
  return out
}

/** Bar indices of the events in a {@link cusumFilter} output. */
export function eventIndices(events: Float64Array): Int32Array {
  const idx: number[] = []
  for (let i = 0; i < events.length; i++) if (events[i] !== 0) idx.push(i)
  return Int32Array.from(idx)
}
