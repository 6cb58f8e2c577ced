/**
 * TA-Lib's generic moving average (MA) over its nine MA types, used wherever TA-Lib takes an `matype` parameter
 * (MA, MACDEXT, BBANDS, APO, PPO, STOCH, ...). A period of 1 copies the input, as in TA-Lib. MAMA ignores the
 * period and uses TA-Lib's fixed limits 0.5/0.05; T3 uses the volume factor 0.7.
 */
import { Dema, dema } from './dema.ts'
import { Ema, ema } from './ema.ts'
import { Kama, kama } from './kama.ts'
import { MAMA_LOOKBACK, createMama, mama } from './mama.ts'
import { Sma, sma } from './sma.ts'
import { createT3, t3 } from './t3.ts'
import { Tema, tema } from './tema.ts'
import { Trima, trima } from './trima.ts'
import type { StreamingIndicator } from '../types.ts'
import { Wma, wma } from './wma.ts'
import { intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** Streaming identity (what TA-Lib's MA gives for period 1). */
export class Identity implements StreamingIndicator {
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

/** TA-Lib's MA types, by their integer codes. */
export const MA_TYPES = ['SMA', 'EMA', 'WMA', 'DEMA', 'TEMA', 'TRIMA', 'KAMA', 'MAMA', 'T3'] as const

/** An MA type: 0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 7 MAMA, 8 T3. */
export type MaType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8

/** TA-Lib's lookback of MA(period, maType). */
export function maLookback(period: number, maType: number): number {
  if (period <= 1) return 0
  switch (maType) {
    case 3:
      return 2 * (period - 1)
    case 4:
      return 3 * (period - 1)
    case 6:
      return period
    case 7:
      return MAMA_LOOKBACK
    case 8:
      return 6 * (period - 1)
    default:
      return period - 1
  }
}

/**
 * Batch moving average of type `maType` (TA-Lib MA). Writes into `out` (allocated when omitted); NaN inside the
 * lookback. `parity` is the absolute index of `values[0]` when it is a window into a longer series (only MAMA
 * depends on it, as TA-Lib alternates on the absolute bar index).
 */
export function movingAverage(
  values: Float64Array,
  period: number,
  maType: number,
  out?: Float64Array,
  parity = 0,
): Float64Array {
  intParam('ma', 'timeperiod', period, 1)
  intParam('ma', 'matype', maType, 0, 8)
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
    case 2:
      return wma(values, period, o)
    case 3:
      return dema(values, period, o)
    case 4:
      return tema(values, period, o)
    case 5:
      return trima(values, period, o)
    case 6:
      return kama(values, period, o)
    case 7:
      return mama(values, 0.5, 0.05, o, undefined, parity)[0]
    default:
      return t3(values, period, 0.7, o)
  }
}

/** MAMA's streaming twin reduced to its first output. */
class MamaOnly implements StreamingIndicator {
  private readonly inner
  constructor(parity: number) {
    this.inner = createMama(0.5, 0.05, parity)
  }
  update(x: number, replace = false): number | undefined {
    const v = this.inner.update(x, replace) as number[] | undefined
    return v?.[0]
  }
  get isStable(): boolean {
    return this.inner.isStable
  }
  get value(): number | undefined {
    return (this.inner.value as number[] | undefined)?.[0]
  }
  reset(): void {
    this.inner.reset()
  }
}

/** Streaming twin of {@link movingAverage}. */
export function createMovingAverage(period: number, maType: number, parity = 0): StreamingIndicator {
  intParam('ma', 'timeperiod', period, 1)
  intParam('ma', 'matype', maType, 0, 8)
  if (period === 1) return new Identity()
  switch (maType) {
    case 0:
      return new Sma(period)
    case 1:
      return new Ema(period)
    case 2:
      return new Wma(period)
    case 3:
      return new Dema(period)
    case 4:
      return new Tema(period)
    case 5:
      return new Trima(period)
    case 6:
      return new Kama(period)
    case 7:
      return new MamaOnly(parity)
    default:
      return createT3(period, 0.7) as StreamingIndicator
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
    [10, 3],
    [10, 4],
    [10, 5],
    [10, 6],
    [10, 7],
    [5, 8],
  ],
})
