import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Iceberg } from './iceberg.ts'

describe('iceberg', () => {
  it('shows one slice, refills only when it is completely filled, and ends with the remainder', () => {
    const ice = new Iceberg({ quantity: 2500, display: 1000 })
    assert.deepEqual([ice.shown, ice.hidden], [1000, 1500])
    assert.equal(ice.onFill(400), 0) // 600 still shown: no refill
    assert.equal(ice.onFill(600), 1000) // completed: a new slice of 1000
    assert.deepEqual([ice.shown, ice.hidden, ice.filled], [1000, 500, 1000])
    assert.equal(ice.onFill(1000), 500) // the last slice is what is left
    assert.equal(ice.onFill(500), 0)
    assert.deepEqual([ice.shown, ice.hidden, ice.filled], [0, 0, 2500])
    assert.throws(() => ice.onFill(1), { code: 'PARAM_INVALID', message: /expected 0\.\.0/ })
  })

  it('jitters slices within ±jitter of the display, in whole lots, the same for the same seed', () => {
    const sizes = (seed: number) => {
      const ice = new Iceberg({ quantity: 100_000, display: 1000, jitter: 0.3, lot: 100, seed })
      const out = [ice.shown]
      while (ice.shown > 0) {
        const next = ice.onFill(ice.shown)
        if (next > 0) out.push(next)
      }
      return out
    }
    const a = sizes(9)
    assert.deepEqual(a, sizes(9))
    assert.notDeepEqual(a, sizes(10))
    assert.equal(
      a.reduce((x, y) => x + y, 0),
      100_000,
    )
    for (const s of a.slice(0, -1)) assert.ok(s >= 700 && s <= 1300 && s % 100 === 0, `${s}`)
    assert.ok(new Set(a).size > 3)
  })

  it('never shows more than the display (no jitter) and fills exactly the parent, for any fills (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 5e4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (quantity, display, fractions) => {
          const ice = new Iceberg({ quantity, display })
          let i = 0
          let steps = 0
          while (ice.shown > 0 && steps++ < 10_000) {
            assert.ok(ice.shown <= display)
            const f = fractions[i++ % fractions.length]!
            const before = ice.shown
            const q = f > 0.5 ? before : Math.floor(before * f)
            const refill = ice.onFill(q)
            if (refill > 0) assert.equal(q, before) // a refill only follows a completed slice
            assert.equal(ice.shown + ice.hidden + ice.filled, quantity)
          }
          if (ice.shown === 0) assert.equal(ice.filled, quantity)
        },
      ),
      { seed: 11, numRuns: 200 },
    )
  })
})
