/**
 * The smallest d in [0, 1] whose fixed-width fractional difference passes the ADF test (AFML §5.5, snippet
 * 5.4): a grid over d, then bisection between the last failing and the first passing grid point.
 */
import { KestrelError } from '../../core/index.ts'
import { numParam } from '../common/params.ts'
import { adfTest, type AdfResult } from './adf.ts'
import { fracDiff } from './fracdiff.ts'

/** One row of the search table. */
export interface MinDRow {
  readonly d: number
  readonly adf: AdfResult
  /** Pearson correlation of the differenced series with the input over the same bars (memory kept). */
  readonly correlation: number
}

/** Result of {@link minFfdD}. */
export interface MinDResult {
  /** Smallest passing d found (NaN when even d = 1 fails). */
  readonly d: number
  readonly passed: boolean
  readonly table: readonly MinDRow[]
}

/** Options of {@link minFfdD}. */
export interface MinDOptions {
  /** ADF confidence: passes when p-value < 1 − confidence. Default 0.95. */
  readonly confidence?: number
  /** Grid step. Default 0.1. */
  readonly step?: number
  /** Bisection steps after the grid. Default 5. */
  readonly refine?: number
  readonly threshold?: number
  readonly maxLag?: number
}

function row(x: Float64Array, d: number, opts: MinDOptions): MinDRow {
  const fd = fracDiff(x, { d, threshold: opts.threshold ?? 1e-4 })
  let first = 0
  while (first < fd.length && Number.isNaN(fd[first]!)) first++
  if (fd.length - first < 20)
    throw new KestrelError('PARAM_INVALID', `minFfdD: d=${d} leaves ${fd.length - first} values; raise threshold`, {
      d,
    })
  const a = fd.subarray(first)
  const b = x.subarray(first)
  return { d, adf: adfTest(a, { maxLag: opts.maxLag }), correlation: pearson(a, b) }
}

function pearson(a: Float64Array, b: Float64Array): number {
  let ma = 0
  let mb = 0
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!
    mb += b[i]!
  }
  ma /= a.length
  mb /= b.length
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb)
    saa += (a[i]! - ma) ** 2
    sbb += (b[i]! - mb) ** 2
  }
  return sab / Math.sqrt(saa * sbb)
}

/** Searches the smallest d that makes `x` (usually log prices) stationary by ADF. */
export function minFfdD(x: Float64Array, opts: MinDOptions = {}): MinDResult {
  const alpha = 1 - numParam('minFfdD(confidence)', opts.confidence ?? 0.95, 0.5, 0.9999)
  const step = numParam('minFfdD(step)', opts.step ?? 0.1, 0.001, 1)
  const table: MinDRow[] = []
  let prevFail = -1
  let pass = NaN
  for (let i = 0; ; i++) {
    const d = Math.min(1, Math.round(i * step * 1e9) / 1e9)
    const r = row(x, d, opts)
    table.push(r)
    if (r.adf.pValue < alpha) {
      pass = d
      break
    }
    prevFail = d
    if (d >= 1) break
  }
  if (Number.isNaN(pass)) return { d: NaN, passed: false, table }
  let lo = prevFail
  let hi = pass
  if (lo >= 0) {
    for (let k = 0; k < (opts.refine ?? 5); k++) {
      const mid = (lo + hi) / 2
      const r = row(x, mid, opts)
      table.push(r)
      if (r.adf.pValue < alpha) hi = mid
      else lo = mid
    }
  }
  table.sort((a, b) => a.d - b.d)
  return { d: hi, passed: true, table }
}
