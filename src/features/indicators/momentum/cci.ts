/**
 * CCI, commodity channel index (TA-Lib semantics): (TP − SMA(TP))/(0.015·mean absolute deviation), TP =
 * (H+L+C)/3 over `timeperiod` bars; 0 when either the deviation from the mean or the mean deviation is exactly
 * zero. Lookback timeperiod − 1. The mean deviation needs the whole window, so each bar costs O(timeperiod) in
 * batch and streaming alike (TA-Lib does the same); the sums run in TA-Lib's circular-buffer order so the
 * results agree to the last bits. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import type { HlcBar } from '../volatility/atr.ts'
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of CCI: a ring of typical prices. */
export class CciState {
  readonly ring: Ring
  value = NaN

  constructor(readonly period: number) {
    intParam('cci', 'timeperiod', period, 2)
    this.ring = new Ring(period)
  }

  /** Feeds one bar; NaN inside the lookback. */
  step(h: number, l: number, c: number): number {
    const tp = (h + l + c) / 3
    const r = this.ring
    r.push(tp)
    const p = this.period
    if (r.count < p) return (this.value = NaN)
    const buf = r.buf
    let avg = 0
    for (let j = 0; j < p; j++) avg += buf[j]!
    avg /= p
    let dev = 0
    for (let j = 0; j < p; j++) dev += Math.abs(buf[j]! - avg)
    const d = tp - avg
    return (this.value = d !== 0.0 && dev !== 0.0 ? d / (0.015 * (dev / p)) : 0.0)
  }
}

/** Commodity channel index: beyond ±100 the price is unusually far from its recent mean. */
export function cci(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  const s = new CciState(timeperiod)
  const n = checkInputs('cci', ['high', high], ['low', low], ['close', close])
  const o = outArray('cci', n, out)
  for (let i = 0; i < n; i++) o[i] = s.step(high[i]!, low[i]!, close[i]!)
  return o
}

/** Streaming twin of {@link cci}. */
export class Cci extends Stepper<CciState, HlcBar, number> {
  constructor(timeperiod = 14) {
    new CciState(timeperiod)
    super(
      () => new CciState(timeperiod),
      timeperiod - 1,
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => s.value,
    )
  }
}

/** Registry entry of CCI. */
export const cciDef: IndicatorDef = defineIndicator({
  name: 'cci',
  description: 'Commodity Channel Index',
  inputs: ['high', 'low', 'close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p! - 1,
  make: ([p]) => new CciState(p!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.value],
  compute: ([high, low, close], [p]) => [cci(high, low, close, p)],
})
