/** Correlation matrices for synthetic markets, and the factor that turns independent normals into correlated ones. */
import { KestrelError, cholesky, isKestrelError } from '../../core/index.ts'

/**
 * Lower-triangular `L` (row-major, n×n) with `L·Lᵀ = corr` (core's Cholesky, flattened). Throws PARAM_INVALID
 * naming the entry when `corr` is not square, not symmetric, has a diagonal other than 1, an entry outside
 * [−1, 1], or is not positive definite (a pivot at or below 1e-12).
 */
export function correlationFactor(corr: readonly (readonly number[])[]): Float64Array {
  const n = corr.length
  const bad = (msg: string, details: Record<string, unknown> = {}): never => {
    throw new KestrelError('PARAM_INVALID', `correlation matrix: ${msg}`, details)
  }
  for (let i = 0; i < n; i++) {
    const row = corr[i]!
    if (row.length !== n) bad(`row ${i} has ${row.length} entries, expected ${n}`, { row: i })
    if (row[i] !== 1) bad(`diagonal [${i}][${i}] is ${row[i]}, expected 1`, { row: i })
    for (let j = 0; j < n; j++) {
      const v = row[j]!
      if (!(v >= -1 && v <= 1)) bad(`[${i}][${j}] = ${v} is outside [-1, 1]`, { row: i, col: j })
      if (Math.abs(v - corr[j]![i]!) > 1e-12) bad(`not symmetric at [${i}][${j}]`, { row: i, col: j })
    }
  }
  let rows: number[][]
  try {
    rows = cholesky(corr as number[][], 1e-12)
  } catch (e) {
    if (!isKestrelError(e, 'PARAM_INVALID')) throw e
    const d = e.details as { pivot?: number; value?: number }
    return bad(`not positive definite (pivot ${d.pivot} is ${d.value})`, { pivot: d.pivot })
  }
  const L = new Float64Array(n * n)
  for (let i = 0; i < n; i++) L.set(rows[i]!, i * n)
  return L
}

/** A correlation matrix with 1 on the diagonal and `rho` elsewhere. */
export function constantCorrelation(n: number, rho: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : rho)))
}
