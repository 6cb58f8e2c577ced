/**
 * RSI (Wilder's relative strength index) and the shared gain/loss recurrence that CMO uses too.
 * TA-Lib semantics: the first average gain and loss are simple means of the first `period` changes, then
 * Wilder smoothing (unstable period 0); output 0 when the average gain plus loss is within 1e-14 of zero.
 * NaN in the input propagates through the averages from that bar on (as in TA-Lib's C).
 */
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { Stepper, defineIndicator } from '../define.ts'

/** TA-Lib's TA_IS_ZERO: |v| < 1e-14. NaN is not zero. */
export function isZero(v: number): boolean {
  return -1e-14 < v && v < 1e-14
}

/** Recurrence of RSI (and of CMO when `cmo` is true). */
export class RsiState {
  n = 0
  prev = NaN
  gain = 0
  loss = 0
  value = NaN

  constructor(
    readonly period: number,
    readonly cmo = false,
  ) {}

  /** Feeds one value; returns the oscillator, NaN inside the lookback (`period` values). */
  step(x: number): number {
    const p = this.period
    const n = this.n++
    if (n === 0) {
      this.prev = x
      return (this.value = NaN)
    }
    const d = x - this.prev
    this.prev = x
    if (n <= p) {
      if (d < 0) this.loss -= d
      else this.gain += d
      if (n < p) return (this.value = NaN)
      this.loss /= p
      this.gain /= p
    } else {
      this.loss *= p - 1
      this.gain *= p - 1
      if (d < 0) this.loss -= d
      else this.gain += d
      this.loss /= p
      this.gain /= p
    }
    const t = this.gain + this.loss
    if (isZero(t)) return (this.value = 0)
    return (this.value = this.cmo ? 100 * ((this.gain - this.loss) / t) : 100 * (this.gain / t))
  }
}

/** Relative strength index, 0..100: above 70 overbought, below 30 oversold by convention. */
export function rsi(values: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  intParam('rsi', 'timeperiod', timeperiod, 2)
  const n = checkInputs('rsi', ['close', values])
  const o = outArray('rsi', n, out)
  const s = new RsiState(timeperiod)
  for (let i = 0; i < n; i++) o[i] = s.step(values[i]!)
  return o
}

/** Streaming twin of {@link rsi}. */
export class Rsi extends Stepper<RsiState, number, number> {
  constructor(timeperiod = 14) {
    intParam('rsi', 'timeperiod', timeperiod, 2)
    super(
      () => new RsiState(timeperiod),
      timeperiod,
      (s, x) => s.step(x),
      (s) => s.value,
    )
  }
}

/** Registry entry of RSI. */
export const rsiDef = defineIndicator({
  name: 'rsi',
  description: 'Relative Strength Index (Wilder)',
  inputs: ['close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p,
  compute: ([close], [p]) => [rsi(close, p)],
  make: ([p]) => new RsiState(p),
  feed: (s, b) => s.step(b.close),
  read: (s) => [s.value],
})
