/** Average deviation (TA-Lib AVGDEV): the mean absolute deviation of the last `period` values from their mean. */
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * Mean of |x − mean| over the last `period` values. As in TA-Lib, each window is summed afresh, newest value first
 * (O(period) per bar, no running sum to drift), so the output is a pure function of the window. Lookback period − 1.
 */
export function avgdev(values: Float64Array, period = 14, out?: Float64Array): Float64Array {
  intParam('avgdev', 'timeperiod', period, 2)
  const n = values.length
  const o = outArray('avgdev', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  for (let t = lb; t < n; t++) o[t] = windowAvgdev((k) => values[t - k]!, period)
  return o
}

/** The one formula of {@link avgdev} and its streaming twin: `at(k)` is the value k bars before the newest. */
function windowAvgdev(at: (k: number) => number, period: number): number {
  let sum = 0.0
  for (let k = 0; k < period; k++) sum += at(k)
  let dev = 0.0
  for (let k = 0; k < period; k++) dev += Math.abs(at(k) - sum / period)
  return dev / period
}

/** Streaming state of {@link avgdev}: the last `period` values. */
class AvgdevState {
  readonly win: Ring
  value = NaN
  constructor(readonly period: number) {
    this.win = new Ring(period)
  }
  feed(x: number): void {
    this.win.push(x)
    if (this.win.length === this.period) this.value = windowAvgdev((k) => this.win.ago(k), this.period)
  }
}

/** TA-Lib AVGDEV. */
export const avgdevDef = defineIndicator({
  name: 'avgdev',
  description: 'Average Deviation',
  inputs: ['close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p! - 1,
  make: ([p]) => new AvgdevState(p!),
  feed: (s, b) => s.feed(b.close),
  read: (s) => [s.value],
  compute: ([x], [p]) => [avgdev(x!, p)],
  testParams: [[5], [2]],
})
