/**
 * Chaikin accumulation/distribution (TA-Lib semantics). AD adds, each bar, the close location value
 * ((C−L) − (H−C))/(H−L) times the volume; a bar with H−L ≤ 0 adds nothing (so does a zero volume). Lookback 0.
 * ADOSC = EMA(AD, fast) − EMA(AD, slow), where, unlike TA-Lib's EMA function, both EMAs are seeded with the
 * first AD value (TA-Lib's ADOSC does this), lookback = max(fast, slow) − 1. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import type { HlcvBar } from './mfi.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of AD and ADOSC. */
export class AdState {
  n = 0
  ad = 0
  fast = NaN
  slow = NaN
  osc = NaN
  private readonly fastK: number
  private readonly slowK: number
  readonly lookback: number

  constructor(fastPeriod = 3, slowPeriod = 10) {
    intParam('adosc', 'fastperiod', fastPeriod, 2)
    intParam('adosc', 'slowperiod', slowPeriod, 2)
    this.fastK = 2.0 / (fastPeriod + 1)
    this.slowK = 2.0 / (slowPeriod + 1)
    this.lookback = Math.max(fastPeriod, slowPeriod) - 1
  }

  /** Feeds one bar; `ad` and (after the lookback) `osc` hold the outputs. */
  step(h: number, l: number, c: number, v: number): void {
    const r = h - l
    if (r > 0.0) this.ad += ((c - l - (h - c)) / r) * v
    const n = this.n++
    if (n === 0) {
      this.fast = this.ad
      this.slow = this.ad
    } else {
      this.fast = this.fastK * this.ad + (1.0 - this.fastK) * this.fast
      this.slow = this.slowK * this.ad + (1.0 - this.slowK) * this.slow
    }
    this.osc = n >= this.lookback ? this.fast - this.slow : NaN
  }
}

/** Accumulation/distribution line: rises when closes sit near the highs on volume. */
export function ad(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  out?: Float64Array,
): Float64Array {
  const n = checkInputs('ad', ['high', high], ['low', low], ['close', close], ['volume', volume])
  const o = outArray('ad', n, out)
  // AdState.step's recurrence in locals (the streaming twin runs the state; the tests hold them equal)
  let acc = 0
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    const r = h - l
    if (r > 0.0) acc += ((c - l - (h - c)) / r) * volume[i]!
    o[i] = acc
  }
  return o
}

/** Chaikin A/D oscillator: momentum of the A/D line (fast EMA − slow EMA). */
export function adosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fastperiod = 3,
  slowperiod = 10,
  out?: Float64Array,
): Float64Array {
  const s = new AdState(fastperiod, slowperiod)
  const n = checkInputs('adosc', ['high', high], ['low', low], ['close', close], ['volume', volume])
  const o = outArray('adosc', n, out)
  // AdState.step's recurrence in locals, same arithmetic
  const fastK = 2.0 / (fastperiod + 1)
  const slowK = 2.0 / (slowperiod + 1)
  const lb = s.lookback
  let acc = 0
  let fast = NaN
  let slow = NaN
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    const r = h - l
    if (r > 0.0) acc += ((c - l - (h - c)) / r) * volume[i]!
    if (i === 0) {
      fast = acc
      slow = acc
    } else {
      fast = fastK * acc + (1.0 - fastK) * fast
      slow = slowK * acc + (1.0 - slowK) * slow
    }
    o[i] = i >= lb ? fast - slow : NaN
  }
  return o
}

/** Streaming twin of {@link ad} and {@link adosc}: value is [ad, adosc]. */
export class Ad extends Stepper<AdState, HlcvBar, [number, number]> {
  constructor(fastperiod = 3, slowperiod = 10) {
    const s = new AdState(fastperiod, slowperiod)
    super(
      () => new AdState(fastperiod, slowperiod),
      s.lookback,
      (st, b) => st.step(b.high, b.low, b.close, b.volume),
      (st) => [st.ad, st.osc],
    )
  }
}

/** Registry entry of AD. */
export const adDef: IndicatorDef = defineIndicator({
  name: 'ad',
  description: 'Chaikin A/D Line',
  inputs: ['high', 'low', 'close', 'volume'],
  params: [],
  outputs: ['real'],
  lookback: () => 0,
  make: () => new AdState(),
  feed: (s, b) => s.step(b.high, b.low, b.close, b.volume),
  read: (s) => [s.ad],
  compute: ([high, low, close, volume]) => [ad(high, low, close, volume)],
})

/** Registry entry of ADOSC. */
export const adoscDef: IndicatorDef = defineIndicator({
  name: 'adosc',
  description: 'Chaikin A/D Oscillator',
  inputs: ['high', 'low', 'close', 'volume'],
  params: [pInt('fastperiod', 3, 2), pInt('slowperiod', 10, 2)],
  outputs: ['real'],
  lookback: ([f, s]) => Math.max(f!, s!) - 1,
  make: ([f, s]) => new AdState(f, s),
  feed: (s, b) => s.step(b.high, b.low, b.close, b.volume),
  read: (s) => [s.osc],
  compute: ([high, low, close, volume], [f, s]) => [adosc(high, low, close, volume, f, s)],
})
