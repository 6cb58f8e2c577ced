/**
 * Keltner channels, Kestrel's convention: middleband = EMA(typical price, timeperiod) with TA-Lib's EMA (seeded
 * with the SMA of the first values), upperband/lowerband = middle ± nbatr·ATR(atrperiod) with TA-Lib's Wilder
 * ATR. Typical price = (H+L+C)/3 follows Keltner's original use of the typical price; the band width is
 * Raschke's ATR version (defaults 20, 2, 10 as in StockCharts and trading-signals, which use the close instead
 * of the typical price for the middle line). Lookback = max(timeperiod − 1, atrperiod). NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { AtrState, atr, type HlcBar } from './atr.ts'
import { Ema, ema } from '../average/ema.ts'
import { typprice } from '../price/price.ts'
import { checkInputs, intParam, outArray, pInt, pReal, realParam } from '../checks.ts'
import { defineIndicator, Stepper, StreamSlot } from '../define.ts'

function check(p: number, k: number, atrP: number): void {
  intParam('keltner', 'timeperiod', p, 1)
  realParam('keltner', 'nbatr', k, 0)
  intParam('keltner', 'atrperiod', atrP, 1)
}

/** Lookback of the Keltner channel. */
export function keltnerLookback(p: number, atrP: number): number {
  return Math.max(p - 1, atrP)
}

/** Recurrence of the Keltner channel: an EMA of the typical price and a Wilder ATR. */
export class KeltnerState {
  readonly mid: StreamSlot
  readonly atr: AtrState
  upper = NaN
  middle = NaN
  lower = NaN

  constructor(
    p: number,
    readonly k: number,
    atrP: number,
  ) {
    check(p, k, atrP)
    this.mid = new StreamSlot(new Ema(p))
    this.atr = new AtrState(atrP, false)
  }

  /** Feeds one bar; outputs in `upper`, `middle`, `lower`. */
  step(h: number, l: number, c: number): void {
    const m = this.mid.feed((h + l + c) / 3.0)
    const a = this.atr.step(h, l, c)
    this.middle = m
    this.upper = m + this.k * a
    this.lower = m - this.k * a
  }
}

/** Keltner channel: [upperband, middleband, lowerband]. */
export function keltner(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 20,
  nbatr = 2,
  atrperiod = 10,
): [Float64Array, Float64Array, Float64Array] {
  check(timeperiod, nbatr, atrperiod)
  const n = checkInputs('keltner', ['high', high], ['low', low], ['close', close])
  const mid = ema(typprice(high, low, close), timeperiod)
  const a = atr(high, low, close, atrperiod)
  const u = outArray('keltner', n)
  const d = outArray('keltner', n)
  const lb = Math.min(n, keltnerLookback(timeperiod, atrperiod))
  for (let i = 0; i < n; i++) {
    const w = nbatr * a[i]!
    u[i] = mid[i]! + w
    d[i] = mid[i]! - w
  }
  u.fill(NaN, 0, lb)
  mid.fill(NaN, 0, lb)
  d.fill(NaN, 0, lb)
  return [u, mid, d]
}

/** Streaming twin of {@link keltner}: value is [upper, middle, lower]. */
export class Keltner extends Stepper<KeltnerState, HlcBar, [number, number, number]> {
  constructor(timeperiod = 20, nbatr = 2, atrperiod = 10) {
    check(timeperiod, nbatr, atrperiod)
    super(
      () => new KeltnerState(timeperiod, nbatr, atrperiod),
      keltnerLookback(timeperiod, atrperiod),
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => [s.upper, s.middle, s.lower],
    )
  }
}

/** Registry entry of the Keltner channel. */
export const keltnerDef: IndicatorDef = defineIndicator({
  name: 'keltner',
  description: 'Keltner channels: EMA of typical price ± multiple of ATR',
  inputs: ['high', 'low', 'close'],
  params: [pInt('timeperiod', 20, 1), pReal('nbatr', 2, 0, 3e37), pInt('atrperiod', 10, 1)],
  outputs: ['upperband', 'middleband', 'lowerband'],
  lookback: ([p, , a]) => keltnerLookback(p!, a!),
  make: ([p, k, a]) => new KeltnerState(p!, k!, a!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.upper, s.middle, s.lower],
  compute: ([high, low, close], [p, k, a]) => keltner(high, low, close, p, k, a),
})
