import { describe, it } from 'node:test'
import fc from 'fast-check'
import assert from 'node:assert/strict'
import { drawdownCurve, maxDrawdown, maxDrawdownDuration, ulcerIndex } from './drawdown.ts'
import { assertClose, MIXED9, NEGATIVE, POSITIVE, WAVE100, wave100 } from './test-vectors.ts'

const returnsArb = fc.array(fc.double({ min: -0.99, max: 2, noNaN: true }), { minLength: 1, maxLength: 200 })

describe('drawdowns', () => {
  it('max_drawdown matches empyrical test_stats.py', () => {
    assertClose(maxDrawdown([]), NaN)
    assertClose(maxDrawdown([0.01]), 0, 0)
    assertClose(maxDrawdown([0, 1, 0, 1, 0, 1, 0, 1, 0].map((x) => x / 100)), 0, 0)
    assertClose(maxDrawdown(MIXED9), -0.1, 1e-15)
    assertClose(maxDrawdown(POSITIVE), 0, 0)
    assertClose(maxDrawdown(NEGATIVE), -0.36590730349873601, 1e-15)
    assertClose(maxDrawdown([0.1, -0.1, 0.1]), -0.1, 1e-15)
  })
  it('measures a drawdown from the start when the first return is a loss', () => {
    assertClose(maxDrawdown([-0.2, 0.1]), -0.2, 1e-15)
  })
  it('matches a numpy computation on the wave series (drawdown, ulcer index, duration)', () => {
    const r = wave100()
    assertClose(maxDrawdown(r), WAVE100.maxDrawdown, 1e-15)
    assertClose(ulcerIndex(r), WAVE100.ulcer, 1e-15)
    assert.equal(maxDrawdownDuration(r), WAVE100.drawdownDuration)
  })
  it('counts the longest run under water, recovered or not', () => {
    // peak after +10%, under water 3 periods, recovers; then a final 2-period drawdown
    assert.equal(maxDrawdownDuration([0.1, -0.05, -0.01, 0.02, 0.5, 0.01, -0.1, 0.01]), 3)
    assert.equal(maxDrawdownDuration([0.1, 0.1]), 0)
    assert.equal(maxDrawdownDuration([-0.1, -0.1, 0.01, 0.01, 0.01]), 5)
  })
  it('ulcer index is the RMS of the underwater curve (Martin): one 10% dip over 4 periods', () => {
    // wealth 1, 0.9, 0.9, 1.0 → drawdowns 0.1, 0.1, 0 → sqrt((0.01 + 0.01 + 0 + 0)/4)
    assertClose(ulcerIndex([0, -0.1, 0, 1 / 0.9 - 1]), Math.sqrt(0.02 / 4), 1e-15)
  })
  it('keeps the max drawdown in [−1, 0] and below every underwater point (property)', () => {
    fc.assert(
      fc.property(returnsArb, (r) => {
        const m = maxDrawdown(r)
        assert.ok(m >= -1 && m <= 0, `mdd ${m}`)
        for (const d of drawdownCurve(r)) assert.ok(d >= m && d <= 0)
      }),
      { seed: 42, numRuns: 300 },
    )
  })
})
