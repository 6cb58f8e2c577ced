/**
 * Stochastic oscillators (TA-Lib semantics). Fast %K = 100·(C − lowest low)/(highest high − lowest low) over
 * `fastk_period` bars, 0 when the range is exactly zero (TA-Lib's rule for a flat window).
 * STOCHF: fastk = %K, fastd = MA(fastk, fastd_period, fastd_matype).
 * STOCH: slowk = MA(%K, slowk_period, slowk_matype), slowd = MA(slowk, slowd_period, slowd_matype).
 * The moving averages are TA-Lib's MA types from ma.ts, applied to the %K series from its first value, as TA-Lib
 * does. Lookback = (fastk_period − 1) + the MA lookbacks. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { WindowExtreme, extremeSeries } from '../statistic/extreme.ts'
import { createMovingAverage, maLookback, movingAverage } from '../average/ma.ts'
import type { HlcBar } from '../volatility/atr.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper, StreamSlot } from '../define.ts'

/** Fast %K from the window extremes, exactly as TA-Lib divides: (C − L)/((H − L)/100), 0 on a zero range. */
export function fastK(highest: number, lowest: number, close: number): number {
  const diff = (highest - lowest) / 100.0
  return diff !== 0.0 ? (close - lowest) / diff : 0.0
}

/** Recurrence of STOCH (`slow` true) or STOCHF: window extremes feeding one or two moving averages. */
export class StochState {
  readonly hi: WindowExtreme
  readonly lo: WindowExtreme
  readonly maK: StreamSlot | null
  readonly maD: StreamSlot
  nK = 0
  k = NaN
  d = NaN

  constructor(
    readonly fastkPeriod: number,
    kPeriod: number,
    kType: number,
    readonly lbK: number,
    dPeriod: number,
    dType: number,
    readonly slow: boolean,
  ) {
    this.hi = new WindowExtreme(fastkPeriod, true, false)
    this.lo = new WindowExtreme(fastkPeriod, false, false)
    this.maK = slow ? new StreamSlot(createMovingAverage(kPeriod, kType)) : null
    this.maD = new StreamSlot(createMovingAverage(dPeriod, dType))
  }

  /** Feeds one bar; the outputs are in `k` and `d`. */
  step(h: number, l: number, c: number): void {
    const a = this.hi.push(h)
    const b = this.lo.push(l)
    if (!a || !b) return
    const fk = fastK(this.hi.val, this.lo.val, c)
    if (this.maK === null) {
      this.k = fk
      this.d = this.maD.feed(fk)
      return
    }
    this.k = this.maK.feed(fk)
    if (this.nK++ >= this.lbK) this.d = this.maD.feed(this.k)
  }
}

/** Fast %K of every bar (NaN for the first fastk_period − 1), written into `out`. */
export function fastKSeries(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  out: Float64Array,
): Float64Array {
  const n = high.length
  const hi = new Float64Array(n)
  extremeSeries(high, period, true, false, hi)
  extremeSeries(low, period, false, false, out)
  for (let i = period - 1; i < n; i++) out[i] = fastK(hi[i]!, out[i]!, close[i]!)
  return out
}

function checkStochf(k: number, d: number, dType: number): void {
  intParam('stochf', 'fastk_period', k, 1)
  intParam('stochf', 'fastd_period', d, 1)
  intParam('stochf', 'fastd_matype', dType, 0, 8)
}

function checkStoch(k: number, sk: number, skType: number, sd: number, sdType: number): void {
  intParam('stoch', 'fastk_period', k, 1)
  intParam('stoch', 'slowk_period', sk, 1)
  intParam('stoch', 'slowk_matype', skType, 0, 8)
  intParam('stoch', 'slowd_period', sd, 1)
  intParam('stoch', 'slowd_matype', sdType, 0, 8)
}

/** TA-Lib lookback of STOCHF. */
export function stochfLookback(k: number, d: number, dType: number): number {
  return k - 1 + maLookback(d, dType)
}

/** TA-Lib lookback of STOCH. */
export function stochLookback(k: number, sk: number, skType: number, sd: number, sdType: number): number {
  return k - 1 + maLookback(sk, skType) + maLookback(sd, sdType)
}

/** Fast stochastic: [fastk, fastd], each 0..100. */
export function stochf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastkPeriod = 5,
  fastdPeriod = 3,
  fastdMatype = 0,
  outK?: Float64Array,
  outD?: Float64Array,
): [Float64Array, Float64Array] {
  checkStochf(fastkPeriod, fastdPeriod, fastdMatype)
  const n = checkInputs('stochf', ['high', high], ['low', low], ['close', close])
  const k = fastKSeries(high, low, close, fastkPeriod, outArray('stochf', n, outK))
  const d = outArray('stochf', n, outD).fill(NaN)
  const from = fastkPeriod - 1
  if (n > from) movingAverage(k.subarray(from), fastdPeriod, fastdMatype, d.subarray(from))
  k.fill(NaN, 0, Math.min(n, stochfLookback(fastkPeriod, fastdPeriod, fastdMatype)))
  return [k, d]
}

/** Slow stochastic: [slowk, slowd], each 0..100 (above 80 overbought, below 20 oversold by convention). */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastkPeriod = 5,
  slowkPeriod = 3,
  slowkMatype = 0,
  slowdPeriod = 3,
  slowdMatype = 0,
  outK?: Float64Array,
  outD?: Float64Array,
): [Float64Array, Float64Array] {
  checkStoch(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype)
  const n = checkInputs('stoch', ['high', high], ['low', low], ['close', close])
  const fk = fastKSeries(high, low, close, fastkPeriod, new Float64Array(n))
  const k = outArray('stoch', n, outK).fill(NaN)
  const d = outArray('stoch', n, outD).fill(NaN)
  const from = fastkPeriod - 1
  if (n > from) movingAverage(fk.subarray(from), slowkPeriod, slowkMatype, k.subarray(from))
  const fromD = from + maLookback(slowkPeriod, slowkMatype)
  if (n > fromD) movingAverage(k.subarray(fromD), slowdPeriod, slowdMatype, d.subarray(fromD))
  k.fill(NaN, 0, Math.min(n, stochLookback(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype)))
  return [k, d]
}

function makeStochf(k: number, d: number, dType: number): StochState {
  checkStochf(k, d, dType)
  return new StochState(k, 1, 0, 0, d, dType, false)
}

function makeStoch(k: number, sk: number, skType: number, sd: number, sdType: number): StochState {
  checkStoch(k, sk, skType, sd, sdType)
  return new StochState(k, sk, skType, maLookback(sk, skType), sd, sdType, true)
}

/** Streaming twin of {@link stoch}: value is [slowk, slowd]. */
export class Stoch extends Stepper<StochState, HlcBar, [number, number]> {
  constructor(fastkPeriod = 5, slowkPeriod = 3, slowkMatype = 0, slowdPeriod = 3, slowdMatype = 0) {
    makeStoch(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype)
    super(
      () => makeStoch(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype),
      stochLookback(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype),
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => [s.k, s.d],
    )
  }
}

/** Streaming twin of {@link stochf}: value is [fastk, fastd]. */
export class Stochf extends Stepper<StochState, HlcBar, [number, number]> {
  constructor(fastkPeriod = 5, fastdPeriod = 3, fastdMatype = 0) {
    makeStochf(fastkPeriod, fastdPeriod, fastdMatype)
    super(
      () => makeStochf(fastkPeriod, fastdPeriod, fastdMatype),
      stochfLookback(fastkPeriod, fastdPeriod, fastdMatype),
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => [s.k, s.d],
    )
  }
}

/** Registry entry of STOCH. */
export const stochDef: IndicatorDef = defineIndicator({
  name: 'stoch',
  description: 'Stochastic',
  inputs: ['high', 'low', 'close'],
  params: [
    pInt('fastk_period', 5, 1),
    pInt('slowk_period', 3, 1),
    { name: 'slowk_matype', default: 0, min: 0, max: 8, integer: true },
    pInt('slowd_period', 3, 1),
    { name: 'slowd_matype', default: 0, min: 0, max: 8, integer: true },
  ],
  outputs: ['slowk', 'slowd'],
  lookback: ([a, b, c, d, e]) => stochLookback(a!, b!, c!, d!, e!),
  make: ([a, b, c, d, e]) => makeStoch(a!, b!, c!, d!, e!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.k, s.d],
  compute: ([high, low, close], [a, b, c, d, e]) => stoch(high, low, close, a, b, c, d, e),
})

/** Registry entry of STOCHF. */
export const stochfDef: IndicatorDef = defineIndicator({
  name: 'stochf',
  description: 'Stochastic Fast',
  inputs: ['high', 'low', 'close'],
  params: [
    pInt('fastk_period', 5, 1),
    pInt('fastd_period', 3, 1),
    { name: 'fastd_matype', default: 0, min: 0, max: 8, integer: true },
  ],
  outputs: ['fastk', 'fastd'],
  lookback: ([a, b, c]) => stochfLookback(a!, b!, c!),
  make: ([a, b, c]) => makeStochf(a!, b!, c!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.k, s.d],
  compute: ([high, low, close], [a, b, c]) => stochf(high, low, close, a, b, c),
})
