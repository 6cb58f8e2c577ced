/**
 * Small dense linear algebra (tens to a few hundred dimensions) for portfolio construction, risk and synthetic
 * markets. Matrices are arrays of rows. Written here rather than pulled in: the needs are a few routines, and a
 * general matrix library would add weight and indirection on paths that run on every rebalance.
 */
import { KestrelError } from './errors.ts'

/** A dense matrix as rows of numbers (a covariance is n×n). */
export type Matrix = number[][]
/** A dense vector of numbers (weights, expected returns). */
export type Vector = number[]

/** A copy of `m`. */
export function clone(m: Matrix): Matrix {
  return m.map((r) => r.slice())
}

/** m · v */
export function matVec(m: Matrix, v: Vector): Vector {
  const out = new Array<number>(m.length)
  for (let i = 0; i < m.length; i++) {
    const row = m[i]!
    let s = 0
    for (let j = 0; j < v.length; j++) s += row[j]! * v[j]!
    out[i] = s
  }
  return out
}

/** a · b */
export function dot(a: Vector, b: Vector): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** a · b for matrices. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length
  const m = b[0]!.length
  const k = b.length
  const out: Matrix = Array.from({ length: n }, () => new Array<number>(m).fill(0))
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i]![p]!
      if (aip === 0) continue
      const brow = b[p]!
      const orow = out[i]!
      for (let j = 0; j < m; j++) orow[j]! += aip * brow[j]!
    }
  }
  return out
}

/** Transpose. */
export function transpose(m: Matrix): Matrix {
  return m[0]!.map((_, j) => m.map((r) => r[j]!))
}

/** Solves A x = b by Gaussian elimination with partial pivoting. Throws when A is singular. */
export function solve(a: Matrix, b: Vector): Vector {
  const n = a.length
  const m = a.map((r, i) => [...r, b[i]!])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r
    if (Math.abs(m[p]![c]!) < 1e-14) {
      throw new KestrelError('PARAM_INVALID', `linear system is singular (column ${c})`, { column: c })
    }
    if (p !== c) [m[p], m[c]] = [m[c]!, m[p]!]
    const pivot = m[c]![c]!
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / pivot
      if (f === 0) continue
      const row = m[r]!
      const prow = m[c]!
      for (let k = c; k <= n; k++) row[k]! -= f * prow[k]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!
    x[r] = s / m[r]![r]!
  }
  return x
}

/** Inverse by solving against the identity. */
export function inverse(a: Matrix): Matrix {
  const n = a.length
  const cols = Array.from({ length: n }, (_, j) =>
    solve(
      a,
      Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
    ),
  )
  return transpose(cols)
}

/** Cholesky factor L (lower) with A = L Lᵀ. Throws PARAM_INVALID when a pivot is not above `minPivot` (A is not positive definite, or nearly singular). */
export function cholesky(a: Matrix, minPivot = 0): Matrix {
  const n = a.length
  const l: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!
      if (i === j) {
        if (!(s > minPivot))
          throw new KestrelError('PARAM_INVALID', `matrix is not positive definite (pivot ${i} is ${s})`, {
            pivot: i,
            value: s,
          })
        l[i]![i] = Math.sqrt(s)
      } else l[i]![j] = s / l[j]![j]!
    }
  }
  return l
}

/** Throws PARAM_INVALID unless `m` is a square, symmetric, finite matrix of size n. */
export function assertCovariance(m: Matrix, n: number, what = 'covariance'): void {
  if (m.length !== n || m.some((r) => r.length !== n)) {
    throw new KestrelError('PARAM_INVALID', `${what}: expected a ${n}×${n} matrix`, { rows: m.length })
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m[i]![j]!
      if (!Number.isFinite(v)) throw new KestrelError('PARAM_INVALID', `${what}[${i}][${j}] is ${v}`)
      if (Math.abs(v - m[j]![i]!) > 1e-9 * Math.max(1, Math.abs(v))) {
        throw new KestrelError('PARAM_INVALID', `${what} is not symmetric at [${i}][${j}]`)
      }
    }
    if (!(m[i]![i]! > 0)) throw new KestrelError('PARAM_INVALID', `${what}[${i}][${i}] must be > 0, got ${m[i]![i]}`)
  }
}

/** Covariance → correlation. */
export function covToCorr(cov: Matrix): Matrix {
  const sd = cov.map((r, i) => Math.sqrt(r[i]!))
  return cov.map((r, i) => r.map((v, j) => v / (sd[i]! * sd[j]!)))
}

/** Sample covariance (ddof=1) of columns of `returns` (rows = periods, columns = assets). */
export function sampleCovariance(returns: Matrix): Matrix {
  const t = returns.length
  const n = returns[0]?.length ?? 0
  if (t < 2) throw new KestrelError('PARAM_INVALID', `covariance needs at least 2 periods, got ${t}`)
  const mean = new Array<number>(n).fill(0)
  for (const r of returns) for (let j = 0; j < n; j++) mean[j]! += r[j]! / t
  const cov: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (const r of returns) {
    for (let i = 0; i < n; i++) {
      const di = r[i]! - mean[i]!
      for (let j = i; j < n; j++) cov[i]![j]! += (di * (r[j]! - mean[j]!)) / (t - 1)
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) cov[i]![j] = cov[j]![i]!
  return cov
}
