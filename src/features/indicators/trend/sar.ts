/**
 * Parabolic SAR (TA-Lib semantics) and TA-Lib's extended SAREXT. Lookback 1. The first direction is long
 * unless bar 1 has a −DM (its low fell further than its high rose), starting from the prior bar's low (long)
 * or high (short), with the extreme point at bar 1's high or low. Each bar the stop moves toward the extreme by
 * af·(ep − sar), af grows by the acceleration at each new extreme up to the maximum, and the stop never enters
 * the last two bars' range; a bar that crosses the stop reverses it to the extreme point.
 * SAREXT adds a start value (0 auto, > 0 long from that price, < 0 short from |value|), an offset applied to
 * the stop on reversal, separate long/short factors, and outputs short stops as negative numbers.
 * NaN in the input makes comparisons false, so the state carries on without it (no exception).
 */
import type { IndicatorDef } from '../types.ts'
import { checkInputs, outArray, pReal, realParam } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** SAREXT parameters in TA-Lib's order. */
export interface SarExtParams {
  startvalue: number
  offsetonreverse: number
  accelerationinitlong: number
  accelerationlong: number
  accelerationmaxlong: number
  accelerationinitshort: number
  accelerationshort: number
  accelerationmaxshort: number
}

/** Recurrence of SAR / SAREXT. */
export class SarState {
  n = 0
  isLong = true
  afLong: number
  afShort: number
  ep = NaN
  sar = NaN
  lastHigh = NaN
  lastLow = NaN
  value = NaN
  private readonly start: number
  private readonly offset: number
  private readonly initLong: number
  private readonly accLong: number
  private readonly maxLong: number
  private readonly initShort: number
  private readonly accShort: number
  private readonly maxShort: number

  constructor(
    p: SarExtParams,
    readonly signed: boolean,
  ) {
    this.start = p.startvalue
    this.offset = p.offsetonreverse
    this.maxLong = p.accelerationmaxlong
    this.maxShort = p.accelerationmaxshort
    this.initLong = Math.min(p.accelerationinitlong, this.maxLong)
    this.accLong = Math.min(p.accelerationlong, this.maxLong)
    this.initShort = Math.min(p.accelerationinitshort, this.maxShort)
    this.accShort = Math.min(p.accelerationshort, this.maxShort)
    this.afLong = this.initLong
    this.afShort = this.initShort
  }

  /** Feeds one bar; NaN at the first bar. */
  step(h: number, l: number): number {
    const n = this.n++
    if (n === 0) {
      this.lastHigh = h
      this.lastLow = l
      return (this.value = NaN)
    }
    let prevHigh = this.lastHigh
    let prevLow = this.lastLow
    if (n === 1) {
      if (this.start === 0) {
        const diffP = h - prevHigh
        const diffM = prevLow - l
        this.isLong = !(diffM > 0 && diffP < diffM)
        this.ep = this.isLong ? h : l
        this.sar = this.isLong ? prevLow : prevHigh
      } else {
        this.isLong = this.start > 0
        this.ep = this.isLong ? h : l
        this.sar = Math.abs(this.start)
      }
      prevHigh = h
      prevLow = l
    }
    this.lastHigh = h
    this.lastLow = l
    let sar = this.sar
    let out: number
    if (this.isLong) {
      if (l <= sar) {
        this.isLong = false
        sar = this.ep
        if (sar < prevHigh) sar = prevHigh
        if (sar < h) sar = h
        if (this.offset !== 0.0) sar += sar * this.offset
        out = this.signed ? -sar : sar
        this.afShort = this.initShort
        this.ep = l
        sar = sar + this.afShort * (this.ep - sar)
        if (sar < prevHigh) sar = prevHigh
        if (sar < h) sar = h
      } else {
        out = sar
        if (h > this.ep) {
          this.ep = h
          this.afLong += this.accLong
          if (this.afLong > this.maxLong) this.afLong = this.maxLong
        }
        sar = sar + this.afLong * (this.ep - sar)
        if (sar > prevLow) sar = prevLow
        if (sar > l) sar = l
      }
    } else if (h >= sar) {
      this.isLong = true
      sar = this.ep
      if (sar > prevLow) sar = prevLow
      if (sar > l) sar = l
      if (this.offset !== 0.0) sar -= sar * this.offset
      out = sar
      this.afLong = this.initLong
      this.ep = h
      sar = sar + this.afLong * (this.ep - sar)
      if (sar > prevLow) sar = prevLow
      if (sar > l) sar = l
    } else {
      out = this.signed ? -sar : sar
      if (l < this.ep) {
        this.ep = l
        this.afShort += this.accShort
        if (this.afShort > this.maxShort) this.afShort = this.maxShort
      }
      sar = sar + this.afShort * (this.ep - sar)
      if (sar < prevHigh) sar = prevHigh
      if (sar < h) sar = h
    }
    this.sar = sar
    return (this.value = out)
  }
}

function sarParams(acceleration: number, maximum: number): SarExtParams {
  realParam('sar', 'acceleration', acceleration, 0)
  realParam('sar', 'maximum', maximum, 0)
  const a = Math.min(acceleration, maximum)
  return {
    startvalue: 0,
    offsetonreverse: 0,
    accelerationinitlong: a,
    accelerationlong: a,
    accelerationmaxlong: maximum,
    accelerationinitshort: a,
    accelerationshort: a,
    accelerationmaxshort: maximum,
  }
}

const EXT_DEFAULTS: SarExtParams = {
  startvalue: 0,
  offsetonreverse: 0,
  accelerationinitlong: 0.02,
  accelerationlong: 0.02,
  accelerationmaxlong: 0.2,
  accelerationinitshort: 0.02,
  accelerationshort: 0.02,
  accelerationmaxshort: 0.2,
}
const EXT_KEYS = Object.keys(EXT_DEFAULTS) as (keyof SarExtParams)[]

function extParams(p: Partial<SarExtParams>): SarExtParams {
  const full = { ...EXT_DEFAULTS, ...p }
  for (const k of EXT_KEYS) realParam('sarext', k, full[k], k === 'startvalue' ? -3e37 : 0)
  return full
}

function run(where: string, high: Float64Array, low: Float64Array, s: SarState, out?: Float64Array): Float64Array {
  const n = checkInputs(where, ['high', high], ['low', low])
  const o = outArray(where, n, out)
  for (let i = 0; i < n; i++) o[i] = s.step(high[i]!, low[i]!)
  return o
}

/** Parabolic SAR: a trailing stop below price in an uptrend, above it in a downtrend. */
export function sar(
  high: Float64Array,
  low: Float64Array,
  acceleration = 0.02,
  maximum = 0.2,
  out?: Float64Array,
): Float64Array {
  return run('sar', high, low, new SarState(sarParams(acceleration, maximum), false), out)
}

/** TA-Lib's extended SAR; short stops are negative. */
export function sarext(
  high: Float64Array,
  low: Float64Array,
  params: Partial<SarExtParams> = {},
  out?: Float64Array,
): Float64Array {
  return run('sarext', high, low, new SarState(extParams(params), true), out)
}

/** Streaming twin of {@link sar} (and of {@link sarext} when `ext` is given). */
export class Sar extends Stepper<SarState, { high: number; low: number }, number> {
  constructor(acceleration = 0.02, maximum = 0.2, ext?: Partial<SarExtParams>) {
    const p = ext ? extParams(ext) : sarParams(acceleration, maximum)
    super(
      () => new SarState(p, ext !== undefined),
      1,
      (s, b) => s.step(b.high, b.low),
      (s) => s.value,
    )
  }
}

/** Registry entry of SAR. */
export const sarDef: IndicatorDef = defineIndicator({
  name: 'sar',
  description: 'Parabolic SAR',
  inputs: ['high', 'low'],
  params: [pReal('acceleration', 0.02, 0, 3e37), pReal('maximum', 0.2, 0, 3e37)],
  outputs: ['real'],
  lookback: () => 1,
  make: ([a, m]) => new SarState(sarParams(a!, m!), false),
  feed: (s, b) => s.step(b.high, b.low),
  read: (s) => [s.value],
  compute: ([high, low], [a, m]) => [sar(high, low, a, m)],
})

function toExt(p: readonly number[]): SarExtParams {
  const o = {} as SarExtParams
  EXT_KEYS.forEach((k, i) => (o[k] = p[i]!))
  return extParams(o)
}

/** Registry entry of SAREXT. */
export const sarextDef: IndicatorDef = defineIndicator({
  name: 'sarext',
  description: 'Parabolic SAR - Extended',
  inputs: ['high', 'low'],
  params: EXT_KEYS.map((k) =>
    k === 'startvalue' ? { name: k, default: 0, integer: false } : pReal(k, EXT_DEFAULTS[k], 0, 3e37),
  ),
  outputs: ['real'],
  lookback: () => 1,
  make: (p) => new SarState(toExt(p), true),
  feed: (s, b) => s.step(b.high, b.low),
  read: (s) => [s.value],
  compute: ([high, low], p) => [sarext(high, low, toExt(p))],
})
