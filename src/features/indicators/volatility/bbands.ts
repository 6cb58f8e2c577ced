/** Bollinger bands (TA-Lib BBANDS): outputs upperband, middleband, lowerband. */
import { createMovingAverage, maLookback, movingAverage } from '../average/ma.ts'
import type { StreamingIndicator } from '../types.ts'
import { RollingVar, stddev } from '../statistic/var.ts'
import { nanFill, outArray, pInt, pReal } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** Lookback of BBANDS: that of its MA (never less than period − 1). */
export function bbandsLookback(period: number, maType: number): number {
  return Math.max(maLookback(period, maType), period - 1)
}

/**
 * Bollinger bands: MA ± nbdev · population standard deviation over `period`. As in TA-Lib, the deviation is
 * computed from running sums that start where the MA's lookback ends (so it differs in the last bits by MA type).
 */
export function bbands(
  values: Float64Array,
  period = 5,
  nbDevUp = 2,
  nbDevDn = 2,
  maType = 0,
  outs: Float64Array[] = [],
): [Float64Array, Float64Array, Float64Array] {
  const n = values.length
  const up = outArray('bbands', n, outs[0])
  const mid = outArray('bbands', n, outs[1])
  const dn = outArray('bbands', n, outs[2])
  const lb = bbandsLookback(period, maType)
  movingAverage(values, period, maType, mid)
  const off = lb - (period - 1)
  if (n > lb) {
    stddev(values.subarray(off), period, 1, dn.subarray(off))
    for (let i = lb; i < n; i++) {
      const m = mid[i]
      const sd = dn[i]
      up[i] = m + sd * nbDevUp
      dn[i] = m - sd * nbDevDn
    }
  }
  nanFill(up, 0, lb)
  nanFill(mid, 0, lb)
  nanFill(dn, 0, lb)
  return [up, mid, dn]
}

/** Streaming twin of {@link bbands}: `update` returns [upper, middle, lower]. */
export class Bbands implements StreamingIndicator<number, number[]> {
  private readonly ma: StreamingIndicator
  private readonly sd: RollingVar
  private readonly off: number
  private count = 0
  private last: number[] | undefined

  constructor(
    readonly period = 5,
    readonly nbDevUp = 2,
    readonly nbDevDn = 2,
    readonly maType = 0,
  ) {
    this.ma = createMovingAverage(period, maType)
    this.sd = new RollingVar(period, true, 1)
    this.off = bbandsLookback(period, maType) - (period - 1)
  }

  update(x: number, replace = false): number[] | undefined {
    if (replace && this.count > 0) this.count--
    const i = this.count++
    const m = this.ma.update(x, replace)
    const s = i >= this.off ? this.sd.update(x, replace) : undefined
    this.last = m === undefined || s === undefined ? undefined : [m + s * this.nbDevUp, m, m - s * this.nbDevDn]
    return this.last
  }

  get isStable(): boolean {
    return this.last !== undefined
  }

  get value(): number[] | undefined {
    return this.last
  }

  reset(): void {
    this.ma.reset()
    this.sd.reset()
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib BBANDS. */
export const bbandsDef = defineIndicator({
  name: 'bbands',
  description: 'Bollinger bands',
  inputs: ['close'],
  params: [
    pInt('timeperiod', 5, 2),
    pReal('nbdevup', 2, -3e37, 3e37),
    pReal('nbdevdn', 2, -3e37, 3e37),
    pInt('matype', 0, 0, 8),
  ],
  outputs: ['upperband', 'middleband', 'lowerband'],
  lookback: ([p, , , t]) => bbandsLookback(p, t),
  compute: ([x], [p, u, d, t]) => bbands(x, p, u, d, t),
  stream: ([p, u, d, t]) => new Bbands(p, u, d, t),
  testParams: [
    [20, 2, 2, 0],
    [20, 1, 3, 1],
    [10, 2.5, 1, 3],
    [10, 2, 2, 6],
    [5, 2, 2, 8],
    [20, 2, 2, 7],
  ],
})
