/** Simple moving average (TA-Lib SMA). */
import { RollingTotal, rollingTotal } from '../statistic/sum.ts'
import { pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * Simple moving average over `period` values: the running-sum recurrence of TA-Lib (add the newest, emit,
 * subtract the oldest) with the sum held exactly, so each output is fsum(window) / period: no rounding drifts in
 * over a long series, and two averages of equal value compare equal. NaN for the first `period - 1` outputs. A NaN input poisons the running sum, so every
 * later output is NaN too (as in TA-Lib).
 */
export function sma(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  return rollingTotal('sma', values, period, period, out)
}

/** Streaming twin of {@link sma}: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export class Sma extends RollingTotal {
  constructor(period: number) {
    super(period, period, 'sma')
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
