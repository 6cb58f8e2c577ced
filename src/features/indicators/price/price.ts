/**
 * Price transforms (TA-Lib, lookback 0): AVGPRICE = (O+H+L+C)/4, MEDPRICE = (H+L)/2, TYPPRICE = (H+L+C)/3,
 * WCLPRICE = (H+L+2C)/4, and BOP, balance of power = (C−O)/(H−L), 0 when H−L ≤ 1e-14. NaN propagates.
 */
import type { IndicatorDef, InputName } from '../types.ts'
import { checkInputs, outArray } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** Stateless per-bar transform; the state only holds the last output. */
class PriceState {
  value = NaN
  constructor(readonly kind: number) {}
  step(o: number, h: number, l: number, c: number): number {
    switch (this.kind) {
      case 0:
        return (this.value = (h + l + c + o) / 4)
      case 1:
        return (this.value = (h + l) / 2.0)
      case 2:
        return (this.value = (h + l + c) / 3.0)
      case 3:
        return (this.value = (h + l + c * 2.0) / 4.0)
      default: {
        const r = h - l
        return (this.value = r < 1e-14 ? 0 : (c - o) / r)
      }
    }
  }
}

const NAMES = ['avgprice', 'medprice', 'typprice', 'wclprice', 'bop'] as const
type PriceKind = (typeof NAMES)[number]

function run(
  kind: PriceKind,
  o: Float64Array | undefined,
  h: Float64Array,
  l: Float64Array,
  c: Float64Array | undefined,
  out?: Float64Array,
): Float64Array {
  const cols: [string, Float64Array | undefined][] = [
    ['high', h],
    ['low', l],
  ]
  if (kind === 'avgprice' || kind === 'bop') cols.push(['open', o])
  if (kind !== 'medprice') cols.push(['close', c])
  const n = checkInputs(kind, ...cols)
  const res = outArray(kind, n, out)
  // one straight loop per kind, with PriceState.step's arithmetic (the streaming twin's) term for term
  const oo = o ?? h
  const cc = c ?? h
  switch (kind) {
    case 'avgprice':
      for (let i = 0; i < n; i++) res[i] = (h[i]! + l[i]! + cc[i]! + oo[i]!) / 4
      break
    case 'medprice':
      for (let i = 0; i < n; i++) res[i] = (h[i]! + l[i]!) / 2.0
      break
    case 'typprice':
      for (let i = 0; i < n; i++) res[i] = (h[i]! + l[i]! + cc[i]!) / 3.0
      break
    case 'wclprice':
      for (let i = 0; i < n; i++) res[i] = (h[i]! + l[i]! + cc[i]! * 2.0) / 4.0
      break
    default:
      for (let i = 0; i < n; i++) {
        const r = h[i]! - l[i]!
        res[i] = r < 1e-14 ? 0 : (cc[i]! - oo[i]!) / r
      }
  }
  return res
}

/** Average price (O+H+L+C)/4. */
export function avgprice(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  out?: Float64Array,
): Float64Array {
  return run('avgprice', open, high, low, close, out)
}
/** Median price (H+L)/2. */
export function medprice(high: Float64Array, low: Float64Array, out?: Float64Array): Float64Array {
  return run('medprice', undefined, high, low, undefined, out)
}
/** Typical price (H+L+C)/3. */
export function typprice(high: Float64Array, low: Float64Array, close: Float64Array, out?: Float64Array): Float64Array {
  return run('typprice', undefined, high, low, close, out)
}
/** Weighted close price (H+L+2C)/4. */
export function wclprice(high: Float64Array, low: Float64Array, close: Float64Array, out?: Float64Array): Float64Array {
  return run('wclprice', undefined, high, low, close, out)
}
/** Balance of power (C−O)/(H−L): +1 a bar that opened at its low and closed at its high, −1 the reverse. */
export function bop(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  out?: Float64Array,
): Float64Array {
  return run('bop', open, high, low, close, out)
}

function priceDef(kind: PriceKind, description: string, inputs: IndicatorDef['inputs']): IndicatorDef {
  return defineIndicator({
    name: kind,
    description,
    inputs,
    params: [],
    outputs: ['real'],
    lookback: () => 0,
    make: () => new PriceState(NAMES.indexOf(kind)),
    feed: (s, b) => s.step(b.open, b.high, b.low, b.close),
    read: (s) => [s.value],
    compute: (series) => {
      const input = (name: InputName) => series[inputs.indexOf(name)]
      return [run(kind, input('open'), input('high')!, input('low')!, input('close'))]
    },
  })
}

/** Registry entry of AVGPRICE. */
export const avgpriceDef = priceDef('avgprice', 'Average Price', ['open', 'high', 'low', 'close'])
/** Registry entry of MEDPRICE. */
export const medpriceDef = priceDef('medprice', 'Median Price', ['high', 'low'])
/** Registry entry of TYPPRICE. */
export const typpriceDef = priceDef('typprice', 'Typical Price', ['high', 'low', 'close'])
/** Registry entry of WCLPRICE. */
export const wclpriceDef = priceDef('wclprice', 'Weighted Close Price', ['high', 'low', 'close'])
/** Registry entry of BOP. */
export const bopDef = priceDef('bop', 'Balance Of Power', ['open', 'high', 'low', 'close'])
