import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { roundToLots, scheduleCost, scheduleFromTrades, twapSchedule } from './schedule.ts'

describe('schedules', () => {
  it('rounds the cumulative quantity to lots, keeping the total and each trade within a lot', () => {
    const s = roundToLots(twapSchedule(1000, 3), 100)
    // Cumulative 333.3, 666.7, 1000 → 300, 700, 1000.
    assert.deepEqual(s.trades, [300, 400, 300])
    assert.deepEqual(s.trajectory, [1000, 700, 300, 0])
    assert.equal(roundToLots(s, 0), s)
  })

  it('keeps a given total exactly and reads any schedule’s ε-cost from |n_k|', () => {
    const s = scheduleFromTrades([0.1, 0.2, 0.3], 0.6)
    assert.deepEqual(s.trades, [0.1, 0.2, 0.6 - 0.1 - 0.2])
    assert.equal(s.trajectory[0], 0.6)
    assert.equal(s.trajectory[3], 0)
    // A round trip in the middle pays ε on both legs: Σ|n| = 100 + 50 + 50 = 200.
    const zigzag = { trajectory: [100, 0, 50, 0], trades: [100, -50, 50] }
    const c = scheduleCost(zigzag, 3, { sigma: 1, eta: 0.01, gamma: 0, epsilon: 0.5 })
    assert.equal(c.expectedCost, 0.5 * 200 + 0.01 * (100 ** 2 + 50 ** 2 + 50 ** 2))
    assert.equal(c.variance, 50 ** 2)
    assert.throws(() => scheduleCost({ trajectory: [1], trades: [] }, 1, { sigma: 1, eta: 1, gamma: 0, epsilon: 0 }), {
      code: 'PARAM_INVALID',
    })
  })
})
