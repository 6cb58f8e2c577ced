/** Rolling variance and standard deviation (TA-Lib VAR, STDDEV), population form. */
import type { StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt, pReal } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** TA-Lib's guard: √v when v ≥ 1e-14, else 0 (NaN stays NaN). */
export function guardedSqrt(v: number): number {
  return v < 1e-14 ? 0.0 : Math.sqrt(v)
}

/**
 * Population variance over `period` values with TA-Lib's running sums of x and x² (mean of squares minus square
 * of mean). Lookback period − 1. A NaN input poisons the running sums and so every later value (as in TA-Lib).
 */
export function variance(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('var', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('var', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  let t1 = 0
  let t2 = 0
  for (let i = 0; i < lb; i++) {
    const v = values[i]
    t1 += v
    t2 += v * v
  }
  for (let i = lb, t = 0; i < n; i++, t++) {
    const v = values[i]
    t1 += v
    t2 += v * v
    const m1 = t1 / period
    const m2 = t2 / period
    const old = values[t]
    t1 -= old
    t2 -= old * old
    o[i] = m2 - m1 * m1
  }
  return o
}

/** Standard deviation: √VAR · nbdev, 0 where the variance is below 1e-14 (TA-Lib). */
export function stddev(values: Float64Array, period: number, nbDev = 1, out?: Float64Array): Float64Array {
  intParam('stddev', 'timeperiod', period, 1)
  const o = variance(values, period, out)
  for (let i = period - 1; i < o.length; i++) o[i] = guardedSqrt(o[i]) * nbDev
  return o
}

/** Streaming twin of {@link variance} (and, with `sd`, of {@link stddev}). */
export class RollingVar implements StreamingIndicator {
  private readonly win: Ring
  private t1 = 0
  private t2 = 0
  private u1 = 0
  private u2 = 0
  private count = 0
  private last: number | undefined
  private uLast: number | undefined

  constructor(
    readonly period: number,
    readonly sd = false,
    readonly nbDev = 1,
  ) {
    intParam(sd ? 'stddev' : 'var', 'timeperiod', period, 1)
    this.win = new Ring(Math.max(1, period - 1))
  }

  update(x: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.t1 = this.u1
      this.t2 = this.u2
      this.last = this.uLast
      if (this.period > 1) this.win.undo()
    }
    this.u1 = this.t1
    this.u2 = this.t2
    this.uLast = this.last
    this.count++
    const p = this.period
    const t1 = this.t1 + x
    const t2 = this.t2 + x * x
    const full = p === 1 || this.win.length === p - 1
    const old = p > 1 ? this.win.push(x) : x
    if (!full) {
      this.t1 = t1
      this.t2 = t2
      return undefined
    }
    const m1 = t1 / p
    const m2 = t2 / p
    this.t1 = t1 - old
    this.t2 = t2 - old * old
    const v = m2 - m1 * m1
    this.last = this.sd ? guardedSqrt(v) * this.nbDev : v
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
    this.t1 = 0
    this.t2 = 0
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib VAR (the nbdev parameter is accepted and ignored, as in TA-Lib). */
export const varDef = defineIndicator({
  name: 'var',
  description: 'Rolling population variance',
  inputs: ['close'],
  params: [pInt('timeperiod', 5, 1), pReal('nbdev', 1, -3e37, 3e37)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [variance(x, p)],
  stream: ([p]) => new RollingVar(p),
  testParams: [
    [20, 1],
    [1, 1],
  ],
})

/** TA-Lib STDDEV. */
export const stddevDef = defineIndicator({
  name: 'stddev',
  description: 'Rolling population standard deviation times nbdev',
  inputs: ['close'],
  params: [pInt('timeperiod', 5, 2), pReal('nbdev', 1, -3e37, 3e37)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p, d]) => [stddev(x, p, d)],
  stream: ([p, d]) => new RollingVar(p, true, d),
  testParams: [
    [20, 2],
    [2, 1.5],
  ],
})
