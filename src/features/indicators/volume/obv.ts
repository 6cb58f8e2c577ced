/**
 * OBV, on-balance volume (TA-Lib semantics): starts at the first bar's volume, then adds the volume of each bar
 * that closed higher than the previous close and subtracts it when lower (unchanged: no change). Lookback 0.
 * TA-Lib's input `real` is the close. A NaN close adds nothing that bar and the next (comparisons are false);
 * a NaN volume on an up or down bar poisons the sum from then on.
 */
import type { IndicatorDef } from '../types.ts'
import { checkInputs, outArray } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of OBV. */
export class ObvState {
  n = 0
  prev = NaN
  value = NaN

  /** Feeds one bar's close and volume. */
  step(c: number, v: number): number {
    if (this.n++ === 0) this.value = v
    else if (c > this.prev) this.value += v
    else if (c < this.prev) this.value -= v
    this.prev = c
    return this.value
  }
}

/** On-balance volume: a running total of volume signed by the close's direction. */
export function obv(close: Float64Array, volume: Float64Array, out?: Float64Array): Float64Array {
  const n = checkInputs('obv', ['close', close], ['volume', volume])
  const o = outArray('obv', n, out)
  const s = new ObvState()
  for (let i = 0; i < n; i++) o[i] = s.step(close[i]!, volume[i]!)
  return o
}

/** Streaming twin of {@link obv}. */
export class Obv extends Stepper<ObvState, { close: number; volume: number }, number> {
  constructor() {
    super(
      () => new ObvState(),
      0,
      (s, b) => s.step(b.close, b.volume),
      (s) => s.value,
    )
  }
}

/** Registry entry of OBV. */
export const obvDef: IndicatorDef = defineIndicator({
  name: 'obv',
  description: 'On Balance Volume',
  inputs: ['close', 'volume'],
  params: [],
  outputs: ['real'],
  lookback: () => 0,
  make: () => new ObvState(),
  feed: (s, b) => s.step(b.close, b.volume),
  read: (s) => [s.value],
  compute: ([close, volume]) => [obv(close, volume)],
})
