/**
 * Stochastic RSI (TA-Lib semantics): STOCHF applied to the RSI series (RSI as high, low and close), so
 * fastk = 100·(RSI − min RSI)/(max RSI − min RSI) over fastk_period RSI values (0 on a flat window) and
 * fastd = MA(fastk, fastd_period, fastd_matype). Lookback = RSI lookback + STOCHF lookback. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { RsiState, rsi } from './rsi.ts'
import { StochState, stochf, stochfLookback } from './stoch.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

function check(p: number, k: number, d: number, dType: number): void {
  intParam('stochrsi', 'timeperiod', p, 2)
  intParam('stochrsi', 'fastk_period', k, 1)
  intParam('stochrsi', 'fastd_period', d, 1)
  intParam('stochrsi', 'fastd_matype', dType, 0, 8)
}

/** TA-Lib lookback of STOCHRSI. */
export function stochrsiLookback(p: number, k: number, d: number, dType: number): number {
  return p + stochfLookback(k, d, dType)
}

/** Recurrence of STOCHRSI: an RSI feeding a fast stochastic. */
export class StochRsiState {
  readonly rsi: RsiState
  readonly stoch: StochState

  constructor(p: number, k: number, d: number, dType: number) {
    check(p, k, d, dType)
    this.rsi = new RsiState(p)
    this.stoch = new StochState(k, 1, 0, 0, d, dType, false)
  }

  /** Feeds one value; the outputs are in `stoch.k` and `stoch.d`. */
  step(x: number): void {
    const r = this.rsi.step(x)
    if (this.rsi.n > this.rsi.period) this.stoch.step(r, r, r)
  }
}

/** Stochastic RSI: [fastk, fastd], each 0..100. */
export function stochrsi(
  values: Float64Array,
  timeperiod = 14,
  fastkPeriod = 5,
  fastdPeriod = 3,
  fastdMatype = 0,
  outK?: Float64Array,
  outD?: Float64Array,
): [Float64Array, Float64Array] {
  check(timeperiod, fastkPeriod, fastdPeriod, fastdMatype)
  const n = checkInputs('stochrsi', ['close', values])
  const k = outArray('stochrsi', n, outK).fill(NaN)
  const d = outArray('stochrsi', n, outD).fill(NaN)
  if (n > timeperiod) {
    const r = rsi(values, timeperiod).subarray(timeperiod)
    stochf(r, r, r, fastkPeriod, fastdPeriod, fastdMatype, k.subarray(timeperiod), d.subarray(timeperiod))
  }
  return [k, d]
}

/** Streaming twin of {@link stochrsi}: value is [fastk, fastd]. */
export class StochRsi extends Stepper<StochRsiState, number, [number, number]> {
  constructor(timeperiod = 14, fastkPeriod = 5, fastdPeriod = 3, fastdMatype = 0) {
    check(timeperiod, fastkPeriod, fastdPeriod, fastdMatype)
    super(
      () => new StochRsiState(timeperiod, fastkPeriod, fastdPeriod, fastdMatype),
      stochrsiLookback(timeperiod, fastkPeriod, fastdPeriod, fastdMatype),
      (s, x) => s.step(x),
      (s) => [s.stoch.k, s.stoch.d],
    )
  }
}

/** Registry entry of STOCHRSI. */
export const stochrsiDef: IndicatorDef = defineIndicator({
  name: 'stochrsi',
  description: 'Stochastic Relative Strength Index',
  inputs: ['close'],
  params: [
    pInt('timeperiod', 14, 2),
    pInt('fastk_period', 5, 1),
    pInt('fastd_period', 3, 1),
    { name: 'fastd_matype', default: 0, min: 0, max: 8, integer: true },
  ],
  outputs: ['fastk', 'fastd'],
  lookback: ([a, b, c, d]) => stochrsiLookback(a!, b!, c!, d!),
  make: ([a, b, c, d]) => new StochRsiState(a!, b!, c!, d!),
  feed: (s, b) => s.step(b.close),
  read: (s) => [s.stoch.k, s.stoch.d],
  compute: ([close], [a, b, c, d]) => stochrsi(close, a, b, c, d),
})
