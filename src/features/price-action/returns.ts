/** Log returns over a horizon: r_t = ln(C_t / C_{t−h}); NaN for t < h. */
import { intParam } from '../common/params.ts'

/** Streaming twin of {@link logReturns}: O(1) per update with a ring buffer of the last h closes. */
export class LogReturn {
  private readonly buf: Float64Array
  private n = 0
  private last = NaN

  constructor(readonly horizon = 1) {
    intParam('logReturns(horizon)', horizon, 1)
    this.buf = new Float64Array(horizon)
  }

  /** Adds a close; returns ln(close / close h bars ago). */
  update(close: number): number {
    const k = this.n % this.horizon
    const prev = this.buf[k]!
    this.buf[k] = close
    this.last = this.n >= this.horizon ? Math.log(close / prev) : NaN
    this.n++
    return this.last
  }
  get value(): number {
    return this.last
  }
  get isStable(): boolean {
    return this.n > this.horizon
  }
  reset(): void {
    this.n = 0
    this.last = NaN
  }
}

/** Log returns over `horizon` bars. */
export function logReturns(close: Float64Array, horizon = 1, out?: Float64Array): Float64Array {
  intParam('logReturns(horizon)', horizon, 1)
  const res = out ?? new Float64Array(close.length)
  for (let i = 0; i < close.length; i++) res[i] = i >= horizon ? Math.log(close[i]! / close[i - horizon]!) : NaN
  return res
}

/** Log returns for several horizons at once, keyed `ret_<h>`. */
export function multiHorizonReturns(close: Float64Array, horizons: readonly number[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {}
  for (const h of horizons) out[`ret_${h}`] = logReturns(close, h)
  return out
}
