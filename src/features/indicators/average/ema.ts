/** Exponential moving average (TA-Lib EMA). */
import type { StreamingIndicator } from '../types.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** One EMA step: TA-Lib's `((x - prev) * k) + prev`. */
export function emaStep(prev: number, x: number, k: number): number {
  return (x - prev) * k + prev
}

/**
 * EMA with smoothing factor `k` (default `2 / (period + 1)`), seeded with the SMA of the first `period` values
 * (TA-Lib's default compatibility). NaN for the first `period - 1` outputs; a NaN input poisons all later outputs.
 */
export function ema(values: Float64Array, period: number, out?: Float64Array, k = 2 / (period + 1)): Float64Array {
  intParam('ema', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('ema', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  let sum = 0
  for (let i = 0; i < period; i++) sum += values[i]
  let prev = sum / period
  o[lb] = prev
  for (let i = period; i < n; i++) {
    prev = emaStep(prev, values[i], k)
    o[i] = prev
  }
  return o
}

/** Streaming twin of {@link ema}: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export class Ema implements StreamingIndicator {
  private readonly k: number
  private count = 0
  private sum = 0
  private prev = NaN
  private uSum = 0
  private uPrev = NaN

  constructor(
    readonly period: number,
    k?: number,
  ) {
    intParam('ema', 'timeperiod', period, 1)
    this.k = k ?? 2 / (period + 1)
  }

  update(x: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.sum = this.uSum
      this.prev = this.uPrev
    }
    this.uSum = this.sum
    this.uPrev = this.prev
    this.count++
    if (this.count < this.period) {
      this.sum += x
      return undefined
    }
    if (this.count === this.period) {
      this.sum += x
      this.prev = this.sum / this.period
    } else {
      this.prev = emaStep(this.prev, x, this.k)
    }
    return this.prev
  }

  get isStable(): boolean {
    return this.count >= this.period
  }

  get value(): number | undefined {
    return this.count >= this.period ? this.prev : undefined
  }

  reset(): void {
    this.count = 0
    this.sum = 0
    this.prev = NaN
  }
}

/** TA-Lib EMA. */
export const emaDef = defineIndicator({
  name: 'ema',
  description: 'Exponential moving average (SMA-seeded)',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [ema(x, p)],
  stream: ([p]) => new Ema(p),
  testParams: [[12], [2]],
})
