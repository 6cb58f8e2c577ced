/** Test helpers: array agreement with NaN treated as equal to NaN. */
import assert from 'node:assert/strict'

/** Asserts |a−b| ≤ tol·max(1, |b|) element-wise, NaN only where the other is NaN too. */
export function assertArraysClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9, label = ''): void {
  assert.equal(a.length, b.length, `${label}: lengths differ`)
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (Number.isNaN(x) || Number.isNaN(y)) {
      assert.ok(Number.isNaN(x) && Number.isNaN(y), `${label}[${i}]: ${x} vs ${y}`)
      continue
    }
    if (x === y) continue
    assert.ok(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)), `${label}[${i}]: ${x} vs ${y}`)
  }
}

/** Largest |a−b| / |b| over finite pairs (0 where both are 0). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (!Number.isFinite(x) || !Number.isFinite(y) || x === y) continue
    m = Math.max(m, Math.abs(x - y) / Math.max(Math.abs(y), Number.MIN_VALUE))
  }
  return m
}

/** Largest |a−b| over the largest |b| (error relative to the series' scale; robust where b crosses 0). */
export function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0
  let scale = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue
    d = Math.max(d, Math.abs(x - y))
    scale = Math.max(scale, Math.abs(y))
  }
  return scale > 0 ? d / scale : d
}

/** Number of finite values. */
export function finiteCount(a: ArrayLike<number>): number {
  let n = 0
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) n++
  return n
}
