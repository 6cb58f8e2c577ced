/**
 * SuperTrend: bands at hl2 ± multiplier·ATR(timeperiod) (TA-Lib's Wilder ATR, hl2 = (H+L)/2). The upper band
 * only moves down (a new basic band replaces it when lower, or when the previous close broke above it); the
 * lower band only moves up, symmetrically. An uptrend lasts while the close stays ≥ the lower band, a
 * downtrend until the close rises above the upper band; the first bar is up only if its close is above the
 * upper band (the rule of trading-signals; TradingView starts down). Outputs: `supertrend` = the lower band
 * in an uptrend, the upper band in a downtrend; `direction` = +1 up, −1 down (TradingView's sign is the
 * opposite). Lookback = timeperiod. NaN in prices propagates through the ATR.
 */
import type { IndicatorDef } from '../types.ts'
import { AtrState, type HlcBar } from '../volatility/atr.ts'
import { checkInputs, intParam, outArray, pInt, pReal, realParam } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of SuperTrend. */
export class SuperTrendState {
  readonly atr: AtrState
  started = false
  upper = NaN
  lower = NaN
  prevClose = NaN
  up = false
  value = NaN
  direction = NaN

  constructor(
    readonly period: number,
    readonly multiplier: number,
  ) {
    intParam('supertrend', 'timeperiod', period, 1)
    realParam('supertrend', 'multiplier', multiplier, 0)
    this.atr = new AtrState(period, false)
  }

  /** Feeds one bar; outputs in `value` and `direction`. */
  step(h: number, l: number, c: number): void {
    const a = this.atr.step(h, l, c)
    if (this.atr.n <= this.period) return
    const hl2 = (h + l) / 2
    const bu = hl2 + this.multiplier * a
    const bl = hl2 - this.multiplier * a
    if (!this.started) {
      this.started = true
      this.upper = bu
      this.lower = bl
      this.up = c > bu
    } else {
      this.upper = bu < this.upper || this.prevClose > this.upper ? bu : this.upper
      this.lower = bl > this.lower || this.prevClose < this.lower ? bl : this.lower
      this.up = this.up ? c >= this.lower : c > this.upper
    }
    this.prevClose = c
    this.value = this.up ? this.lower : this.upper
    this.direction = this.up ? 1 : -1
  }
}

/** SuperTrend: [supertrend, direction]; the line is a trailing stop, the direction flips when it is crossed. */
export function supertrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 10,
  multiplier = 3,
): [Float64Array, Float64Array] {
  const s = new SuperTrendState(timeperiod, multiplier)
  const n = checkInputs('supertrend', ['high', high], ['low', low], ['close', close])
  const v = outArray('supertrend', n)
  const d = outArray('supertrend', n)
  for (let i = 0; i < n; i++) {
    s.step(high[i]!, low[i]!, close[i]!)
    v[i] = s.value
    d[i] = s.direction
  }
  return [v, d]
}

/** Streaming twin of {@link supertrend}: value is [supertrend, direction]. */
export class SuperTrend extends Stepper<SuperTrendState, HlcBar, [number, number]> {
  constructor(timeperiod = 10, multiplier = 3) {
    new SuperTrendState(timeperiod, multiplier)
    super(
      () => new SuperTrendState(timeperiod, multiplier),
      timeperiod,
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => [s.value, s.direction],
    )
  }
}

/** Registry entry of SuperTrend. */
export const supertrendDef: IndicatorDef = defineIndicator({
  name: 'supertrend',
  description: 'SuperTrend: ATR trailing bands with trend direction',
  inputs: ['high', 'low', 'close'],
  params: [pInt('timeperiod', 10, 1), pReal('multiplier', 3, 0, 3e37)],
  outputs: ['supertrend', 'direction'],
  lookback: ([p]) => p!,
  make: ([p, m]) => new SuperTrendState(p!, m!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.value, s.direction],
  compute: ([high, low, close], [p, m]) => supertrend(high, low, close, p, m),
})
