/**
 * TA-Lib's generic moving average (MA) over its nine MA types, used wherever TA-Lib takes an `matype` parameter
 * (MA, MACDEXT, BBANDS, APO, PPO, STOCH, ...). A period of 1 copies the input, as in TA-Lib.
 */
import { KestrelError } from '../../core/index.ts'
import { Ema, ema } from './ema.ts'
import { Sma, sma } from './sma.ts'
import type { StreamingIndicator } from './types.ts'
import { defineIndicator, intParam, outArray, pInt } from './util.ts'
import { Wma, wma } from './wma.ts'

/** TA-Lib's MA types, by their integer codes. */
export const MA_TYPES = ['SMA', 'EMA', 'WMA', 'DEMA', 'TEMA', 'TRIMA', 'KAMA', 'MAMA', 'T3'] as const

/** An MA type: 0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 7 MAMA, 8 T3. */
export type MaType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8

/** The MA types implemented so far (the others throw PARAM_INVALID). */
const IMPLEMENTED = new Set<number>([0, 1, 2])

function checkType(ind: string, maType: number): void {
  intParam(ind, 'matype', maType, 0, 8)
  if (!IMPLEMENTED.has(maType)) {
    throw new KestrelError('PARAM_INVALID', `${ind}(matype): ${MA_TYPES[maType]} (${maType}) is not implemented yet`, {
      indicator: ind,
      param: 'matype',
      got: maType,
    })
  }
}

/** TA-Lib's lookback of MA(period, maType). */
export function maLookback(period: number, maType: number): number {
  if (period <= 1) return 0
  switch (maType) {
    case 0:
    case 1:
    case 2:
      return period - 1
    default:
      checkType('ma', maType)
      return 0
  }
}

/**
 * Batch moving average of type `maType` (TA-Lib MA). Writes into `out` (allocated when omitted); NaN inside the
 * lookback.
 */
export function movingAverage(values: Float64Array, period: number, maType: number, out?: Float64Array): Float64Array {
  intParam('ma', 'timeperiod', period, 1)
  checkType('ma', maType)
  const o = outArray('ma', values.length, out)
  if (period === 1) {
    o.set(values)
    return o
  }
  switch (maType) {
    case 0:
      return sma(values, period, o)
    case 1:
      return ema(values, period, o)
    default:
      return wma(values, period, o)
  }
}

/** Streaming identity (MA with period 1). */
class Identity implements StreamingIndicator {
  private last: number | undefined
  update(x: number): number {
    this.last = x
    return x
  }
  get isStable(): boolean {
    return this.last !== undefined
  }
  get value(): number | undefined {
    return this.last
  }
  reset(): void {
    this.last = undefined
  }
}

/** Streaming twin of {@link movingAverage}. */
export function createMovingAverage(period: number, maType: number): StreamingIndicator {
  intParam('ma', 'timeperiod', period, 1)
  checkType('ma', maType)
  if (period === 1) return new Identity()
  switch (maType) {
    case 0:
      return new Sma(period)
    case 1:
      return new Ema(period)
    default:
      return new Wma(period)
  }
}

/** TA-Lib MA (generic moving average with `matype`). */
export const maDef = defineIndicator({
  name: 'ma',
  description: 'Moving average of any TA-Lib MA type',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 1), pInt('matype', 0, 0, 8)],
  outputs: ['real'],
  lookback: ([p, t]) => maLookback(p, t),
  compute: ([x], [p, t]) => [movingAverage(x, p, t)],
  stream: ([p, t]) => createMovingAverage(p, t),
  testParams: [
    [10, 1],
    [9, 2],
    [1, 0],
  ],
})
