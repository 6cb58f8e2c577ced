/** Triangular moving average (TA-Lib TRIMA). */
import type { StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** State of TA-Lib's O(1) TRIMA recurrence: a weighted numerator split into a falling and a rising half. */
interface TrimaSums {
  num: number
  sub: number
  add: number
}

/** Initial sums over the first `period` values `at(0..period-1)`, in TA-Lib's order. */
function trimaInit(at: (i: number) => number, period: number, s: TrimaSums): void {
  const half = period >> 1
  const middle = period % 2 === 1 ? half : half - 1
  s.num = 0
  s.sub = 0
  s.add = 0
  for (let i = middle; i >= 0; i--) {
    s.sub += at(i)
    s.num += s.sub
  }
  for (let i = middle + 1; i < period; i++) {
    s.add += at(i)
    s.num += s.add
  }
}

/**
 * TRIMA: an SMA of an SMA (triangular weights), with TA-Lib's O(1) recurrence and its exact operation order.
 * Lookback period − 1.
 */
export function trima(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('trima', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('trima', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  const half = period >> 1
  const odd = period % 2 === 1
  const factor = 1.0 / (odd ? (half + 1) * (half + 1) : half * (half + 1))
  const s: TrimaSums = { num: 0, sub: 0, add: 0 }
  trimaInit((i) => values[i], period, s)
  let { num, sub, add } = s
  o[lb] = num * factor
  const mid = odd ? half : half
  for (let t = period; t < n; t++) {
    num -= sub
    sub -= values[t - period]
    const m = values[t - mid]
    sub += m
    if (odd) {
      num += add
      add -= m
    } else {
      add -= m
      num += add
    }
    const x = values[t]
    add += x
    num += x
    o[t] = num * factor
  }
  return o
}

/** Streaming twin of {@link trima}: O(1) per update; `replace` recomputes the last value. */
export class Trima implements StreamingIndicator {
  private readonly win: Ring
  private readonly factor: number
  private readonly s: TrimaSums = { num: 0, sub: 0, add: 0 }
  private readonly u: TrimaSums = { num: 0, sub: 0, add: 0 }
  private count = 0
  private last: number | undefined
  private uLast: number | undefined

  constructor(readonly period: number) {
    intParam('trima', 'timeperiod', period, 1)
    this.win = new Ring(period + 1)
    const half = period >> 1
    this.factor = 1.0 / (period % 2 === 1 ? (half + 1) * (half + 1) : half * (half + 1))
  }

  update(x: number, replace = false): number | undefined {
    const { s, u, win, period } = this
    if (replace && this.count > 0) {
      this.count--
      s.num = u.num
      s.sub = u.sub
      s.add = u.add
      this.last = this.uLast
      win.undo()
    }
    u.num = s.num
    u.sub = s.sub
    u.add = s.add
    this.uLast = this.last
    this.count++
    win.push(x)
    if (this.count < period) return undefined
    if (this.count === period) {
      trimaInit((i) => win.ago(period - 1 - i), period, s)
    } else {
      const half = period >> 1
      s.num -= s.sub
      s.sub -= win.ago(period)
      const m = win.ago(half)
      s.sub += m
      if (period % 2 === 1) {
        s.num += s.add
        s.add -= m
      } else {
        s.add -= m
        s.num += s.add
      }
      s.add += x
      s.num += x
    }
    this.last = s.num * this.factor
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
    this.last = undefined
  }
}

/** TA-Lib TRIMA. */
export const trimaDef = defineIndicator({
  name: 'trima',
  description: 'Triangular moving average',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [trima(x, p)],
  stream: ([p]) => new Trima(p),
  testParams: [[9], [10], [2], [3]],
})
