import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError, cholesky, covToCorr, inverse, matMul, matVec, type Matrix } from '../../core/index.ts'
import { blackLitterman, impliedReturns } from './black-litterman.ts'
import { correlationDistance, hrp, quasiDiagonal, singleLinkage } from './hrp.ts'
import { meanVariance, minVariance } from './mean-variance.ts'
import { rebalanceWithTurnoverLimit, turnover } from './rebalance.ts'
import { riskContributions, riskParity } from './risk-parity.ts'
import { equalWeight, inverseVolatility } from './weights.ts'

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b} (tol ${tol})`)
const closeAll = (a: number[], b: number[], tol: number) => a.forEach((x, i) => close(x, b[i]!, tol))

// A 4-asset covariance used across tests; reference values below come from numpy/scipy (the HRP paper's own
// Python code for HRP, scipy SLSQP for the constrained optimisations, numpy.linalg for Black-Litterman).
const cov: Matrix = [
  [0.04, 0.006, 0.0024, 0.001],
  [0.006, 0.09, -0.0036, 0.0045],
  [0.0024, -0.0036, 0.0225, 0.0009],
  [0.001, 0.0045, 0.0009, 0.0625],
]

describe('HRP (López de Prado 2016)', () => {
  it("gives the paper's distance matrix for its 3-asset correlation example", () => {
    const d = correlationDistance([
      [1, 0.7, 0.2],
      [0.7, 1, -0.2],
      [0.2, -0.2, 1],
    ])
    const expected = [
      [0, 0.3873, 0.6325],
      [0.3873, 0, 0.7746],
      [0.6325, 0.7746, 0],
    ]
    d.forEach((r, i) => closeAll(r, expected[i]!, 5e-5))
  })

  it('clusters and orders like scipy single linkage and the paper code', () => {
    const steps = singleLinkage(correlationDistance(covToCorr(cov)))
    assert.deepEqual(
      steps.map((s) => [s.a, s.b, s.size]),
      [
        [0, 1, 2],
        [2, 4, 3],
        [3, 5, 4],
      ],
    )
    close(steps[0]!.distance, 0.9504806564350492, 1e-12)
    assert.deepEqual(quasiDiagonal(steps, 4), [3, 2, 0, 1])
  })

  it("matches the paper's reference implementation's weights", () => {
    closeAll(hrp(cov), [0.24809984579874872, 0.11026659813277723, 0.4717893794621133, 0.16984417660636075], 1e-12)
  })

  it('weights are positive and sum to 1 for random covariance matrices', () => {
    fc.assert(
      fc.property(randomCov(), (c) => {
        const w = hrp(c)
        close(
          w.reduce((a, b) => a + b, 0),
          1,
          1e-12,
        )
        assert.ok(w.every((x) => x > 0))
      }),
    )
  })
})

describe('mean-variance with a real QP solver', () => {
  it('finds the closed-form global minimum variance portfolio when no bound binds', () => {
    closeAll(
      minVariance(cov, { minWeight: -10, maxWeight: 10 }),
      [0.2297562926464707, 0.12119742874304568, 0.48847705679710823, 0.1605692218133754],
      1e-12,
    )
  })

  it('caps a weight at 40% and matches scipy SLSQP', () => {
    const w = minVariance(cov, { maxWeight: 0.4 })
    closeAll(w, [0.2777498773589273, 0.1331132927062546, 0.4, 0.18913682993481803], 1e-7)
    assert.equal(w[2], 0.4)
  })

  it('maximises μᵀw − λ/2 wᵀΣw long-only with caps like scipy SLSQP', () => {
    const w = meanVariance([0.08, 0.12, 0.05, 0.1], cov, { riskAversion: 3, maxWeight: 0.5 })
    closeAll(w, [0.2789688849645794, 0.27039421071866526, 0.1549543689990052, 0.29568253531775013], 1e-7)
  })

  it('satisfies the KKT conditions exactly on random problems', () => {
    fc.assert(
      fc.property(
        randomCov(),
        fc.array(fc.double({ min: -0.2, max: 0.3, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: 0.26, max: 1, noNaN: true }),
        (c, mu, cap) => {
          const w = meanVariance(mu, c, { riskAversion: 2, maxWeight: cap })
          close(
            w.reduce((a, b) => a + b, 0),
            1,
            1e-10,
          )
          // Gradient of the objective: μ − λΣw. Free weights share one value; bound weights lean the right way.
          const g = matVec(c, w).map((v, i) => mu[i]! - 2 * v)
          const free = w.map((x, i) => (x > 1e-9 && x < cap - 1e-9 ? g[i]! : NaN)).filter((x) => !Number.isNaN(x))
          const level = free.length ? free[0]! : NaN
          for (const f of free) close(f, level, 1e-8)
          w.forEach((x, i) => {
            assert.ok(x >= -1e-12 && x <= cap + 1e-12)
            if (!Number.isNaN(level) && x <= 1e-9) assert.ok(g[i]! <= level + 1e-8)
            if (!Number.isNaN(level) && x >= cap - 1e-9) assert.ok(g[i]! >= level - 1e-8)
          })
        },
      ),
    )
  })

  it('says why when caps make the budget impossible', () => {
    assert.throws(
      () => minVariance(cov, { maxWeight: 0.2 }),
      (e: unknown) => isKestrelError(e, 'PARAM_INVALID') && /no feasible weights/.test(e.message),
    )
  })
})

describe('risk parity', () => {
  it('equalises risk contributions', () => {
    const w = riskParity(cov)
    const rc = riskContributions(w, cov)
    const total = rc.reduce((a, b) => a + b, 0)
    for (const r of rc) close(r / total, 0.25, 1e-9)
  })

  it('reduces to inverse volatility for a diagonal covariance', () => {
    const d = [
      [0.04, 0, 0],
      [0, 0.09, 0],
      [0, 0, 0.01],
    ]
    closeAll(riskParity(d), inverseVolatility([0.2, 0.3, 0.1]), 1e-10)
  })
})

describe('Black-Litterman', () => {
  const wm = [0.3, 0.2, 0.3, 0.2]
  const pi = impliedReturns(cov, wm, 2.5)

  it('reverse-optimises the implied returns π = δΣw', () => {
    closeAll(pi, [0.035300000000000005, 0.04905, 0.017324999999999997, 0.034925000000000005], 1e-15)
  })

  it('matches a numpy computation of the posterior with He-Litterman Ω', () => {
    const { mu } = blackLitterman({
      cov,
      pi,
      p: [
        [1, -1, 0, 0],
        [0, 0, 1, 0],
      ],
      q: [0.02, 0.06],
      tau: 0.05,
    })
    closeAll(mu, [0.04159411564625851, 0.03567183673469388, 0.039020408163265304, 0.035346624149659875], 1e-12)
  })

  it('returns π when the views are infinitely uncertain, and honours a certain view', () => {
    const vague = blackLitterman({ cov, pi, p: [[1, 0, 0, 0]], q: [0.5], omega: [[1e12]] })
    closeAll(vague.mu, pi, 1e-9)
    const sure = blackLitterman({ cov, pi, p: [[1, 0, 0, 0]], q: [0.5], omega: [[1e-14]] })
    close(sure.mu[0]!, 0.5, 1e-6)
  })
})

describe('simple weights and rebalancing', () => {
  it('equal and inverse-volatility weights', () => {
    assert.deepEqual(equalWeight(4), [0.25, 0.25, 0.25, 0.25])
    closeAll(inverseVolatility([0.1, 0.2]), [2 / 3, 1 / 3], 1e-15)
    assert.throws(() => inverseVolatility([0.1, 0]), /vol\[1\] must be > 0/)
  })

  it('moves only as far as the turnover limit allows, keeping the sum', () => {
    const cur = [0.5, 0.5, 0]
    const tgt = [0.2, 0.3, 0.5]
    assert.equal(turnover(cur, tgt), 0.5)
    const r = rebalanceWithTurnoverLimit(cur, tgt, 0.1)
    close(turnover(cur, r.weights), 0.1, 1e-15)
    close(
      r.weights.reduce((a, b) => a + b, 0),
      1,
      1e-15,
    )
    assert.equal(r.complete, false)
    assert.deepEqual(rebalanceWithTurnoverLimit(cur, tgt, 0.6).weights, tgt)
  })
})

describe('linear algebra', () => {
  it('inverse and Cholesky reproduce the matrix', () => {
    const inv = inverse(cov)
    matMul(cov, inv).forEach((r, i) => r.forEach((v, j) => close(v, i === j ? 1 : 0, 1e-12)))
    const l = cholesky(cov)
    const llt = matMul(
      l,
      l[0]!.map((_, j) => l.map((r) => r[j]!)),
    )
    llt.forEach((r, i) => closeAll(r, cov[i]!, 1e-15))
  })
})

/** Random 4×4 covariance: AᵀA/k + small diagonal. */
function randomCov(): fc.Arbitrary<Matrix> {
  return fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }).map((xs) => {
    const a: Matrix = Array.from({ length: 6 }, (_, i) => xs.slice(i * 4, i * 4 + 4))
    const c = matMul(
      a[0]!.map((_, j) => a.map((r) => r[j]!)),
      a,
    ).map((r) => r.map((v) => v / 60))
    c.forEach((r, i) => (r[i]! += 0.001))
    return c
  })
}
