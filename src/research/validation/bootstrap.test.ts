import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { bootstrapSharpe } from './bootstrap.ts'

function normalReturns(n: number, mu: number, sigma: number, seed: number): Float64Array {
  const rng = new Rng(seed)
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal())
}

describe('bootstrapSharpe', () => {
  it('is reproducible with a seed and brackets the estimate', () => {
    const r = normalReturns(500, 0.0005, 0.01, 1)
    const a = bootstrapSharpe(r, { periodsPerYear: 252, samples: 500, seed: 3 })
    const b = bootstrapSharpe(r, { periodsPerYear: 252, samples: 500, seed: 3 })
    assert.deepEqual(a, b)
    assert.ok(a.lower < a.estimate && a.estimate < a.upper)
    assert.equal(a.samples, 500)
  })
  it('its standard error is close to the analytic one, √((1 + SR²/2)/n) · √ppy (Lo 2002, normal returns)', () => {
    const n = 1000
    const r = normalReturns(n, 0.0005, 0.01, 2)
    const ci = bootstrapSharpe(r, { periodsPerYear: 252, samples: 1500, seed: 4 })
    const srp = ci.estimate / Math.sqrt(252)
    const analytic = Math.sqrt((1 + (srp * srp) / 2) / n) * Math.sqrt(252)
    assert.ok(Math.abs(ci.standardError / analytic - 1) < 0.1, `${ci.standardError} vs ${analytic}`)
  })
  it('covers the true Sharpe about 90% of the time at 90% confidence', () => {
    const trueSr = (0.001 / 0.01) * Math.sqrt(252)
    let hits = 0
    const trials = 120
    for (let s = 0; s < trials; s++) {
      const ci = bootstrapSharpe(normalReturns(250, 0.001, 0.01, 100 + s), {
        periodsPerYear: 252,
        samples: 300,
        confidence: 0.9,
        seed: s,
      })
      if (ci.lower <= trueSr && trueSr <= ci.upper) hits++
    }
    // binomial(120, 0.9): mean 108, sd 3.3; accept 95 … 120
    assert.ok(hits >= 95, `coverage ${hits}/${trials}`)
  })
  it('rejects a block longer than the series and NaN returns', () => {
    assert.throws(
      () => bootstrapSharpe([0.01, 0.02], { periodsPerYear: 252, blockSize: 3 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    assert.throws(
      () => bootstrapSharpe([0.01, NaN], { periodsPerYear: 252 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
