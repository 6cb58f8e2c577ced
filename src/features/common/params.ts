/** Parameter checks shared by the feature kernels: each names the function and the parameter. */
import { requireParam } from '../../core/index.ts'

/** Requires an integer ≥ `min`. */
export function intParam(where: string, v: number, min = 1): number {
  requireParam(Number.isInteger(v) && v >= min, where, `an integer >= ${min}`, v)
  return v
}

/** Requires a finite number in [lo, hi] (bounds optional). */
export function numParam(where: string, v: number, lo = -Infinity, hi = Infinity): number {
  requireParam(Number.isFinite(v) && v >= lo && v <= hi, where, `a number in [${lo}, ${hi}]`, v)
  return v
}

/** Requires arrays of equal length; returns it. */
export function sameLength(where: string, ...arrays: ArrayLike<number>[]): number {
  const n = arrays[0]!.length
  for (const a of arrays)
    requireParam(a.length === n, where, `inputs of equal length ${n}`, `lengths ${arrays.map((x) => x.length)}`)
  return n
}
