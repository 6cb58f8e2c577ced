/** Simple moving average (TA-Lib SMA). */
import { Window, defineIndicator, intParam, nanFill, outArray, pInt } from './util.ts'
import type { StreamingIndicator } from './types.ts'

/**
 * Simple moving average over `period` values: the running-sum recurrence of TA-Lib (add the newest, emit,
 * subtract the oldest). NaN for the first `period - 1` outputs. A NaN input poisons the running sum, so every
 * later output is NaN too (as in TA-Lib).
 */
export function sma(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('sma', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('sma', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  let total = 0
  for (let i = 0; i < lb; i++) total += values[i]
  for (let i = lb, t = 0; i < n; i++, t++) {
    total += values[i]
    o[i] = total / period
    total -= values[t]
  }
  return o
}

/** Streaming twin of {@link sma}: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export class Sma implements StreamingIndicator {
  private readonly win: Window
  private partial = 0
  private uPartial = 0
  private last: number | undefined
  private uLast: number | undefined
  private count = 0

  constructor(readonly period: number) {
    intParam('sma', 'timeperiod', period, 1)
    this.win = new Window(period - 1)
  }

  update(x: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.partial = this.uPartial
      this.last = this.uLast
      if (this.period > 1) this.win.undo()
    }
    this.uPartial = this.partial
    this.uLast = this.last
    this.count++
    const total = this.partial + x
    if (this.period === 1) {
      this.last = x
      return x
    }
    const full = this.win.length === this.period - 1
    const old = this.win.push(x)
    if (full) {
      this.last = total / this.period
      this.partial = total - old
    } else {
      this.partial = total
    }
    return this.last
  }

  get isStable(): boolean {
    return this.count >= this.period
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.win.clear()
    this.partial = 0
    this.last = undefined
    this.count = 0
  }
}

/** TA-Lib SMA. */
export const smaDef = defineIndicator({
  name: 'sma',
  description: 'Simple moving average',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [sma(x, p)],
  stream: ([p]) => new Sma(p),
  testParams: [[10], [200]],
})
