import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import {
  conditionalValueAtRisk,
  cornishFisherConditionalValueAtRisk,
  cornishFisherCVaRFromMoments,
  cornishFisherValueAtRisk,
  cornishFisherVaRFromMoments,
  parametricConditionalValueAtRisk,
  parametricValueAtRisk,
  valueAtRisk,
} from './tail-risk.ts'
import { assertClose, WAVE100, wave100 } from './test-vectors.ts'

describe('value at risk', () => {
  const r = wave100()
  it('historical VaR and CVaR match numpy percentile and empyrical’s partition mean', () => {
    assertClose(valueAtRisk(r, 0.05), WAVE100.pct[2][1], 1e-15, 'var95')
    assertClose(valueAtRisk(r, 0.01), WAVE100.pct[1][1], 1e-15, 'var99')
    assertClose(conditionalValueAtRisk(r, 0.05), WAVE100.cvar95, 1e-15, 'cvar95')
    assertClose(conditionalValueAtRisk(r, 0.01), WAVE100.cvar99, 1e-15, 'cvar99')
    assertClose(valueAtRisk([], 0.05), NaN)
    assertClose(conditionalValueAtRisk([], 0.05), NaN)
  })
  it('parametric VaR and CVaR match scipy.stats.norm', () => {
    assertClose(parametricValueAtRisk(r, 0.05), WAVE100.pvar95, 1e-15, 'pvar95')
    assertClose(parametricValueAtRisk(r, 0.01), WAVE100.pvar99, 1e-15, 'pvar99')
    assertClose(parametricConditionalValueAtRisk(r, 0.05), WAVE100.pcvar95, 1e-15, 'pcvar95')
  })
  it('Cornish-Fisher VaR matches scipy moments; its CVaR matches numerical integration of the CF quantile', () => {
    assertClose(cornishFisherValueAtRisk(r, 0.05), WAVE100.cfvar95, 1e-14, 'cfvar95')
    assertClose(cornishFisherValueAtRisk(r, 0.01), WAVE100.cfvar99, 1e-14, 'cfvar99')
    assertClose(cornishFisherConditionalValueAtRisk(r, 0.05), WAVE100.cfcvar95, 1e-13, 'cfcvar95')
  })
  it('Cornish-Fisher worked example: σ 1.2%, skew −0.7, excess kurtosis 4.5 at 99%', () => {
    // z_cf = −3.70871 (hand: −2.32635 − 0.51472 − 1.05204 + 0.18441). With μ = +0.03% the loss is 4.42%
    // (normal 2.76%); the 4.48% / 2.82% often quoted for this example correspond to μ = −0.03%.
    assertClose(cornishFisherVaRFromMoments(0.0003, 0.012, -0.7, 4.5, 0.01), -0.04420449808310068, 1e-15)
    assertClose(cornishFisherVaRFromMoments(-0.0003, 0.012, -0.7, 4.5, 0.01), -0.044804498083100684, 1e-15)
    assert.equal((-cornishFisherVaRFromMoments(-0.0003, 0.012, -0.7, 4.5, 0.01) * 100).toFixed(2), '4.48')
    assert.equal((-cornishFisherVaRFromMoments(-0.0003, 0.012, 0, 0, 0.01) * 100).toFixed(2), '2.82')
    // with no skew and no excess kurtosis Cornish-Fisher is the normal
    assertClose(cornishFisherVaRFromMoments(0.0003, 0.012, 0, 0, 0.01), 0.0003 - 0.012 * 2.3263478740408408, 1e-15)
    // CVaR: scipy.integrate.quad of the CF quantile over (0, 0.01) / 0.01
    assertClose(cornishFisherCVaRFromMoments(0.0003, 0.012, -0.7, 4.5, 0.01), -0.06254334546089416, 1e-12) // quad's error ~1e-13
    assertClose(cornishFisherCVaRFromMoments(0.0003, 0.012, 0, 0, 0.01), -0.03168257064414969, 1e-15)
  })
  it('rejects a cutoff outside (0, 1)', () => {
    assert.throws(
      () => valueAtRisk(r, 0.95 * 100),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    assert.throws(
      () => parametricValueAtRisk(r, 0),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
  it('is monotone in confidence: VaR99 ≤ VaR95 and CVaR ≤ VaR (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 300 }), (xs) => {
        assert.ok(valueAtRisk(xs, 0.01) <= valueAtRisk(xs, 0.05))
        assert.ok(parametricValueAtRisk(xs, 0.01) <= parametricValueAtRisk(xs, 0.05) + 1e-15)
        assert.ok(conditionalValueAtRisk(xs, 0.05) <= valueAtRisk(xs, 0.05) + 1e-15)
        assert.ok(conditionalValueAtRisk(xs, 0.01) <= conditionalValueAtRisk(xs, 0.05) + 1e-15)
        assert.ok(parametricConditionalValueAtRisk(xs, 0.05) <= parametricValueAtRisk(xs, 0.05) + 1e-15)
      }),
      { seed: 3, numRuns: 300 },
    )
  })
})
