/** Kaufman adaptive moving average (TA-Lib KAMA). */
import type { StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

const CONST_MAX = 2.0 / (30.0 + 1.0)
const CONST_DIFF = 2.0 / (2.0 + 1.0) - CONST_MAX

/** One KAMA step from the period change and the sum of absolute one-bar changes (TA-Lib's arithmetic). */
export function kamaStep(prev: number, x: number, periodRoc: number, sumRoc1: number): number {
  let sc = sumRoc1 <= periodRoc || (sumRoc1 > -1e-14 && sumRoc1 < 1e-14) ? 1.0 : Math.abs(periodRoc / sumRoc1)
  sc = sc * CONST_DIFF + CONST_MAX
  sc *= sc
  return (x - prev) * sc + prev
}

/**
 * KAMA: an EMA whose smoothing follows the efficiency ratio over `period` bars (fast 2, slow 30), seeded with
 * the previous close as in TA-Lib. Lookback `period`. A NaN input poisons the running sum and so all later values.
 */
export function kama(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('kama', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('kama', n, out)
  nanFill(o, 0, period)
  if (n <= period) return o
  let sumRoc1 = 0
  for (let i = 0; i < period; i++) sumRoc1 += Math.abs(values[i] - values[i + 1])
  let prev = values[period - 1]
  prev = kamaStep(prev, values[period], values[period] - values[0], sumRoc1)
  o[period] = prev
  let trailing = values[0]
  for (let t = period + 1; t < n; t++) {
    const x = values[t]
    const old = values[t - period]
    sumRoc1 -= Math.abs(trailing - old)
    sumRoc1 += Math.abs(x - values[t - 1])
    trailing = old
    prev = kamaStep(prev, x, x - old, sumRoc1)
    o[t] = prev
  }
  return o
}

/** Streaming twin of {@link kama}: O(1) per update; `replace` recomputes the last value. */
export class Kama implements StreamingIndicator {
  private readonly win: Ring
  private count = 0
  private sumRoc1 = 0
  private prev = NaN
  private u = [0, NaN]
  private last: number | undefined
  private uLast: number | undefined

  constructor(readonly period: number) {
    intParam('kama', 'timeperiod', period, 1)
    this.win = new Ring(period + 2)
  }

  update(x: number, replace = false): number | undefined {
    const { win, period, u } = this
    if (replace && this.count > 0) {
      this.count--
      this.sumRoc1 = u[0]
      this.prev = u[1]
      this.last = this.uLast
      win.undo()
    }
    u[0] = this.sumRoc1
    u[1] = this.prev
    this.uLast = this.last
    this.count++
    win.push(x)
    const t = this.count - 1
    if (t === 0) return undefined
    if (t <= period) {
      this.sumRoc1 += Math.abs(win.ago(1) - x)
      if (t < period) return undefined
      this.prev = kamaStep(win.ago(1), x, x - win.ago(period), this.sumRoc1)
    } else {
      const old = win.ago(period)
      this.sumRoc1 -= Math.abs(win.ago(period + 1) - old)
      this.sumRoc1 += Math.abs(x - win.ago(1))
      this.prev = kamaStep(this.prev, x, x - old, this.sumRoc1)
    }
    this.last = this.prev
    return this.last
  }

  get isStable(): boolean {
    return this.count > this.period
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.win.clear()
    this.count = 0
    this.sumRoc1 = 0
    this.prev = NaN
    this.last = undefined
  }
}

/** TA-Lib KAMA. */
export const kamaDef = defineIndicator({
  name: 'kama',
  description: 'Kaufman adaptive moving average',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p,
  compute: ([x], [p]) => [kama(x, p)],
  stream: ([p]) => new Kama(p),
  testParams: [[10], [2]],
})
