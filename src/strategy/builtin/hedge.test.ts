import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { hedgeUpdate } from './hedge.ts'

describe('hedgeUpdate', () => {
  it('multiplies by exp(eta·reward), renormalises, then mixes in floor/N', () => {
    const w = Float64Array.from([0.5, 0.5])
    hedgeUpdate(w, [1, 0], Math.log(3), 0.2)
    // 0.5·3 : 0.5·1 → 0.75, 0.25; mixed: 0.8·0.75 + 0.1, 0.8·0.25 + 0.1
    assert.ok(Math.abs(w[0]! - 0.7) < 1e-15 && Math.abs(w[1]! - 0.3) < 1e-15, `${w}`)
  })

  it('keeps the weights a distribution with every weight at floor/N or more, for any rewards', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({
            steps: fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n }), {
              minLength: 1,
              maxLength: 30,
            }),
            eta: fc.double({ min: 0, max: 100, noNaN: true }),
            floor: fc.double({ min: 0, max: 1, noNaN: true }),
            n: fc.constant(n),
          }),
        ),
        ({ steps, eta, floor, n }) => {
          const w = new Float64Array(n).fill(1 / n)
          for (const r of steps) {
            hedgeUpdate(w, r, eta, floor)
            const sum = w.reduce((a, x) => a + x, 0)
            assert.ok(Math.abs(sum - 1) < 1e-12, `sum ${sum}`)
            for (const x of w) assert.ok(x >= floor / n - 1e-15 && Number.isFinite(x), `weight ${x} < ${floor / n}`)
          }
        },
      ),
    )
  })

  it('refuses a reward list of the wrong length and a negative learning rate', () => {
    assert.throws(() => hedgeUpdate(new Float64Array(2), [1], 1, 0), /1 rewards for 2 weights/)
    assert.throws(() => hedgeUpdate(new Float64Array(2), [1, 1], -1, 0), /eta must be/)
  })
})
