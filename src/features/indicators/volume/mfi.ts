/**
 * MFI, money flow index (TA-Lib semantics): raw money flow = TP·volume with TP = (H+L+C)/3, counted positive
 * when TP rose, negative when it fell, neither when unchanged; MFI = 100·Σpos/(Σpos + Σneg) over `timeperiod`
 * bars, and 0 when Σpos + Σneg < 1 (TA-Lib's guard, which also covers zero volume). Lookback timeperiod.
 * NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of MFI: rings of positive and negative flows and their running sums. */
export class MfiState {
  readonly pos: Ring
  readonly neg: Ring
  n = 0
  prevTP = NaN
  posSum = 0
  negSum = 0
  value = NaN

  constructor(readonly period: number) {
    intParam('mfi', 'timeperiod', period, 2)
    this.pos = new Ring(period)
    this.neg = new Ring(period)
  }

  /** Feeds one bar; NaN inside the lookback. */
  step(h: number, l: number, c: number, v: number): number {
    const n = this.n++
    const tp = (h + l + c) / 3.0
    if (n === 0) {
      this.prevTP = tp
      return (this.value = NaN)
    }
    const p = this.period
    if (n > p) {
      this.posSum -= this.pos.ago(p - 1)
      this.negSum -= this.neg.ago(p - 1)
    }
    const d = tp - this.prevTP
    this.prevTP = tp
    const mf = tp * v
    if (d < 0) {
      this.neg.push(mf)
      this.negSum += mf
      this.pos.push(0)
    } else if (d > 0) {
      this.pos.push(mf)
      this.posSum += mf
      this.neg.push(0)
    } else {
      this.pos.push(0)
      this.neg.push(0)
    }
    if (n < p) return (this.value = NaN)
    const t = this.posSum + this.negSum
    return (this.value = t < 1.0 ? 0.0 : 100.0 * (this.posSum / t))
  }
}

/** Money flow index, 0..100: a volume-weighted RSI (above 80 overbought, below 20 oversold by convention). */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  const s = new MfiState(timeperiod)
  const n = checkInputs('mfi', ['high', high], ['low', low], ['close', close], ['volume', volume])
  const o = outArray('mfi', n, out)
  for (let i = 0; i < n; i++) o[i] = s.step(high[i]!, low[i]!, close[i]!, volume[i]!)
  return o
}

/** A bar for the volume-based streaming twins. */
export interface HlcvBar {
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
}

/** Streaming twin of {@link mfi}. */
export class Mfi extends Stepper<MfiState, HlcvBar, number> {
  constructor(timeperiod = 14) {
    new MfiState(timeperiod)
    super(
      () => new MfiState(timeperiod),
      timeperiod,
      (s, b) => s.step(b.high, b.low, b.close, b.volume),
      (s) => s.value,
    )
  }
}

/** Registry entry of MFI. */
export const mfiDef: IndicatorDef = defineIndicator({
  name: 'mfi',
  description: 'Money Flow Index',
  inputs: ['high', 'low', 'close', 'volume'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p!,
  make: ([p]) => new MfiState(p!),
  feed: (s, b) => s.step(b.high, b.low, b.close, b.volume),
  read: (s) => [s.value],
  compute: ([high, low, close, volume], [p]) => [mfi(high, low, close, volume, p)],
})
