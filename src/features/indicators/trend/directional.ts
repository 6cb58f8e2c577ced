/**
 * Wilder's directional movement family, exactly as TA-Lib computes it (unstable period 0):
 * +DM/−DM (PLUS_DM, MINUS_DM: Wilder sums, first value = plain sum of the first n−1 moves, lookback n−1),
 * +DI/−DI = 100·DM/TR (lookback n), DX = 100·|+DI − −DI|/(+DI + −DI) (lookback n), ADX = Wilder average of DX
 * seeded with the mean of the first n DX values (lookback 2n−1), ADXR = (ADX + ADX n−1 bars ago)/2
 * (lookback 3n−2). A move counts as +DM when up > down and up > 0, as −DM when down > up and down > 0.
 * Division by a smoothed TR within 1e-14 of zero: DI gives 0, DX repeats its last value (0 at first), ADX
 * skips the bar. With period 1, PLUS_DM/MINUS_DM are the raw moves and PLUS_DI/MINUS_DI the raw move/TR.
 * NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { trueRange } from '../volatility/atr.ts'
import { isZero } from '../momentum/rsi.ts'
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

const KINDS = ['plus_dm', 'minus_dm', 'plus_di', 'minus_di', 'dx', 'adx', 'adxr'] as const
/** One member of the directional movement family. */
export type DirectionalKind = (typeof KINDS)[number]

const MIN_PERIOD: Record<DirectionalKind, number> = {
  plus_dm: 1,
  minus_dm: 1,
  plus_di: 1,
  minus_di: 1,
  dx: 2,
  adx: 2,
  adxr: 2,
}

/** TA-Lib lookback of a member of the family. */
export function directionalLookback(kind: DirectionalKind, p: number): number {
  switch (kind) {
    case 'plus_dm':
    case 'minus_dm':
      return p > 1 ? p - 1 : 1
    case 'plus_di':
    case 'minus_di':
      return p > 1 ? p : 1
    case 'dx':
      return p > 1 ? p : 2
    case 'adx':
      return 2 * p - 1
    case 'adxr':
      return p > 1 ? 3 * p - 2 : 3
  }
}

/** Recurrence of the whole family; `kind` picks the output. */
export class DirectionalState {
  n = 0
  prevHigh = NaN
  prevLow = NaN
  prevClose = NaN
  plusDM = 0
  minusDM = 0
  tr = 0
  dx = 0
  sumDX = 0
  adx = NaN
  value = NaN
  readonly adxRing: Ring
  private readonly kind: number

  constructor(
    readonly period: number,
    kind: DirectionalKind,
  ) {
    intParam(kind, 'timeperiod', period, MIN_PERIOD[kind])
    this.kind = KINDS.indexOf(kind)
    this.adxRing = new Ring(kind === 'adxr' ? period : 1)
  }

  /** Feeds one bar; returns the chosen output, NaN inside the lookback. */
  step(h: number, l: number, c: number): number {
    const n = this.n++
    const p = this.period
    const k = this.kind
    if (n === 0) {
      this.prevHigh = h
      this.prevLow = l
      this.prevClose = c
      return (this.value = NaN)
    }
    const diffP = h - this.prevHigh
    const diffM = this.prevLow - l
    this.prevHigh = h
    this.prevLow = l
    let plus = 0
    let minus = 0
    if (diffM > 0 && diffP < diffM) minus = diffM
    else if (diffP > 0 && diffP > diffM) plus = diffP
    const tr = trueRange(h, l, this.prevClose)
    this.prevClose = c
    if (p === 1) {
      // PLUS_DM/MINUS_DM/PLUS_DI/MINUS_DI with period 1: raw values (DX, ADX, ADXR need period ≥ 2)
      if (k === 0) return (this.value = plus)
      if (k === 1) return (this.value = minus)
      const dm = k === 2 ? plus : minus
      return (this.value = dm === 0 || isZero(tr) ? 0 : dm / tr)
    }
    if (n < p) {
      this.plusDM += plus
      this.minusDM += minus
      this.tr += tr
      if (k <= 1 && n === p - 1) return (this.value = k === 0 ? this.plusDM : this.minusDM)
      return (this.value = NaN)
    }
    this.plusDM = this.plusDM - this.plusDM / p + plus
    this.minusDM = this.minusDM - this.minusDM / p + minus
    this.tr = this.tr - this.tr / p + tr
    if (k === 0) return (this.value = this.plusDM)
    if (k === 1) return (this.value = this.minusDM)
    const trZero = isZero(this.tr)
    if (k === 2) return (this.value = trZero ? 0 : 100.0 * (this.plusDM / this.tr))
    if (k === 3) return (this.value = trZero ? 0 : 100.0 * (this.minusDM / this.tr))
    let dxValid = false
    let dx = 0
    if (!trZero) {
      const minusDI = 100.0 * (this.minusDM / this.tr)
      const plusDI = 100.0 * (this.plusDM / this.tr)
      const sum = minusDI + plusDI
      if (!isZero(sum)) {
        dx = 100.0 * (Math.abs(minusDI - plusDI) / sum)
        dxValid = true
      }
    }
    if (k === 4) {
      if (dxValid) this.dx = dx
      return (this.value = this.dx)
    }
    // ADX / ADXR
    if (n < 2 * p - 1) {
      if (dxValid) this.sumDX += dx
      return (this.value = NaN)
    }
    if (n === 2 * p - 1) {
      if (dxValid) this.sumDX += dx
      this.adx = this.sumDX / p
    } else if (dxValid) {
      this.adx = (this.adx * (p - 1) + dx) / p
    }
    if (k === 5) return (this.value = this.adx)
    const r = this.adxRing
    let v = NaN
    if (r.count >= p - 1) v = (this.adx + r.ago(p - 2)) / 2.0
    r.push(this.adx)
    return (this.value = v)
  }
}

function run(
  kind: DirectionalKind,
  h: Float64Array,
  l: Float64Array,
  c: Float64Array | undefined,
  period: number,
  out?: Float64Array,
): Float64Array {
  intParam(kind, 'timeperiod', period, MIN_PERIOD[kind])
  const n = c ? checkInputs(kind, ['high', h], ['low', l], ['close', c]) : checkInputs(kind, ['high', h], ['low', l])
  const o = outArray(kind, n, out)
  if (n === 0) return o
  // DirectionalState.step's recurrence in locals, same arithmetic in the same order (the streaming twin runs the
  // state; the tests hold both to TA-Lib and to each other)
  const cc = c ?? h
  const p = period
  const k = KINDS.indexOf(kind)
  const lb = directionalLookback(kind, p)
  let prevHigh = h[0]!
  let prevLow = l[0]!
  let prevClose = cc[0]!
  let plusDM = 0
  let minusDM = 0
  let trSum = 0
  let lastDx = 0
  let sumDX = 0
  let adxV = NaN
  o.fill(NaN, 0, Math.min(n, lb))
  for (let i = 1; i < n; i++) {
    const hi = h[i]!
    const lo = l[i]!
    const diffP = hi - prevHigh
    const diffM = prevLow - lo
    prevHigh = hi
    prevLow = lo
    let plus = 0
    let minus = 0
    if (diffM > 0 && diffP < diffM) minus = diffM
    else if (diffP > 0 && diffP > diffM) plus = diffP
    const tr = trueRange(hi, lo, prevClose)
    prevClose = cc[i]!
    if (p === 1) {
      if (k === 0) o[i] = plus
      else if (k === 1) o[i] = minus
      else {
        const dm = k === 2 ? plus : minus
        o[i] = dm === 0 || isZero(tr) ? 0 : dm / tr
      }
      continue
    }
    if (i < p) {
      plusDM += plus
      minusDM += minus
      trSum += tr
      if (k <= 1 && i === p - 1) o[i] = k === 0 ? plusDM : minusDM
      continue
    }
    plusDM = plusDM - plusDM / p + plus
    minusDM = minusDM - minusDM / p + minus
    trSum = trSum - trSum / p + tr
    if (k === 0) {
      o[i] = plusDM
      continue
    }
    if (k === 1) {
      o[i] = minusDM
      continue
    }
    const trZero = isZero(trSum)
    if (k === 2) {
      o[i] = trZero ? 0 : 100.0 * (plusDM / trSum)
      continue
    }
    if (k === 3) {
      o[i] = trZero ? 0 : 100.0 * (minusDM / trSum)
      continue
    }
    let dxValid = false
    let dxV = 0
    if (!trZero) {
      const minusDI = 100.0 * (minusDM / trSum)
      const plusDI = 100.0 * (plusDM / trSum)
      const sum = minusDI + plusDI
      if (!isZero(sum)) {
        dxV = 100.0 * (Math.abs(minusDI - plusDI) / sum)
        dxValid = true
      }
    }
    if (k === 4) {
      if (dxValid) lastDx = dxV
      o[i] = lastDx
      continue
    }
    if (i < 2 * p - 1) {
      if (dxValid) sumDX += dxV
      continue
    }
    if (i === 2 * p - 1) {
      if (dxValid) sumDX += dxV
      adxV = sumDX / p
    } else if (dxValid) {
      adxV = (adxV * (p - 1) + dxV) / p
    }
    o[i] = adxV // ADX; for ADXR, the ADX series the pass below averages
  }
  if (k === 6) {
    // ADXR from the ADX values just written (from index 2p−1 on), in place, newest first
    const first = 2 * p - 1
    for (let i = n - 1; i >= first; i--) o[i] = i - (p - 1) >= first ? (o[i]! + o[i - (p - 1)]!) / 2.0 : NaN
  }
  return o
}

/** +DM: Wilder-smoothed sum of upward moves. */
export function plusDm(high: Float64Array, low: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  return run('plus_dm', high, low, undefined, timeperiod, out)
}
/** −DM: Wilder-smoothed sum of downward moves. */
export function minusDm(high: Float64Array, low: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  return run('minus_dm', high, low, undefined, timeperiod, out)
}
/** +DI: share of the true range that moved up, 0..100. */
export function plusDi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run('plus_di', high, low, close, timeperiod, out)
}
/** −DI: share of the true range that moved down, 0..100. */
export function minusDi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run('minus_di', high, low, close, timeperiod, out)
}
/** DX: how one-sided the directional movement is, 0..100. */
export function dx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run('dx', high, low, close, timeperiod, out)
}
/** ADX: trend strength, 0..100 (above ~25 trending), whatever the direction. */
export function adx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run('adx', high, low, close, timeperiod, out)
}
/** ADXR: ADX averaged with its value timeperiod−1 bars earlier. */
export function adxr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run('adxr', high, low, close, timeperiod, out)
}

/** Streaming twin of the family: `new Directional('adx', 14)`; bars need high, low (and close but for DM). */
export class Directional extends Stepper<DirectionalState, { high: number; low: number; close?: number }, number> {
  constructor(kind: DirectionalKind, timeperiod = 14) {
    new DirectionalState(timeperiod, kind)
    super(
      () => new DirectionalState(timeperiod, kind),
      directionalLookback(kind, timeperiod),
      (s, b) => s.step(b.high, b.low, b.close ?? NaN),
      (s) => s.value,
    )
  }
}

const DESCRIPTIONS: Record<DirectionalKind, string> = {
  plus_dm: 'Plus Directional Movement',
  minus_dm: 'Minus Directional Movement',
  plus_di: 'Plus Directional Indicator',
  minus_di: 'Minus Directional Indicator',
  dx: 'Directional Movement Index',
  adx: 'Average Directional Movement Index',
  adxr: 'Average Directional Movement Index Rating',
}

function directionalDef(kind: DirectionalKind): IndicatorDef {
  const dm = kind === 'plus_dm' || kind === 'minus_dm'
  return defineIndicator({
    name: kind,
    description: DESCRIPTIONS[kind],
    inputs: dm ? ['high', 'low'] : ['high', 'low', 'close'],
    params: [pInt('timeperiod', 14, MIN_PERIOD[kind])],
    outputs: ['real'],
    lookback: ([p]) => directionalLookback(kind, p!),
    make: ([p]) => new DirectionalState(p!, kind),
    feed: (s, b) => s.step(b.high, b.low, b.close),
    read: (s) => [s.value],
    compute: ([high, low, close], [p]) => [run(kind, high, low, dm ? undefined : close, p)],
  })
}

/** Registry entry of PLUS_DM. */
export const plusDmDef = directionalDef('plus_dm')
/** Registry entry of MINUS_DM. */
export const minusDmDef = directionalDef('minus_dm')
/** Registry entry of PLUS_DI. */
export const plusDiDef = directionalDef('plus_di')
/** Registry entry of MINUS_DI. */
export const minusDiDef = directionalDef('minus_di')
/** Registry entry of DX. */
export const dxDef = directionalDef('dx')
/** Registry entry of ADX. */
export const adxDef = directionalDef('adx')
/** Registry entry of ADXR. */
export const adxrDef = directionalDef('adxr')
