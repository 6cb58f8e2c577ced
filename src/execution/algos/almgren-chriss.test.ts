import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { almgrenChriss, almgrenChrissKappa, efficientFrontier } from './almgren-chriss.ts'
import { scheduleCost, twapSchedule } from './schedule.ts'

/** The worked example of Almgren & Chriss (2000), section 4: 10⁶ shares over 5 days in 5 periods. */
const PAPER = { quantity: 1e6, periods: 5, horizon: 5, sigma: 0.95, epsilon: 0.0625, eta: 2.5e-6, gamma: 2.5e-7 }

const close = (a: number, b: number, rel: number) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} vs ${b} (rel ${rel})`)

/** The paper's closed forms of E and V for the optimal trajectory (section 3, eq. for E(x) and V(x)). */
function closedFormMoments(lambda: number) {
  const { quantity: X, periods: N, horizon: T, sigma, eta, gamma, epsilon } = PAPER
  const tau = T / N
  const et = eta - 0.5 * gamma * tau
  const k = almgrenChrissKappa(lambda, sigma, et, tau)
  const sh2 = Math.sinh(k * T) ** 2
  const E =
    0.5 * gamma * X * X +
    epsilon * X +
    (et * X * X * Math.tanh(0.5 * k * tau) * (tau * Math.sinh(2 * k * T) + 2 * T * Math.sinh(k * tau))) /
      (2 * tau * tau * sh2)
  const V =
    (0.5 * sigma * sigma * X * X * (tau * Math.sinh(k * T) * Math.cosh(k * (T - tau)) - T * Math.sinh(k * tau))) /
    (sh2 * Math.sinh(k * tau))
  return { E, V }
}

describe('Almgren-Chriss optimal liquidation', () => {
  it("matches the paper's worked example for TWAP: E = $662,500, V = σ²τΣx_k² = 1.083·10¹²", () => {
    const twap = scheduleCost(twapSchedule(PAPER.quantity, PAPER.periods), PAPER.horizon, PAPER)
    // ½γX² = 125,000; εX = 62,500; (η̃/τ)Σn² = 2.375e-6 · 5 · (2e5)² = 475,000.
    close(twap.expectedCost, 662_500, 1e-12)
    // x_k = 0.8, 0.6, 0.4, 0.2, 0 (·10⁶): Σx² = 1.2e12; V = 0.95² · 1.2e12. The paper's closed form for the
    // linear trajectory, ⅓X²σ²T(1 − 1/N)(1 − 1/2N), gives the same.
    close(twap.variance, 0.9025 * 1.2e12, 1e-12)
    close(twap.variance, (1 / 3) * 1e12 * 0.9025 * 5 * (1 - 1 / 5) * (1 - 1 / 10), 1e-12)
    // λ = 0 is TWAP, with the same cost.
    const ac = almgrenChriss({ ...PAPER, lambda: 0 })
    assert.equal(ac.kappa, 0)
    ac.trajectory.forEach((x, j) => close(x, [1e6, 8e5, 6e5, 4e5, 2e5, 0][j]!, 1e-15))
    close(ac.expectedCost, 662_500, 1e-12)
  })

  it('for λ = 10⁻⁶ has κ from cosh(κτ) = 1 + κ̃²τ²/2 and the closed form x_j = sinh(κ(T − t_j))/sinh(κT)·X', () => {
    const lambda = 1e-6
    const plan = almgrenChriss({ ...PAPER, lambda })
    const et = 2.5e-6 - 0.5 * 2.5e-7
    const kt2 = (lambda * 0.95 ** 2) / et
    close(Math.cosh(plan.kappa * 1), 1 + kt2 / 2, 1e-14)
    // κ̃² = 10⁻⁶·0.95²/2.375·10⁻⁶ = 0.38; κ = acosh(1.19) = 0.6071 per day.
    assert.equal(plan.kappa.toFixed(4), '0.6071')
    for (let j = 0; j <= 5; j++)
      close(plan.trajectory[j]!, (Math.sinh(plan.kappa * (5 - j)) / Math.sinh(plan.kappa * 5)) * 1e6, 1e-12)
    close(
      plan.trades.reduce((a, b) => a + b, 0),
      1e6,
      1e-15,
    )
    // The schedule sums agree with the paper's closed forms for E and V.
    const cf = closedFormMoments(lambda)
    close(plan.expectedCost, cf.E, 1e-10)
    close(plan.variance, cf.V, 1e-10)
    // Front-loaded: trades fall period by period.
    for (let k = 1; k < 5; k++) assert.ok(plan.trades[k]! < plan.trades[k - 1]!)
  })

  it('tends to TWAP as λ → 0, to 1e-9 of X, the gap shrinking in proportion to λ', () => {
    const twap = twapSchedule(1e6, 5).trajectory
    const gap = (lambda: number) =>
      Math.max(...almgrenChriss({ ...PAPER, lambda }).trajectory.map((x, j) => Math.abs(x - twap[j]!) / 1e6))
    for (const lambda of [1e-17, 1e-20, 1e-300]) assert.ok(gap(lambda) < 1e-9, `λ ${lambda}: ${gap(lambda)}`)
    // The gap is O(κ²T²) = O(λ): ten times smaller λ, ten times smaller gap.
    close(gap(1e-10) / gap(1e-11), 10, 1e-4)
  })

  it('has a monotone efficient frontier: higher λ gives lower variance and higher expected cost', () => {
    const lambdas = [0, 1e-8, 1e-7, 5e-7, 1e-6, 2e-6, 1e-5, 1e-4]
    const f = efficientFrontier(PAPER, lambdas)
    for (let i = 1; i < f.length; i++) {
      assert.ok(f[i]!.variance < f[i - 1]!.variance, `V at λ ${lambdas[i]}`)
      assert.ok(f[i]!.expectedCost > f[i - 1]!.expectedCost, `E at λ ${lambdas[i]}`)
      assert.ok(f[i]!.kappa > f[i - 1]!.kappa)
    }
  })

  it('stays finite when κT is large (sinh would overflow)', () => {
    const plan = almgrenChriss({ ...PAPER, periods: 1000, horizon: 1000, lambda: 1 })
    assert.ok(plan.kappa * 1000 > 710)
    assert.ok(plan.trajectory.every((x) => Number.isFinite(x) && x >= 0))
    close(
      plan.trades.reduce((a, b) => a + b, 0),
      1e6,
      1e-12,
    )
  })

  it('has lower E + λV than TWAP and than any perturbation of its trajectory (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1e-5, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.double({ min: -2e5, max: 2e5, noNaN: true }), { minLength: 11, maxLength: 11 }),
        (lambda, periods, bumps) => {
          const p = { ...PAPER, periods, lambda }
          const plan = almgrenChriss(p)
          const u = (c: { expectedCost: number; variance: number }) => c.expectedCost + lambda * c.variance
          const best = u(plan)
          const twap = u(scheduleCost(twapSchedule(1e6, periods), 5, p))
          assert.ok(best < twap, `${best} < ${twap}`)
          const x = plan.trajectory.map((v, j) => (j === 0 || j === periods ? v : v + bumps[j - 1]!))
          const trades = x.slice(1).map((v, k) => x[k]! - v)
          const other = u(scheduleCost({ trajectory: x, trades }, 5, p))
          assert.ok(best <= other + 1e-9 * Math.abs(other), `${best} <= ${other}`)
        },
      ),
      { seed: 20000, numRuns: 300 },
    )
  })

  it('refuses a model whose η̃ = η − γτ/2 is not positive, and bad inputs, naming the parameter', () => {
    assert.throws(() => almgrenChriss({ ...PAPER, periods: 1, horizon: 100, lambda: 0 }), {
      code: 'PARAM_INVALID',
      message: /η̃ = η − γτ\/2/,
    })
    assert.throws(() => almgrenChriss({ ...PAPER, lambda: -1 }), { code: 'PARAM_INVALID', message: /^lambda -1/ })
    assert.throws(() => almgrenChriss({ ...PAPER, periods: 2.5, lambda: 0 }), { message: /^periods 2.5/ })
    assert.throws(() => almgrenChriss({ ...PAPER, eta: 0, lambda: 0 }), { message: /^eta 0/ })
  })
})
