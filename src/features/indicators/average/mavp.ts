/**
 * Moving average with variable period (TA-Lib MAVP): at each bar, the MA of type `maType` whose period that bar's
 * `periods` value names (truncated to an integer as C's cast does, then clamped to [minPeriod, maxPeriod]).
 *
 * Registered as `mavp` with TA-Lib's two inputs, `close` and `periods` (the period of each bar, a series of its
 * own: `kestrel indicators` reads it from the file's `periods` column, a feature spec passes any series, e.g.
 * `mavp(close, ht_dcperiod(close), 2, 30, 0)`); the streaming twin reads a bar's `periods` field.
 */
import { KestrelError } from '../../../core/index.ts'
import { checkInputs, intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'
import type { BarInput, StreamingIndicator } from '../types.ts'
import { createMovingAverage, maLookback, movingAverage } from './ma.ts'

/** TA-Lib's period for a bar: (int) truncation (NaN and values out of int range give INT_MIN), then clamped. */
export function mavpPeriod(x: number, minPeriod: number, maxPeriod: number): number {
  const t = Math.abs(x) < 2147483648 ? Math.trunc(x) : -2147483648
  return t < minPeriod ? minPeriod : t > maxPeriod ? maxPeriod : t
}

function checkParams(minPeriod: number, maxPeriod: number, maType: number): void {
  intParam('mavp', 'minperiod', minPeriod, 2)
  intParam('mavp', 'maxperiod', maxPeriod, 2)
  intParam('mavp', 'matype', maType, 0, 8)
  // TA-Lib takes maxperiod < minperiod but then reads MA values before their own lookback: refused here
  if (maxPeriod < minPeriod)
    throw new KestrelError(
      'PARAM_INVALID',
      `mavp(maxperiod): expected at least minperiod ${minPeriod}, got ${maxPeriod}`,
      { where: 'mavp(maxperiod)', minPeriod, maxPeriod },
    )
}

/** Lookback of MAVP: that of its MA at `maxPeriod`. */
export function mavpLookback(maxPeriod: number, maType: number): number {
  return maLookback(maxPeriod, maType)
}

/**
 * MAVP over `values` with the period of each bar read from `periods`. As in TA-Lib, the MA of each period used is
 * computed once, starting where its own lookback ends at the first output (bar = lookback of the longest period),
 * so the EMA family is seeded there too. NaN inside the lookback.
 */
export function mavp(
  values: Float64Array,
  periods: Float64Array,
  minPeriod = 2,
  maxPeriod = 30,
  maType = 0,
  out?: Float64Array,
): Float64Array {
  checkParams(minPeriod, maxPeriod, maType)
  const n = checkInputs('mavp', ['real', values], ['periods', periods])
  const o = outArray('mavp', n, out)
  const lb = mavpLookback(maxPeriod, maType)
  nanFill(o, 0, lb)
  const done = new Map<number, Float64Array>()
  for (let i = lb; i < n; i++) {
    const p = mavpPeriod(periods[i]!, minPeriod, maxPeriod)
    const start = lb - maLookback(p, maType)
    let ma = done.get(p)
    if (ma === undefined) {
      ma = movingAverage(values.subarray(start), p, maType, undefined, start)
      done.set(p, ma)
    }
    o[i] = ma[i - start]!
  }
  return o
}

/**
 * Streaming twin of {@link mavp}: one streaming MA per period in [minPeriod, maxPeriod], each started at the bar
 * the batch kernel starts it, so an update costs O(maxPeriod − minPeriod) MA updates; `update([value, period],
 * true)` replaces the last bar.
 */
export class Mavp implements StreamingIndicator<readonly [number, number], number> {
  private readonly lookback: number
  private readonly starts: number[]
  private streams: StreamingIndicator[]
  private count = 0
  private last: number | undefined

  constructor(
    readonly minPeriod = 2,
    readonly maxPeriod = 30,
    readonly maType = 0,
  ) {
    checkParams(minPeriod, maxPeriod, maType)
    this.lookback = mavpLookback(maxPeriod, maType)
    this.starts = []
    for (let p = minPeriod; p <= maxPeriod; p++) {
      this.starts.push(this.lookback - maLookback(p, maType))
    }
    this.streams = this.fresh()
  }

  private fresh(): StreamingIndicator[] {
    return this.starts.map((start, k) => createMovingAverage(this.minPeriod + k, this.maType, start))
  }

  update([x, period]: readonly [number, number], replace = false): number | undefined {
    const again = replace && this.count > 0
    if (!again) this.count++
    const t = this.count - 1
    for (let k = 0; k < this.streams.length; k++) {
      if (t >= this.starts[k]!) this.streams[k]!.update(x, again)
    }
    if (t < this.lookback) return (this.last = undefined)
    const p = mavpPeriod(period, this.minPeriod, this.maxPeriod)
    return (this.last = this.streams[p - this.minPeriod]!.value)
  }

  get isStable(): boolean {
    return this.count > this.lookback
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.streams = this.fresh()
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib MAVP as a registered indicator: inputs `close` and `periods`, params minperiod, maxperiod, matype. */
export const mavpDef = defineIndicator<readonly [number, number]>({
  name: 'mavp',
  description: 'Moving average with variable period: the MA whose period each bar of `periods` names',
  inputs: ['close', 'periods'],
  params: [pInt('minperiod', 2, 2), pInt('maxperiod', 30, 2), pInt('matype', 0, 0, 8)],
  outputs: ['real'],
  lookback: ([, maxP, t]) => mavpLookback(maxP!, t!),
  compute: ([x, periods], [minP, maxP, t]) => [mavp(x!, periods!, minP, maxP, t)],
  stream: ([minP, maxP, t]) => new Mavp(minP, maxP, t),
  pick: (bar: BarInput) => [bar.close, bar.periods ?? NaN] as const,
  testParams: [
    [5, 12, 1],
    [3, 20, 2],
    [2, 30, 3],
    [4, 15, 4],
    [2, 10, 5],
    [2, 16, 6],
    [3, 9, 7],
    [2, 12, 8],
  ],
})
