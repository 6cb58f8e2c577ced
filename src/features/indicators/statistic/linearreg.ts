/**
 * Least-squares line over the last `period` values (TA-Lib LINEARREG, LINEARREG_SLOPE, LINEARREG_ANGLE,
 * LINEARREG_INTERCEPT, TSF). TA-Lib recomputes Σy and Σx·y with an O(period) loop per bar; Kestrel updates them
 * in O(1) and re-derives them with TA-Lib's exact loop every `period` bars and whenever they are not finite, which
 * bounds rounding drift and gives TA-Lib's NaN/Infinity behaviour exactly (non-finite while one is in the window).
 */
import type { StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** Which line statistic to output. */
export type LinRegKind = 'linearreg' | 'linearreg_slope' | 'linearreg_angle' | 'linearreg_intercept' | 'tsf'

const RAD2DEG = 180.0 / Math.PI

/** Constants of the regression for a period (x = bars ago, 0 for the newest). */
function consts(p: number): { sumX: number; divisor: number } {
  const sumX = p * (p - 1) * 0.5
  const sumXSqr = (p * (p - 1) * (2 * p - 1)) / 6
  return { sumX, divisor: sumX * sumX - p * sumXSqr }
}

/** The statistic from Σy and Σx·y, in TA-Lib's operation order. */
function finish(kind: LinRegKind, p: number, sumX: number, divisor: number, sumY: number, sumXY: number): number {
  const m = (p * sumXY - sumX * sumY) / divisor
  switch (kind) {
    case 'linearreg_slope':
      return m
    case 'linearreg_angle':
      return Math.atan(m) * RAD2DEG
    case 'linearreg_intercept':
      return (sumY - m * sumX) / p
    case 'tsf':
      return (sumY - m * sumX) / p + m * p
    default:
      return (sumY - m * sumX) / p + m * (p - 1)
  }
}

/** Batch kernel of the family. Lookback period − 1. */
export function linearRegression(
  values: Float64Array,
  period: number,
  kind: LinRegKind = 'linearreg',
  out?: Float64Array,
): Float64Array {
  intParam(kind, 'timeperiod', period, 2)
  const n = values.length
  const o = outArray(kind, n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  const { sumX, divisor } = consts(period)
  let sumY = 0
  let sumXY = 0
  for (let t = lb; t < n; t++) {
    const resync = (t - lb) % period === 0 || !Number.isFinite(sumXY + sumY)
    if (!resync) {
      const old = values[t - period]
      const keep = sumY - old
      sumXY = sumXY - lb * old + keep
      sumY = keep + values[t]
    }
    if (resync || !Number.isFinite(sumXY + sumY)) {
      sumY = 0
      sumXY = 0
      for (let i = period; i-- !== 0;) {
        const v = values[t - i]
        sumY += v
        sumXY += i * v
      }
    }
    o[t] = finish(kind, period, sumX, divisor, sumY, sumXY)
  }
  return o
}

/** Streaming twin of {@link linearRegression}, with the same re-derivation schedule (so they agree exactly). */
export class LinearRegression implements StreamingIndicator {
  private readonly win: Ring
  private readonly sumX: number
  private readonly divisor: number
  private count = 0
  private sumY = 0
  private sumXY = 0
  private uY = 0
  private uXY = 0
  private last: number | undefined
  private uLast: number | undefined

  constructor(
    readonly period: number,
    readonly kind: LinRegKind = 'linearreg',
  ) {
    intParam(kind, 'timeperiod', period, 2)
    this.win = new Ring(period + 1)
    const c = consts(period)
    this.sumX = c.sumX
    this.divisor = c.divisor
  }

  update(x: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.sumY = this.uY
      this.sumXY = this.uXY
      this.last = this.uLast
      this.win.undo()
    }
    this.uY = this.sumY
    this.uXY = this.sumXY
    this.uLast = this.last
    const t = this.count++
    const p = this.period
    const lb = p - 1
    this.win.push(x)
    if (t < lb) return undefined
    const resync = (t - lb) % p === 0 || !Number.isFinite(this.sumXY + this.sumY)
    if (!resync) {
      const old = this.win.ago(p)
      const keep = this.sumY - old
      this.sumXY = this.sumXY - lb * old + keep
      this.sumY = keep + x
    }
    if (resync || !Number.isFinite(this.sumXY + this.sumY)) {
      let sy = 0
      let sxy = 0
      for (let i = p; i-- !== 0;) {
        const v = this.win.ago(i)
        sy += v
        sxy += i * v
      }
      this.sumY = sy
      this.sumXY = sxy
    }
    this.last = finish(this.kind, p, this.sumX, this.divisor, this.sumY, this.sumXY)
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
    this.sumY = 0
    this.sumXY = 0
    this.last = undefined
  }
}

function def(kind: LinRegKind, description: string) {
  return defineIndicator({
    name: kind,
    description,
    inputs: ['close'],
    params: [pInt('timeperiod', 14, 2)],
    outputs: ['real'],
    lookback: ([p]) => p - 1,
    compute: ([x], [p]) => [linearRegression(x, p, kind)],
    stream: ([p]) => new LinearRegression(p, kind),
    testParams: [[5], [50]],
  })
}

/** TA-Lib LINEARREG: the regression line's value at the newest bar. */
export const linearregDef = def('linearreg', 'Linear regression value at the newest bar')
/** TA-Lib LINEARREG_SLOPE: slope per bar. */
export const linearregSlopeDef = def('linearreg_slope', 'Linear regression slope per bar')
/** TA-Lib LINEARREG_ANGLE: slope as an angle in degrees. */
export const linearregAngleDef = def('linearreg_angle', 'Linear regression angle (degrees)')
/** TA-Lib LINEARREG_INTERCEPT: the line's value at the oldest bar of the window. */
export const linearregInterceptDef = def('linearreg_intercept', 'Linear regression intercept')
/** TA-Lib TSF: the line projected one bar ahead. */
export const tsfDef = def('tsf', 'Time series forecast (regression line one bar ahead)')
