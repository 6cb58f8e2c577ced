import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { normCdf, normPpf } from './stats.ts'

function assertClose(actual: number, expected: number, tol = 1e-12, what = ''): void {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`)
  if (!Number.isFinite(expected)) return assert.equal(actual, expected, what)
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, got ${actual} (tol ${tol})`)
}

describe('standard normal', () => {
  it('matches scipy.stats.norm.cdf to 1e-15 relative', () => {
    const ref: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-5, 2.866515718791933e-7],
      [-3.7, 0.00010779973347738823],
      [-2.5, 0.006209665325776132],
      [-1, 0.15865525393145707],
      [0, 0.5],
      [1.2831, 0.9002714781060175],
      [2.5, 0.9937903346742238],
      [6, 0.9999999990134123],
    ]
    for (const [z, p] of ref) assertClose(normCdf(z), p, 1e-15 * Math.max(p, 1e-300) + 1e-16, `cdf(${z})`)
  })
  it('matches scipy.stats.norm.ppf to 1e-14', () => {
    const ref: [number, number][] = [
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.01, -2.3263478740408408],
      [0.05, -1.6448536269514729],
      [0.3, -0.5244005127080409],
      [0.975, 1.959963984540054],
      [1 - 1 / (100 * Math.E), 2.6802104449668875],
    ]
    for (const [p, z] of ref) assertClose(normPpf(p), z, 1e-14, `ppf(${p})`)
  })
  it('inverts the cdf (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        assertClose(normCdf(normPpf(p)), p, 1e-13 * Math.max(1, p), `p=${p}`)
      }),
      { seed: 7, numRuns: 300 },
    )
  })
  it('is NaN outside [0, 1] and infinite at the ends', () => {
    assertClose(normPpf(-0.1), NaN)
    assertClose(normPpf(0), -Infinity)
    assertClose(normPpf(1), Infinity)
  })
})
