/**
 * Rolling extremes (TA-Lib MIN, MAX, MININDEX, MAXINDEX, MIDPOINT, MIDPRICE). The extreme is tracked exactly as
 * TA-Lib does: rescan the window only when the extreme leaves it, else compare the newest value (ties: the newest
 * wins; after a rescan, the oldest). Amortised O(1) per bar; indices are absolute bar numbers, as in TA-Lib.
 * NaN follows TA-Lib's comparisons (a NaN is never above or below anything; it becomes the extreme only as the
 * first value of a rescan); MIDPOINT/MIDPRICE are NaN exactly when the window's oldest value is NaN, as TA-Lib's
 * per-window scan gives.
 */
import type { BarInput, StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * Rolling max (`sign` = 1) or min (`sign` = −1) over `period`: writes values to `outVal` and/or absolute
 * indices to `outIdx`. Lookback period − 1.
 */
export function windowExtreme(
  values: Float64Array,
  period: number,
  sign: 1 | -1,
  outVal: Float64Array | null,
  outIdx: Float64Array | null,
): void {
  const n = values.length
  const lb = period - 1
  if (outVal) nanFill(outVal, 0, lb)
  if (outIdx) nanFill(outIdx, 0, lb)
  let best = 0
  let bestIdx = -1
  for (let today = lb, trailing = 0; today < n; today++, trailing++) {
    const tmp = values[today]
    if (bestIdx < trailing) {
      bestIdx = trailing
      best = values[trailing]
      const sb = sign * best
      let s = sb
      for (let i = trailing + 1; i <= today; i++) {
        const v = values[i]
        if (sign * v > s) {
          bestIdx = i
          best = v
          s = sign * v
        }
      }
    } else if (sign * tmp >= sign * best) {
      bestIdx = today
      best = tmp
    }
    if (outVal) outVal[today] = best
    if (outIdx) outIdx[today] = bestIdx
  }
}

/** Rolling maximum. */
export function max(values: Float64Array, period = 30, out?: Float64Array): Float64Array {
  intParam('max', 'timeperiod', period, 1)
  const o = outArray('max', values.length, out)
  windowExtreme(values, period, 1, o, null)
  return o
}

/** Rolling minimum. */
export function min(values: Float64Array, period = 30, out?: Float64Array): Float64Array {
  intParam('min', 'timeperiod', period, 1)
  const o = outArray('min', values.length, out)
  windowExtreme(values, period, -1, o, null)
  return o
}

/** Streaming twin of {@link windowExtreme}: `update` returns the extreme; `index` holds its absolute bar index. */
export class Extreme implements StreamingIndicator {
  private readonly win: Ring
  private count = 0
  private best = 0
  private bestIdx = -1
  private uBest = 0
  private uBestIdx = -1
  private last: number | undefined
  private uLast: number | undefined

  constructor(
    readonly period: number,
    readonly sign: 1 | -1,
  ) {
    intParam(sign > 0 ? 'max' : 'min', 'timeperiod', period, 1)
    this.win = new Ring(period)
  }

  /** The oldest value of the current window. */
  get oldest(): number {
    return this.win.ago(this.period - 1)
  }

  /** Absolute bar index of the current extreme. */
  get index(): number {
    return this.bestIdx
  }

  update(x: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.best = this.uBest
      this.bestIdx = this.uBestIdx
      this.last = this.uLast
      this.win.undo()
    }
    this.uBest = this.best
    this.uBestIdx = this.bestIdx
    this.uLast = this.last
    const today = this.count++
    this.win.push(x)
    const lb = this.period - 1
    if (today < lb) return undefined
    const sign = this.sign
    const trailing = today - lb
    if (this.bestIdx < trailing) {
      this.bestIdx = trailing
      this.best = this.win.ago(lb)
      let s = sign * this.best
      for (let i = trailing + 1; i <= today; i++) {
        const v = this.win.ago(today - i)
        if (sign * v > s) {
          this.bestIdx = i
          this.best = v
          s = sign * v
        }
      }
    } else if (sign * x >= sign * this.best) {
      this.bestIdx = today
      this.best = x
    }
    this.last = this.best
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
    this.bestIdx = -1
    this.best = 0
    this.last = undefined
  }
}

/** Streams the index of the extreme instead of its value. */
class ExtremeIndex implements StreamingIndicator {
  private readonly inner: Extreme
  constructor(period: number, sign: 1 | -1) {
    this.inner = new Extreme(period, sign)
  }
  update(x: number, replace = false): number | undefined {
    return this.inner.update(x, replace) === undefined ? undefined : this.inner.index
  }
  get isStable(): boolean {
    return this.inner.isStable
  }
  get value(): number | undefined {
    return this.inner.value === undefined ? undefined : this.inner.index
  }
  reset(): void {
    this.inner.reset()
  }
}

/** Streaming midpoint of two extremes: (max(a) + min(b)) / 2. */
class Mid implements StreamingIndicator<readonly [number, number], number> {
  private readonly hi: Extreme
  private readonly lo: Extreme
  private last: number | undefined
  constructor(period: number) {
    this.hi = new Extreme(period, 1)
    this.lo = new Extreme(period, -1)
  }
  update([h, l]: readonly [number, number], replace = false): number | undefined {
    const a = this.hi.update(h, replace)
    const b = this.lo.update(l, replace)
    if (a === undefined || b === undefined) this.last = undefined
    else this.last = Number.isNaN(this.hi.oldest) || Number.isNaN(this.lo.oldest) ? NaN : (a + b) / 2.0
    return this.last
  }
  get isStable(): boolean {
    return this.hi.isStable
  }
  get value(): number | undefined {
    return this.last
  }
  reset(): void {
    this.hi.reset()
    this.lo.reset()
    this.last = undefined
  }
}

/** (highest high + lowest low) / 2 over `period` (MIDPRICE); MIDPOINT is the same on one series. */
export function midprice(high: Float64Array, low: Float64Array, period = 14, out?: Float64Array): Float64Array {
  intParam('midprice', 'timeperiod', period, 1)
  const n = high.length
  const o = outArray('midprice', n, out)
  const lo = new Float64Array(n)
  windowExtreme(high, period, 1, o, null)
  windowExtreme(low, period, -1, lo, null)
  // TA-Lib rescans each window starting from its oldest bar, so a NaN there (and only there) gives NaN.
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    o[i] = high[t] !== high[t] || low[t] !== low[t] ? NaN : (o[i] + lo[i]) / 2.0
  }
  return o
}

const period30 = [pInt('timeperiod', 30, 2)]

/** TA-Lib MAX. */
export const maxDef = defineIndicator({
  name: 'max',
  description: 'Highest value over a period',
  inputs: ['close'],
  params: period30,
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [max(x, p)],
  stream: ([p]) => new Extreme(p, 1),
  testParams: [[5], [2]],
})

/** TA-Lib MIN. */
export const minDef = defineIndicator({
  name: 'min',
  description: 'Lowest value over a period',
  inputs: ['close'],
  params: period30,
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [min(x, p)],
  stream: ([p]) => new Extreme(p, -1),
  testParams: [[5], [2]],
})

function indexDef(name: 'maxindex' | 'minindex', sign: 1 | -1) {
  return defineIndicator({
    name,
    description: `Absolute bar index of the ${sign > 0 ? 'highest' : 'lowest'} value over a period`,
    inputs: ['close'],
    params: period30,
    outputs: ['integer'],
    lookback: ([p]) => p - 1,
    compute: ([x], [p]) => {
      const o = new Float64Array(x.length)
      windowExtreme(x, p, sign, null, o)
      return [o]
    },
    stream: ([p]) => new ExtremeIndex(p, sign),
    testParams: [[5], [2]],
  })
}

/** TA-Lib MAXINDEX (output `integer`, as TA-Lib's Python abstract API). */
export const maxindexDef = indexDef('maxindex', 1)
/** TA-Lib MININDEX. */
export const minindexDef = indexDef('minindex', -1)

/** TA-Lib MIDPOINT: (highest + lowest) / 2 of one series. */
export const midpointDef = defineIndicator({
  name: 'midpoint',
  description: 'Midpoint of the highest and lowest value over a period',
  inputs: ['close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([x], [p]) => [midprice(x, x, p)],
  stream: ([p]) => new Mid(p),
  pick: (bar: BarInput) => [bar.close, bar.close] as const,
  testParams: [[5], [2]],
})

/** TA-Lib MIDPRICE: (highest high + lowest low) / 2. */
export const midpriceDef = defineIndicator({
  name: 'midprice',
  description: 'Midpoint of the highest high and lowest low over a period',
  inputs: ['high', 'low'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([h, l], [p]) => [midprice(h, l, p)],
  stream: ([p]) => new Mid(p),
  pick: (bar: BarInput) => [bar.high, bar.low] as const,
  testParams: [[5], [2]],
})

/** Streams [min, max] or [minidx, maxidx] of one series. */
class MinMax implements StreamingIndicator<number, number[]> {
  private readonly lo: Extreme
  private readonly hi: Extreme
  private last: number[] | undefined
  constructor(
    period: number,
    readonly indices: boolean,
  ) {
    this.lo = new Extreme(period, -1)
    this.hi = new Extreme(period, 1)
  }
  update(x: number, replace = false): number[] | undefined {
    const a = this.lo.update(x, replace)
    const b = this.hi.update(x, replace)
    if (a === undefined || b === undefined) return (this.last = undefined)
    this.last = this.indices ? [this.lo.index, this.hi.index] : [a, b]
    return this.last
  }
  get isStable(): boolean {
    return this.hi.isStable
  }
  get value(): number[] | undefined {
    return this.last
  }
  reset(): void {
    this.lo.reset()
    this.hi.reset()
    this.last = undefined
  }
}

function minmaxDefOf(name: 'minmax' | 'minmaxindex') {
  const indices = name === 'minmaxindex'
  return defineIndicator({
    name,
    description: indices
      ? 'Absolute bar indices of the lowest and highest values over a period'
      : 'Lowest and highest values over a period',
    inputs: ['close'],
    params: period30,
    outputs: indices ? ['minidx', 'maxidx'] : ['min', 'max'],
    lookback: ([p]) => p - 1,
    compute: ([x], [p]) => {
      const a = new Float64Array(x.length)
      const b = new Float64Array(x.length)
      windowExtreme(x, p, -1, indices ? null : a, indices ? a : null)
      windowExtreme(x, p, 1, indices ? null : b, indices ? b : null)
      return [a, b]
    },
    stream: ([p]) => new MinMax(p, indices),
    testParams: [[5], [2]],
  })
}

/** TA-Lib MINMAX (outputs min, max). */
export const minmaxDef = minmaxDefOf('minmax')
/** TA-Lib MINMAXINDEX (outputs minidx, maxidx). */
export const minmaxindexDef = minmaxDefOf('minmaxindex')
