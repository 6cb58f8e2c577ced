/**
 * CMO, Chande momentum oscillator: 100·(avg gain − avg loss)/(avg gain + avg loss), −100..100. TA-Lib
 * computes the averages exactly like RSI (SMA seed, then Wilder smoothing), so it shares {@link RsiState}.
 */
import type { BarInput, IndicatorDef } from '../types.ts'
import { RsiState } from './rsi.ts'
import { Stepper, checkInputs, checkInt } from '../stepper.ts'
import { outArray } from '../util.ts'

/** Chande momentum oscillator (TA-Lib semantics), NaN for the first `timeperiod` bars. */
export function cmo(values: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  checkInt(timeperiod, 'cmo(timeperiod)', 2)
  const n = checkInputs('cmo', ['close', values])
  const o = outArray('cmo', n, out)
  const s = new RsiState(timeperiod, true)
  for (let i = 0; i < n; i++) o[i] = s.step(values[i]!)
  return o
}

/** Streaming twin of {@link cmo}. */
export class Cmo extends Stepper<RsiState, number, number> {
  constructor(timeperiod = 14) {
    checkInt(timeperiod, 'cmo(timeperiod)', 2)
    super(
      () => new RsiState(timeperiod, true),
      timeperiod,
      (s, x) => s.step(x),
      (s) => s.value,
    )
  }
}

/** Registry entry of CMO. */
export const cmoDef: IndicatorDef = {
  name: 'cmo',
  description: 'Chande Momentum Oscillator',
  inputs: ['close'],
  params: [{ name: 'timeperiod', default: 14, min: 2, max: 100000, integer: true }],
  outputs: ['real'],
  lookback: ([p = 14]) => p,
  compute: (inp, [p = 14]) => [cmo(inp.close!, p)],
  stream: ([p = 14]) => {
    checkInt(p, 'cmo(timeperiod)', 2)
    return new Stepper(
      () => new RsiState(p, true),
      p,
      (s, b: BarInput) => s.step(b.close),
      (s) => [s.value],
    )
  },
}
