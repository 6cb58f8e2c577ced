import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Rng } from './random.ts'

describe('Rng (xoroshiro128+)', () => {
  it('gives the same draws for the same seed and different ones for nearby seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const a = new Rng(seed)
        const b = new Rng(seed)
        const c = new Rng(seed + 1)
        const xa = Array.from({ length: 8 }, () => a.uniform())
        assert.deepEqual(
          xa,
          Array.from({ length: 8 }, () => b.uniform()),
        )
        assert.notDeepEqual(
          xa,
          Array.from({ length: 8 }, () => c.uniform()),
        )
      }),
      { numRuns: 50 },
    )
  })

  it('draws doubles with 53 random bits in [0, 1), not a 2^-32 grid', () => {
    const r = new Rng(42)
    let offGrid32 = 0
    for (let i = 0; i < 10_000; i++) {
      const u = r.uniform()
      assert.ok(u >= 0 && u < 1)
      assert.ok(Number.isInteger(u * 2 ** 53), 'a multiple of 2^-53')
      if (!Number.isInteger(u * 2 ** 32)) offGrid32++
    }
    assert.ok(offGrid32 > 9_990, `${offGrid32} of 10000 off the 2^-32 grid`)
  })

  it('has uniform and normal moments within 5 standard errors over 200,000 draws (seed 1)', () => {
    const r = new Rng(1)
    const n = 200_000
    let su = 0
    let su2 = 0
    let sz = 0
    let sz2 = 0
    let sz4 = 0
    for (let i = 0; i < n; i++) {
      const u = r.uniform()
      su += u
      su2 += u * u
      const z = r.normal()
      sz += z
      sz2 += z * z
      sz4 += z ** 4
    }
    const se = (sd: number) => (5 * sd) / Math.sqrt(n)
    assert.ok(Math.abs(su / n - 0.5) < se(Math.sqrt(1 / 12)), `uniform mean ${su / n}`)
    assert.ok(Math.abs(su2 / n - 1 / 3) < se(Math.sqrt(4 / 45)), `uniform E[u²] ${su2 / n}`)
    assert.ok(Math.abs(sz / n) < se(1), `normal mean ${sz / n}`)
    assert.ok(Math.abs(sz2 / n - 1) < se(Math.SQRT2), `normal variance ${sz2 / n}`)
    assert.ok(Math.abs(sz4 / n - 3) < se(Math.sqrt(96)), `normal E[z⁴] ${sz4 / n}`)
  })

  it('draws integers in [lo, hi) and reaches both ends', () => {
    const r = new Rng(3)
    const seen = new Set<number>()
    for (let i = 0; i < 1000; i++) {
      const k = r.int(-2, 3)
      assert.ok(Number.isInteger(k) && k >= -2 && k < 3)
      seen.add(k)
    }
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      [-2, -1, 0, 1, 2],
    )
  })
})
