/**
 * Williams' %R (TA-Lib semantics): −100·(highest high − C)/(highest high − lowest low) over `timeperiod` bars,
 * −100..0; 0 when the window's range is exactly zero (TA-Lib's rule). Lookback timeperiod − 1. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import type { HlcBar } from '../volatility/atr.ts'
import { WindowExtreme, extremeSeries } from '../statistic/extreme.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** %R from the window extremes, as TA-Lib divides: (H − C)/((H − L)/−100), 0 on a zero range. */
export function willrValue(highest: number, lowest: number, close: number): number {
  const diff = (highest - lowest) / -100.0
  return diff !== 0.0 ? (highest - close) / diff : 0.0
}

/** Recurrence of WILLR. */
export class WillrState {
  readonly hi: WindowExtreme
  readonly lo: WindowExtreme
  value = NaN

  constructor(readonly period: number) {
    intParam('willr', 'timeperiod', period, 2)
    this.hi = new WindowExtreme(period, true, false)
    this.lo = new WindowExtreme(period, false, false)
  }

  /** Feeds one bar; NaN inside the lookback. */
  step(h: number, l: number, c: number): number {
    const a = this.hi.push(h)
    const b = this.lo.push(l)
    if (!a || !b) return (this.value = NaN)
    return (this.value = willrValue(this.hi.val, this.lo.val, c))
  }
}

/** Williams' %R: near 0 the close is at the top of the recent range, near −100 at the bottom. */
export function willr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  intParam('willr', 'timeperiod', timeperiod, 2)
  const n = checkInputs('willr', ['high', high], ['low', low], ['close', close])
  const o = outArray('willr', n, out)
  const hi = new Float64Array(n)
  extremeSeries(high, timeperiod, true, false, hi)
  extremeSeries(low, timeperiod, false, false, o)
  for (let i = timeperiod - 1; i < n; i++) o[i] = willrValue(hi[i]!, o[i]!, close[i]!)
  return o
}

/** Streaming twin of {@link willr}. */
export class Willr extends Stepper<WillrState, HlcBar, number> {
  constructor(timeperiod = 14) {
    new WillrState(timeperiod)
    super(
      () => new WillrState(timeperiod),
      timeperiod - 1,
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => s.value,
    )
  }
}

/** Registry entry of WILLR. */
export const willrDef: IndicatorDef = defineIndicator({
  name: 'willr',
  description: "Williams' %R",
  inputs: ['high', 'low', 'close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p! - 1,
  make: ([p]) => new WillrState(p!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.value],
  compute: ([high, low, close], [p]) => [willr(high, low, close, p)],
})
