/**
 * CMO, Chande momentum oscillator: 100·(avg gain − avg loss)/(avg gain + avg loss), −100..100. TA-Lib
 * computes the averages exactly like RSI (SMA seed, then Wilder smoothing), so it shares {@link RsiState}.
 */
import { RsiState } from './rsi.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { Stepper, defineIndicator } from '../define.ts'

/** Chande momentum oscillator (TA-Lib semantics), NaN for the first `timeperiod` bars. */
export function cmo(values: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  intParam('cmo', 'timeperiod', timeperiod, 2)
  const n = checkInputs('cmo', ['close', values])
  const o = outArray('cmo', n, out)
  const s = new RsiState(timeperiod, true)
  for (let i = 0; i < n; i++) o[i] = s.step(values[i]!)
  return o
}

/** Streaming twin of {@link cmo}. */
export class Cmo extends Stepper<RsiState, number, number> {
  constructor(timeperiod = 14) {
    intParam('cmo', 'timeperiod', timeperiod, 2)
    super(
      () => new RsiState(timeperiod, true),
      timeperiod,
      (s, x) => s.step(x),
      (s) => s.value,
    )
  }
}

/** Registry entry of CMO. */
export const cmoDef = defineIndicator({
  name: 'cmo',
  description: 'Chande Momentum Oscillator',
  inputs: ['close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p,
  compute: ([close], [p]) => [cmo(close, p)],
  make: ([p]) => new RsiState(p, true),
  feed: (s, b) => s.step(b.close),
  read: (s) => [s.value],
})
