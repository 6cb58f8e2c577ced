/**
 * Periodic simple returns: validation and conversion from an equity curve. Every metric takes returns that
 * passed {@link checkReturns}: a NaN or infinite return is an error naming its index, never silently skipped.
 */
import { KestrelError, requireParam } from '../../core/index.ts'
import type { EquityCurve } from '../types.ts'

/** Throws PARAM_INVALID naming the first non-finite return and where it came from (`what`). */
export function checkReturns(returns: ArrayLike<number>, what = 'returns'): void {
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!
    if (!Number.isFinite(r)) {
      throw new KestrelError('PARAM_INVALID', `${what}[${i}]: expected a finite return, got ${String(r)}`, {
        where: what,
        index: i,
        got: r,
      })
    }
  }
}

/** Throws PARAM_INVALID unless `periodsPerYear` is a finite number > 0. */
export function checkPeriodsPerYear(periodsPerYear: number, where = 'periodsPerYear'): void {
  requireParam(Number.isFinite(periodsPerYear) && periodsPerYear > 0, where, 'a finite number > 0', periodsPerYear)
}

/**
 * Simple returns `v[i] / v[i-1] − 1` of an equity curve (one fewer than its points). Throws STATE_INVALID when
 * a value is non-finite or ≤ 0 (a return from a wiped-out account is undefined) and PARAM_INVALID when the
 * times are not strictly ascending or the arrays differ in length.
 */
export function returnsFromEquity(curve: EquityCurve, what = 'equity'): Float64Array {
  const { time, value } = curve
  requireParam(time.length === value.length, `${what}.time`, `length ${value.length} (as value)`, time.length)
  const n = value.length
  for (let i = 0; i < n; i++) {
    const v = value[i]!
    if (!(Number.isFinite(v) && v > 0)) {
      throw new KestrelError('STATE_INVALID', `${what}.value[${i}]: expected a finite value > 0, got ${String(v)}`, {
        where: `${what}.value`,
        index: i,
        got: v,
      })
    }
    if (i > 0 && !(time[i]! > time[i - 1]!)) {
      throw new KestrelError(
        'PARAM_INVALID',
        `${what}.time[${i}]: expected times strictly ascending, got ${time[i]} after ${time[i - 1]}`,
        { where: `${what}.time`, index: i },
      )
    }
  }
  const out = new Float64Array(Math.max(0, n - 1))
  for (let i = 1; i < n; i++) out[i - 1] = value[i]! / value[i - 1]! - 1
  return out
}

/** Cumulative compounded returns `∏(1 + r) − 1` after each period (empyrical `cum_returns`). */
export function cumulativeReturns(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length)
  let acc = 1
  for (let i = 0; i < returns.length; i++) {
    acc *= 1 + returns[i]!
    out[i] = acc - 1
  }
  return out
}

/** Total compounded return over the whole series (empyrical `cum_returns_final`); NaN when empty. */
export function totalReturn(returns: ArrayLike<number>): number {
  if (returns.length === 0) return NaN
  let acc = 1
  for (let i = 0; i < returns.length; i++) acc *= 1 + returns[i]!
  return acc - 1
}
