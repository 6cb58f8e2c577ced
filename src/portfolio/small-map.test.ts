import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SmallMap } from './small-map.ts'

describe('small map', () => {
  it('answers and iterates like a Map through any mix of sets and deletes, below and past its array size', () => {
    const op = fc.record({ del: fc.boolean(), key: fc.integer({ min: 0, max: 24 }).map((k) => `N1-S1-${k}`) })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const s = new SmallMap<number>()
        const m = new Map<string, number>()
        ops.forEach(({ del, key }, n) => {
          if (del) assert.equal(s.delete(key), m.delete(key), `delete ${key}`)
          else {
            s.set(key, n)
            m.set(key, n)
          }
          assert.equal(s.size, m.size)
          assert.equal(s.get(key), m.get(key))
          assert.deepEqual([...s.values()], [...m.values()], 'insertion order')
        })
      }),
      { seed: 11, numRuns: 300 },
    )
  })
})
