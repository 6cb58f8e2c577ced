/**
 * Donchian channels: upperband = highest high and lowerband = lowest low of the last `timeperiod` bars
 * (the current bar included, as TA-Lib's MAX/MIN), middleband = (upper + lower)/2. Lookback timeperiod − 1.
 * A NaN never becomes the extreme (comparisons with NaN are false) but a NaN at the start of a rescan does.
 */
import type { IndicatorDef } from '../types.ts'
import { WindowExtreme, extremeSeries } from '../statistic/extreme.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of the Donchian channel. */
export class DonchianState {
  readonly hi: WindowExtreme
  readonly lo: WindowExtreme
  upper = NaN
  middle = NaN
  lower = NaN

  constructor(readonly period: number) {
    intParam('donchian', 'timeperiod', period, 1)
    this.hi = new WindowExtreme(period, true, false)
    this.lo = new WindowExtreme(period, false, false)
  }

  /** Feeds one bar; outputs in `upper`, `middle`, `lower`. */
  step(h: number, l: number): void {
    const a = this.hi.push(h)
    const b = this.lo.push(l)
    if (!a || !b) return
    this.upper = this.hi.val
    this.lower = this.lo.val
    this.middle = (this.upper + this.lower) / 2
  }
}

/** Donchian channel: [upperband, middleband, lowerband]; a close above the upper band is a breakout. */
export function donchian(
  high: Float64Array,
  low: Float64Array,
  timeperiod = 20,
  outUpper?: Float64Array,
  outMiddle?: Float64Array,
  outLower?: Float64Array,
): [Float64Array, Float64Array, Float64Array] {
  intParam('donchian', 'timeperiod', timeperiod, 1)
  const n = checkInputs('donchian', ['high', high], ['low', low])
  const u = outArray('donchian', n, outUpper)
  const m = outArray('donchian', n, outMiddle)
  const d = outArray('donchian', n, outLower)
  extremeSeries(high, timeperiod, true, false, u)
  extremeSeries(low, timeperiod, false, false, d)
  for (let i = 0; i < n; i++) m[i] = (u[i]! + d[i]!) / 2
  return [u, m, d]
}

/** Streaming twin of {@link donchian}: value is [upper, middle, lower]. */
export class Donchian extends Stepper<DonchianState, { high: number; low: number }, [number, number, number]> {
  constructor(timeperiod = 20) {
    new DonchianState(timeperiod)
    super(
      () => new DonchianState(timeperiod),
      timeperiod - 1,
      (s, b) => s.step(b.high, b.low),
      (s) => [s.upper, s.middle, s.lower],
    )
  }
}

/** Registry entry of the Donchian channel. */
export const donchianDef: IndicatorDef = defineIndicator({
  name: 'donchian',
  description: 'Donchian channels (highest high, lowest low, their midpoint)',
  inputs: ['high', 'low'],
  params: [pInt('timeperiod', 20, 1)],
  outputs: ['upperband', 'middleband', 'lowerband'],
  lookback: ([p]) => p! - 1,
  make: ([p]) => new DonchianState(p!),
  feed: (s, b) => s.step(b.high, b.low),
  read: (s) => [s.upper, s.middle, s.lower],
  compute: ([high, low], [p]) => donchian(high, low, p),
})
