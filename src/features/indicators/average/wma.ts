/** Linearly weighted moving average (TA-Lib WMA). */
import type { StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * Weighted moving average, weights 1..period (newest heaviest), with TA-Lib's O(1) recurrence over a weighted
 * sum and a plain sum. NaN for the first `period - 1` outputs; a NaN input poisons all later outputs.
 */
export function wma(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('wma', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('wma', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  if (period === 1) {
    o.set(values.subarray(0, n))
    return o
  }
  const divider = (period * (period + 1)) >> 1
  let periodSum = 0
  let periodSub = 0
  for (let i = 0; i < lb; i++) {
    const v = values[i]
    periodSub += v
    periodSum += v * (i + 1)
  }
  let trailing = 0
  for (let i = lb, t = 0; i < n; i++, t++) {
    const v = values[i]
    periodSub += v
    periodSub -= trailing
    periodSum += v * period
    trailing = values[t]
    o[i] = periodSum / divider
    periodSum -= periodSub
  }
  return o
}

/** Streaming twin of {@link wma}: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export class Wma implements StreamingIndicator {
  private readonly win: Ring
  private readonly divider: number
  private count = 0
  private periodSum = 0
  private periodSub = 0
  private trailing = 0
  private last: number | undefined
  private u = [0, 0, 0]
  private uLast: number | undefined

  constructor(readonly period: number) {
    intParam('wma', 'timeperiod', period, 1)
    this.win = new Ring(period)
    this.divider = (period * (period + 1)) >> 1
  }

  update(x: number, replace = false): number | undefined {
    const u = this.u
    if (replace && this.count > 0) {
      this.count--
      this.periodSum = u[0]
      this.periodSub = u[1]
      this.trailing = u[2]
      this.last = this.uLast
      this.win.undo()
    }
    u[0] = this.periodSum
    u[1] = this.periodSub
    u[2] = this.trailing
    this.uLast = this.last
    this.count++
    const p = this.period
    this.win.push(x)
    if (p === 1) {
      this.last = x
      return x
    }
    if (this.count < p) {
      this.periodSub += x
      this.periodSum += x * this.count
      return undefined
    }
    this.periodSub += x
    this.periodSub -= this.trailing
    this.periodSum += x * p
    this.trailing = this.win.ago(this.win.length - 1)
    this.last = this.periodSum / this.divider
    this.periodSum -= this.periodSub
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
    this.count = 0
    this.periodSum = 0
    this.periodSub = 0
    this.trailing = 0
    this.last = undefined
  }
}

/** TA-Lib WMA. */
export const wmaDef = defineIndicator({
  name: 'wma',
  description: 'Weighted moving average (linear weights)',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [wma(x, p)],
  stream: ([p]) => new Wma(p),
  testParams: [[9], [2]],
})
