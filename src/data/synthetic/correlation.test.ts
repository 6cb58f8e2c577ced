import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { constantCorrelation, correlationFactor } from './correlation.ts'
import { uShape } from './volume-profile.ts'

describe('correlationFactor', () => {
  it('factors a correlation matrix so that L·Lᵀ gives it back', () => {
    const c = [
      [1, 0.8, 0.3],
      [0.8, 1, -0.2],
      [0.3, -0.2, 1],
    ]
    const L = correlationFactor(c)
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0
        for (let k = 0; k < 3; k++) s += L[i * 3 + k]! * L[j * 3 + k]!
        assert.ok(Math.abs(s - c[i]![j]!) < 1e-12)
      }
    }
    assert.equal(L[0 * 3 + 1], 0) // lower triangular
    assert.ok(Math.abs(L[1 * 3 + 1]! - 0.6) < 1e-12) // sqrt(1 - 0.8²)
  })
  it('rejects a matrix that is not positive definite, not symmetric or off the unit diagonal', () => {
    const isParam = (e: unknown) => isKestrelError(e, 'PARAM_INVALID')
    assert.throws(() => correlationFactor(constantCorrelation(3, -0.6)), isParam) // ρ < −1/(n−1)
    assert.throws(() => correlationFactor([[1, 0.5], [0.4, 1]]), /not symmetric/) // prettier-ignore
    assert.throws(() => correlationFactor([[2, 0], [0, 1]]), /diagonal/) // prettier-ignore
    assert.throws(() => correlationFactor([[1, 0, 0], [0, 1]]), isParam) // prettier-ignore
  })
})

describe('uShape', () => {
  it('averages 1 over the session, with 2× the mean at the open and close and 0.5× at midday', () => {
    let s = 0
    const n = 100_000
    for (let i = 0; i < n; i++) s += uShape((i + 0.5) / n)
    assert.ok(Math.abs(s / n - 1) < 1e-6)
    assert.equal(uShape(0), 2)
    assert.equal(uShape(0.5), 0.5)
    assert.equal(uShape(0.3, 0), 1)
  })
})
