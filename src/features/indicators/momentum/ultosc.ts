/**
 * Ultimate oscillator (TA-Lib semantics): with BP = C − min(L, C₋₁) and TR the true range, over three windows
 * sorted shortest first, UO = 100·(4·ΣBP/ΣTR₁ + 2·ΣBP/ΣTR₂ + ΣBP/ΣTR₃)/7; a window whose ΣTR is within 1e-14 of
 * zero contributes 0. The three periods may be given in any order (TA-Lib sorts them). Lookback = the longest
 * period. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import type { HlcBar } from '../volatility/atr.ts'
import { isZero } from './rsi.ts'
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of ULTOSC: rings of the last terms and three pairs of running sums. */
export class UltoscState {
  readonly bp: Ring
  readonly tr: Ring
  n = 0
  prevClose = NaN
  a1 = 0
  a2 = 0
  a3 = 0
  b1 = 0
  b2 = 0
  b3 = 0
  value = NaN
  /** Periods sorted shortest first. */
  readonly p1: number
  readonly p2: number
  readonly p3: number

  constructor(t1: number, t2: number, t3: number) {
    intParam('ultosc', 'timeperiod1', t1, 1)
    intParam('ultosc', 'timeperiod2', t2, 1)
    intParam('ultosc', 'timeperiod3', t3, 1)
    const s = [t1, t2, t3].sort((x, y) => x - y)
    this.p1 = s[0]!
    this.p2 = s[1]!
    this.p3 = s[2]!
    this.bp = new Ring(this.p3)
    this.tr = new Ring(this.p3)
  }

  /** Feeds one bar; NaN inside the lookback. */
  step(h: number, l: number, c: number): number {
    const t = this.n++
    if (t === 0) {
      this.prevClose = c
      return (this.value = NaN)
    }
    const cy = this.prevClose
    this.prevClose = c
    const trueLow = Math.min(l, cy)
    const bp = c - trueLow
    let tr = h - l
    let x = Math.abs(cy - h)
    if (x > tr) tr = x
    x = Math.abs(cy - l)
    if (x > tr) tr = x
    this.bp.push(bp)
    this.tr.push(tr)
    const m = this.p3
    if (t >= m - this.p1 + 1) {
      this.a1 += bp
      this.b1 += tr
    }
    if (t >= m - this.p2 + 1) {
      this.a2 += bp
      this.b2 += tr
    }
    this.a3 += bp
    this.b3 += tr
    if (t < m) return (this.value = NaN)
    let out = 0.0
    if (!isZero(this.b1)) out += 4.0 * (this.a1 / this.b1)
    if (!isZero(this.b2)) out += 2.0 * (this.a2 / this.b2)
    if (!isZero(this.b3)) out += this.a3 / this.b3
    this.a1 -= this.bp.ago(this.p1 - 1)
    this.b1 -= this.tr.ago(this.p1 - 1)
    this.a2 -= this.bp.ago(this.p2 - 1)
    this.b2 -= this.tr.ago(this.p2 - 1)
    this.a3 -= this.bp.ago(this.p3 - 1)
    this.b3 -= this.tr.ago(this.p3 - 1)
    return (this.value = 100.0 * (out / 7.0))
  }
}

/** Ultimate oscillator, 0..100: buying pressure over three horizons, weighted 4:2:1 toward the shortest. */
export function ultosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod1 = 7,
  timeperiod2 = 14,
  timeperiod3 = 28,
  out?: Float64Array,
): Float64Array {
  const s = new UltoscState(timeperiod1, timeperiod2, timeperiod3)
  const n = checkInputs('ultosc', ['high', high], ['low', low], ['close', close])
  const o = outArray('ultosc', n, out)
  for (let i = 0; i < n; i++) o[i] = s.step(high[i]!, low[i]!, close[i]!)
  return o
}

/** Streaming twin of {@link ultosc}. */
export class Ultosc extends Stepper<UltoscState, HlcBar, number> {
  constructor(timeperiod1 = 7, timeperiod2 = 14, timeperiod3 = 28) {
    const s = new UltoscState(timeperiod1, timeperiod2, timeperiod3)
    super(
      () => new UltoscState(timeperiod1, timeperiod2, timeperiod3),
      s.p3,
      (st, b) => st.step(b.high, b.low, b.close),
      (st) => st.value,
    )
  }
}

/** Registry entry of ULTOSC. */
export const ultoscDef: IndicatorDef = defineIndicator({
  name: 'ultosc',
  description: 'Ultimate Oscillator',
  inputs: ['high', 'low', 'close'],
  params: [pInt('timeperiod1', 7, 1), pInt('timeperiod2', 14, 1), pInt('timeperiod3', 28, 1)],
  outputs: ['real'],
  lookback: ([a, b, c]) => Math.max(a!, b!, c!),
  make: ([a, b, c]) => new UltoscState(a!, b!, c!),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.value],
  compute: ([high, low, close], [a, b, c]) => [ultosc(high, low, close, a, b, c)],
})
