/**
 * True range and Wilder's average true range (TA-Lib semantics).
 * TRANGE = max(H−L, |H−C₋₁|, |L−C₋₁|), lookback 1. ATR: the first value (at index `timeperiod`) is the simple
 * mean of the first `timeperiod` true ranges, then ATR = (ATR₋₁·(n−1) + TR)/n (unstable period 0); with
 * timeperiod 1 it is TRANGE. NATR = ATR/C·100 (0 when |C| < 1e-14; with timeperiod 1 TA-Lib returns plain
 * TRANGE, and so do we). NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { isZero } from '../momentum/rsi.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** max(H−L, |C₋₁−H|, |C₋₁−L|) in TA-Lib's order of comparisons. */
export function trueRange(h: number, l: number, prevClose: number): number {
  let g = h - l
  const a = Math.abs(prevClose - h)
  if (a > g) g = a
  const b = Math.abs(prevClose - l)
  if (b > g) g = b
  return g
}

/** Recurrence of TRANGE (period 0), ATR and NATR. */
export class AtrState {
  n = 0
  prevClose = NaN
  sum = 0
  atr = NaN
  value = NaN

  constructor(
    readonly period: number,
    readonly normalized: boolean,
  ) {}

  /** Feeds one bar; returns the output or NaN inside the lookback. */
  step(h: number, l: number, c: number): number {
    const n = this.n++
    if (n === 0) {
      this.prevClose = c
      return (this.value = NaN)
    }
    const tr = trueRange(h, l, this.prevClose)
    this.prevClose = c
    const p = this.period
    if (p <= 1) return (this.value = tr)
    if (n <= p) {
      this.sum += tr
      if (n < p) return (this.value = NaN)
      this.atr = this.sum / p
    } else {
      this.atr = (this.atr * (p - 1) + tr) / p
    }
    if (!this.normalized) return (this.value = this.atr)
    return (this.value = isZero(c) ? 0 : (this.atr / c) * 100.0)
  }
}

function run(
  kind: string,
  period: number,
  normalized: boolean,
  h: Float64Array,
  l: Float64Array,
  c: Float64Array,
  out?: Float64Array,
): Float64Array {
  const n = checkInputs(kind, ['high', h], ['low', l], ['close', c])
  const o = outArray(kind, n, out)
  if (n === 0) return o
  // AtrState.step's recurrence in locals, same arithmetic (the streaming twin runs the state)
  const p = period
  let prevClose = c[0]!
  let sum = 0
  let atr = NaN
  o[0] = NaN
  for (let i = 1; i < n; i++) {
    const ci = c[i]!
    const tr = trueRange(h[i]!, l[i]!, prevClose)
    prevClose = ci
    if (p <= 1) {
      o[i] = tr
      continue
    }
    if (i <= p) {
      sum += tr
      if (i < p) {
        o[i] = NaN
        continue
      }
      atr = sum / p
    } else {
      atr = (atr * (p - 1) + tr) / p
    }
    o[i] = normalized ? (isZero(ci) ? 0 : (atr / ci) * 100.0) : atr
  }
  return o
}

/** True range; NaN at index 0. */
export function trange(high: Float64Array, low: Float64Array, close: Float64Array, out?: Float64Array): Float64Array {
  return run('trange', 1, false, high, low, close, out)
}

/** Average true range (Wilder), in price units: how far the market typically moves in a bar. */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  intParam('atr', 'timeperiod', timeperiod, 1)
  return run('atr', timeperiod, false, high, low, close, out)
}

/** Normalized ATR: ATR as a percentage of the close. */
export function natr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  intParam('natr', 'timeperiod', timeperiod, 1)
  return run('natr', timeperiod, true, high, low, close, out)
}

/** A bar for the H/L/C streaming twins. */
export interface HlcBar {
  readonly high: number
  readonly low: number
  readonly close: number
}

/** Streaming twin of {@link atr} (`normalized` = NATR). */
export class Atr extends Stepper<AtrState, HlcBar, number> {
  constructor(timeperiod = 14, normalized = false) {
    intParam(normalized ? 'natr' : 'atr', 'timeperiod', timeperiod, 1)
    super(
      () => new AtrState(timeperiod, normalized),
      timeperiod,
      (s, b) => s.step(b.high, b.low, b.close),
      (s) => s.value,
    )
  }
}

function makeAtrDef(name: string, description: string, normalized: boolean): IndicatorDef {
  return defineIndicator({
    name,
    description,
    inputs: ['high', 'low', 'close'],
    params: [pInt('timeperiod', 14, 1)],
    outputs: ['real'],
    lookback: ([p]) => p!,
    make: ([p]) => new AtrState(intParam(name, 'timeperiod', p!, 1), normalized),
    feed: (s, b) => s.step(b.high, b.low, b.close),
    read: (s) => [s.value],
    compute: ([high, low, close], [p]) => [normalized ? natr(high, low, close, p) : atr(high, low, close, p)],
  })
}

/** Registry entry of ATR. */
export const atrDef = makeAtrDef('atr', 'Average True Range', false)
/** Registry entry of NATR. */
export const natrDef = makeAtrDef('natr', 'Normalized Average True Range', true)
/** Registry entry of TRANGE. */
export const trangeDef = defineIndicator({
  name: 'trange',
  description: 'True Range',
  inputs: ['high', 'low', 'close'],
  params: [],
  outputs: ['real'],
  lookback: () => 1,
  make: () => new AtrState(1, false),
  feed: (s, b) => s.step(b.high, b.low, b.close),
  read: (s) => [s.value],
  compute: ([high, low, close]) => [trange(high, low, close)],
})
