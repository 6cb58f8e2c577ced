import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Ring } from './ring.ts'

const held = (r: Ring) => Array.from({ length: r.length }, (_, i) => r.ago(r.length - 1 - i))

describe('Ring', () => {
  it('keeps the last `size` values, returns the one pushed out, and undoes one push exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 30 }),
        fc.double({ noNaN: true }),
        (size, xs, y) => {
          const r = new Ring(size)
          for (const x of xs) r.push(x)
          const before = held(r)
          assert.deepEqual(before, xs.slice(Math.max(0, xs.length - size)))
          const out = r.push(y)
          if (xs.length >= size) assert.equal(out, xs[xs.length - size])
          else assert.ok(Number.isNaN(out))
          assert.equal(r.ago(0), y)
          assert.equal(r.at(r.count - 1), y)
          r.undo()
          assert.deepEqual(held(r), before)
          assert.equal(r.count, xs.length)
        },
      ),
      { seed: 42 },
    )
  })

  it('after mark, undo rolls back only a push made since the mark', () => {
    const r = new Ring(3)
    r.push(1)
    r.push(2)
    r.mark()
    r.undo()
    assert.deepEqual(held(r), [1, 2])
    r.push(3)
    r.undo()
    assert.deepEqual(held(r), [1, 2])
    r.clear()
    assert.equal(r.length, 0)
    assert.ok(Number.isNaN(r.ago(0)))
  })
})
