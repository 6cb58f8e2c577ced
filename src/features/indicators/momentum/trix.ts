/**
 * TRIX (TA-Lib semantics): the 1-bar rate of change, in percent, of a triple EMA (each EMA seeded with the SMA
 * of its first `timeperiod` inputs, TA-Lib's default): ((E3[t]/E3[t−1]) − 1)·100, 0 when E3[t−1] is 0.
 * Lookback 3·(timeperiod − 1) + 1. Uses the EMA of ema.ts. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { Ema, ema } from '../average/ema.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper, StreamSlot } from '../define.ts'

/** Recurrence of TRIX: three chained EMAs and the previous triple-smoothed value. */
export class TrixState {
  readonly e1: StreamSlot
  readonly e2: StreamSlot
  readonly e3: StreamSlot
  n1 = 0
  n2 = 0
  n3 = 0
  prev = NaN
  value = NaN

  constructor(readonly period: number) {
    intParam('trix', 'timeperiod', period, 1)
    this.e1 = new StreamSlot(new Ema(period))
    this.e2 = new StreamSlot(new Ema(period))
    this.e3 = new StreamSlot(new Ema(period))
  }

  /** Feeds one value; NaN inside the lookback. */
  step(x: number): number {
    const lb = this.period - 1
    const a = this.e1.feed(x)
    if (this.n1++ < lb) return (this.value = NaN)
    const b = this.e2.feed(a)
    if (this.n2++ < lb) return (this.value = NaN)
    const c = this.e3.feed(b)
    if (this.n3++ < lb) return (this.value = NaN)
    const prev = this.prev
    this.prev = c
    if (this.n3 === lb + 1) return (this.value = NaN)
    return (this.value = prev !== 0.0 ? (c / prev - 1.0) * 100.0 : 0.0)
  }
}

/** TRIX: momentum of a triple-smoothed EMA, in percent per bar. */
export function trix(values: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  intParam('trix', 'timeperiod', timeperiod, 1)
  const n = checkInputs('trix', ['close', values])
  const o = outArray('trix', n, out).fill(NaN)
  const lb = timeperiod - 1
  if (n <= 3 * lb + 1) return o
  const a = ema(values, timeperiod)
  const b = new Float64Array(n)
  ema(a.subarray(lb), timeperiod, b.subarray(lb))
  ema(b.subarray(2 * lb), timeperiod, a.subarray(2 * lb))
  for (let i = 3 * lb + 1; i < n; i++) {
    const prev = a[i - 1]!
    o[i] = prev !== 0.0 ? (a[i]! / prev - 1.0) * 100.0 : 0.0
  }
  return o
}

/** Streaming twin of {@link trix}. */
export class Trix extends Stepper<TrixState, number, number> {
  constructor(timeperiod = 30) {
    new TrixState(timeperiod)
    super(
      () => new TrixState(timeperiod),
      3 * (timeperiod - 1) + 1,
      (s, x) => s.step(x),
      (s) => s.value,
    )
  }
}

/** Registry entry of TRIX. */
export const trixDef: IndicatorDef = defineIndicator({
  name: 'trix',
  description: '1-day Rate-Of-Change (ROC) of a Triple Smooth EMA',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 1)],
  outputs: ['real'],
  lookback: ([p]) => 3 * (p! - 1) + 1,
  make: ([p]) => new TrixState(p!),
  feed: (s, b) => s.step(b.close),
  read: (s) => [s.value],
  compute: ([close], [p]) => [trix(close, p)],
})
