/** Rolling sum (TA-Lib SUM). */
import type { StreamingIndicator } from './types.ts'
import { Window, defineIndicator, intParam, nanFill, outArray, pInt } from './util.ts'

/** Sum of the last `period` values, TA-Lib's running sum (add, emit, subtract). Lookback period − 1. */
export function sum(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  return rollingTotal('sum', values, period, 1, out)
}

/**
 * The running sum shared by SUM (`divisor` 1) and SMA (`divisor` = period): add the newest, emit total / divisor,
 * subtract the oldest. Dividing by 1 is exact, so SUM's output is the plain total.
 */
export function rollingTotal(
  name: string,
  values: Float64Array,
  period: number,
  divisor: number,
  out?: Float64Array,
): Float64Array {
  intParam(name, 'timeperiod', period, 1)
  const n = values.length
  const o = outArray(name, n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  let total = 0
  for (let i = 0; i < lb; i++) total += values[i]
  for (let i = lb, t = 0; i < n; i++, t++) {
    total += values[i]
    o[i] = total / divisor
    total -= values[t]
  }
  return o
}

/** Streaming twin of {@link rollingTotal}: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export class RollingTotal implements StreamingIndicator {
  private readonly win: Window
  private partial = 0
  private uPartial = 0
  private last: number | undefined
  private uLast: number | undefined
  private count = 0

  constructor(
    readonly period: number,
    private readonly divisor: number,
    name: string,
  ) {
    intParam(name, 'timeperiod', period, 1)
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
    if (this.period === 1) return (this.last = x)
    const full = this.win.length === this.period - 1
    const old = this.win.push(x)
    if (full) {
      this.last = total / this.divisor
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

/** Streaming twin of {@link sum}. */
export class Sum extends RollingTotal {
  constructor(period: number) {
    super(period, 1, 'sum')
  }
}

/** TA-Lib SUM. */
export const sumDef = defineIndicator({
  name: 'sum',
  description: 'Rolling sum',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [sum(x, p)],
  stream: ([p]) => new Sum(p),
  testParams: [[5], [2]],
})
