import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { excessKurtosis, normCdf, normPpf, quantile, skewness, std } from './stats.ts'

const close = (a: number, b: number, tol: number) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`)

describe('stats primitives', () => {
  it('matches scipy.stats.norm at published points', () => {
    // scipy.stats.norm.ppf / cdf
    close(normPpf(0.99), 2.3263478740408408, 1e-14)
    close(normPpf(0.95), 1.6448536269514722, 1e-14)
    close(normPpf(0.001), -3.090232306167813, 1e-14)
    close(normPpf(1e-10), -6.361340902404056, 1e-13)
    close(normCdf(1.96), 0.9750021048517795, 1e-15)
    close(normCdf(-4.5), 3.3976731247300535e-6, 1e-13)
    close(normCdf(8), 0.9999999999999993, 1e-15)
  })

  it('ppf inverts cdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => close(normCdf(normPpf(p)), p, 1e-13)),
    )
  })

  it('moments and quantiles follow numpy/scipy defaults', () => {
    const x = [1, 2, 3, 4, 10]
    close(std(x), 3.5355339059327378, 1e-15) // numpy.std(ddof=1)
    close(skewness(x), 1.1384199576606167, 1e-14) // scipy.stats.skew
    close(excessKurtosis(x), -0.21199999999999974, 1e-13) // scipy.stats.kurtosis
    assert.equal(quantile(x, 0.5), 3)
    close(quantile(x, 0.05), 1.2, 1e-15) // numpy.percentile(x, 5)
  })
})
