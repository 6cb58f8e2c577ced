/**
 * Aroon (TA-Lib semantics): over the last timeperiod+1 bars, aroonup = 100·(n − bars since the highest high)/n
 * and aroondown likewise with the lowest low; of equal extremes the most recent counts. AROONOSC = aroonup −
 * aroondown. Lookback = timeperiod. NaN comparisons are false, so a NaN never becomes the extreme.
 */
import type { IndicatorDef } from '../types.ts'
import { WindowExtreme, extremeSeries } from '../statistic/extreme.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of AROON and AROONOSC. */
export class AroonState {
  readonly hi: WindowExtreme
  readonly lo: WindowExtreme
  down = NaN
  up = NaN
  osc = NaN
  private readonly factor: number

  constructor(
    readonly period: number,
    name = 'aroon',
  ) {
    intParam(name, 'timeperiod', period, 2)
    this.hi = new WindowExtreme(period + 1, true, true)
    this.lo = new WindowExtreme(period + 1, false, true)
    this.factor = 100.0 / period
  }

  /** Feeds one bar; outputs in `down`, `up`, `osc`. */
  step(h: number, l: number): void {
    const a = this.hi.push(h)
    const b = this.lo.push(l)
    if (!a || !b) return
    const today = this.hi.ring.count - 1
    const p = this.period
    this.up = this.factor * (p - (today - this.hi.idx))
    this.down = this.factor * (p - (today - this.lo.idx))
    this.osc = this.factor * (this.hi.idx - this.lo.idx)
  }
}

/** Indices of the latest highest high and lowest low over timeperiod+1 bars (TA-Lib's tracking). */
function extremeIndices(high: Float64Array, low: Float64Array, p: number): [Float64Array, Float64Array] {
  const n = high.length
  const tmp = new Float64Array(n)
  const hiIdx = new Float64Array(n)
  const loIdx = new Float64Array(n)
  extremeSeries(high, p + 1, true, true, tmp, hiIdx)
  extremeSeries(low, p + 1, false, true, tmp, loIdx)
  return [hiIdx, loIdx]
}

/** Aroon: [aroondown, aroonup], each 0..100; 100 means the extreme is the current bar. */
export function aroon(
  high: Float64Array,
  low: Float64Array,
  timeperiod = 14,
  outDown?: Float64Array,
  outUp?: Float64Array,
): [Float64Array, Float64Array] {
  intParam('aroon', 'timeperiod', timeperiod, 2)
  const n = checkInputs('aroon', ['high', high], ['low', low])
  const d = outArray('aroon', n, outDown)
  const u = outArray('aroon', n, outUp)
  const [hiIdx, loIdx] = extremeIndices(high, low, timeperiod)
  const factor = 100.0 / timeperiod
  for (let t = 0; t < n; t++) {
    u[t] = factor * (timeperiod - (t - hiIdx[t]!))
    d[t] = factor * (timeperiod - (t - loIdx[t]!))
  }
  return [d, u]
}

/** Aroon oscillator, −100..100: positive when the last high is more recent than the last low. */
export function aroonosc(high: Float64Array, low: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  intParam('aroonosc', 'timeperiod', timeperiod, 2)
  const n = checkInputs('aroonosc', ['high', high], ['low', low])
  const o = outArray('aroonosc', n, out)
  const [hiIdx, loIdx] = extremeIndices(high, low, timeperiod)
  const factor = 100.0 / timeperiod
  for (let t = 0; t < n; t++) o[t] = factor * (hiIdx[t]! - loIdx[t]!)
  return o
}

/** Streaming twin of {@link aroon}: value is [aroondown, aroonup, aroonosc]. */
export class Aroon extends Stepper<AroonState, { high: number; low: number }, [number, number, number]> {
  constructor(timeperiod = 14) {
    new AroonState(timeperiod)
    super(
      () => new AroonState(timeperiod),
      timeperiod,
      (s, b) => s.step(b.high, b.low),
      (s) => [s.down, s.up, s.osc],
    )
  }
}

/** Registry entry of AROON. */
export const aroonDef: IndicatorDef = defineIndicator({
  name: 'aroon',
  description: 'Aroon',
  inputs: ['high', 'low'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['aroondown', 'aroonup'],
  lookback: ([p]) => p!,
  make: ([p]) => new AroonState(p!),
  feed: (s, b) => s.step(b.high, b.low),
  read: (s) => [s.down, s.up],
  compute: ([high, low], [p]) => aroon(high, low, p),
})

/** Registry entry of AROONOSC. */
export const aroonoscDef: IndicatorDef = defineIndicator({
  name: 'aroonosc',
  description: 'Aroon Oscillator',
  inputs: ['high', 'low'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p!,
  make: ([p]) => new AroonState(p!, 'aroonosc'),
  feed: (s, b) => s.step(b.high, b.low),
  read: (s) => [s.osc],
  compute: ([high, low], [p]) => [aroonosc(high, low, p)],
})
