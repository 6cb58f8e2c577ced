/**
 * Lag-difference momentum family (TA-Lib semantics, lookback = `timeperiod`), comparing x[t] with x[t−n]:
 * MOM = x[t] − x[t−n]; ROC = (x[t]/x[t−n] − 1)·100; ROCP = (x[t] − x[t−n])/x[t−n]; ROCR = x[t]/x[t−n];
 * ROCR100 = x[t]/x[t−n]·100. As in TA-Lib, the ratio forms give 0 when x[t−n] is exactly 0. NaN propagates.
 */
import type { IndicatorDef } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

const KINDS = ['mom', 'roc', 'rocp', 'rocr', 'rocr100'] as const
/** One of the lag-difference indicators. */
export type MomentumKind = (typeof KINDS)[number]

/** Recurrence of the lag-difference family: a ring of the last `period` inputs. */
export class LagState {
  readonly ring: Ring
  value = NaN
  private readonly kind: number

  constructor(
    readonly period: number,
    kind: MomentumKind,
  ) {
    intParam(kind, 'timeperiod', period, 1)
    this.kind = KINDS.indexOf(kind)
    this.ring = new Ring(period)
  }

  /** Feeds one value; NaN until `period` earlier values exist. */
  step(x: number): number {
    const r = this.ring
    let v = NaN
    if (r.count >= this.period) {
      const prev = r.ago(this.period - 1)
      switch (this.kind) {
        case 0:
          v = x - prev
          break
        case 1:
          v = prev !== 0 ? (x / prev - 1.0) * 100.0 : 0
          break
        case 2:
          v = prev !== 0 ? (x - prev) / prev : 0
          break
        case 3:
          v = prev !== 0 ? x / prev : 0
          break
        default:
          v = prev !== 0 ? (x / prev) * 100.0 : 0
      }
    }
    r.push(x)
    return (this.value = v)
  }
}

function run(kind: MomentumKind, values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam(kind, 'timeperiod', period, 1)
  const n = checkInputs(kind, ['close', values])
  const o = outArray(kind, n, out)
  const p = period
  o.fill(NaN, 0, Math.min(n, p))
  // the formulas of LagState.step, one loop per kind so that each loop stays monomorphic
  switch (kind) {
    case 'mom':
      for (let i = p; i < n; i++) o[i] = values[i]! - values[i - p]!
      break
    case 'roc':
      for (let i = p; i < n; i++) {
        const prev = values[i - p]!
        o[i] = prev !== 0 ? (values[i]! / prev - 1.0) * 100.0 : 0
      }
      break
    case 'rocp':
      for (let i = p; i < n; i++) {
        const prev = values[i - p]!
        o[i] = prev !== 0 ? (values[i]! - prev) / prev : 0
      }
      break
    case 'rocr':
      for (let i = p; i < n; i++) {
        const prev = values[i - p]!
        o[i] = prev !== 0 ? values[i]! / prev : 0
      }
      break
    default:
      for (let i = p; i < n; i++) {
        const prev = values[i - p]!
        o[i] = prev !== 0 ? (values[i]! / prev) * 100.0 : 0
      }
  }
  return o
}

/** Momentum: x[t] − x[t−timeperiod]. */
export function mom(values: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  return run('mom', values, timeperiod, out)
}
/** Rate of change in percent: (x[t]/x[t−timeperiod] − 1)·100. */
export function roc(values: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  return run('roc', values, timeperiod, out)
}
/** Rate of change as a fraction: (x[t] − x[t−timeperiod])/x[t−timeperiod]. */
export function rocp(values: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  return run('rocp', values, timeperiod, out)
}
/** Rate of change ratio: x[t]/x[t−timeperiod]. */
export function rocr(values: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  return run('rocr', values, timeperiod, out)
}
/** Rate of change ratio on a 100 scale: x[t]/x[t−timeperiod]·100. */
export function rocr100(values: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  return run('rocr100', values, timeperiod, out)
}

/** Streaming twin of the lag-difference family (`new Momentum('roc', 10)`). */
export class Momentum extends Stepper<LagState, number, number> {
  constructor(kind: MomentumKind, timeperiod = 10) {
    new LagState(timeperiod, kind)
    super(
      () => new LagState(timeperiod, kind),
      timeperiod,
      (s, x) => s.step(x),
      (s) => s.value,
    )
  }
}

const DESCRIPTIONS: Record<MomentumKind, string> = {
  mom: 'Momentum',
  roc: 'Rate of change: ((price/prevPrice)-1)*100',
  rocp: 'Rate of change Percentage: (price-prevPrice)/prevPrice',
  rocr: 'Rate of change ratio: (price/prevPrice)',
  rocr100: 'Rate of change ratio 100 scale: (price/prevPrice)*100',
}

function momentumDef(kind: MomentumKind): IndicatorDef {
  return defineIndicator({
    name: kind,
    description: DESCRIPTIONS[kind],
    inputs: ['close'],
    params: [pInt('timeperiod', 10, 1)],
    outputs: ['real'],
    lookback: ([p]) => p!,
    make: ([p]) => new LagState(p!, kind),
    feed: (s, b) => s.step(b.close),
    read: (s) => [s.value],
    compute: ([close], [p]) => [run(kind, close, p!)],
  })
}

/** Registry entry of MOM. */
export const momDef = momentumDef('mom')
/** Registry entry of ROC. */
export const rocDef = momentumDef('roc')
/** Registry entry of ROCP. */
export const rocpDef = momentumDef('rocp')
/** Registry entry of ROCR. */
export const rocrDef = momentumDef('rocr')
/** Registry entry of ROCR100. */
export const rocr100Def = momentumDef('rocr100')
