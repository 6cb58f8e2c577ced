import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SeqTable } from './seq-table.ts'

/** Runs `ops` on a table and on a Map, checking every answer and the whole content after each step. */
function agree(ops: readonly { op: 'set' | 'delete' | 'get'; seq: number }[]): void {
  const t = new SeqTable<string>()
  const m = new Map<number, string>()
  let k = 0
  for (const { op, seq } of ops) {
    if (op === 'set') {
      const v = `v${++k}`
      t.set(seq, v)
      m.set(seq, v)
    } else if (op === 'delete') assert.equal(t.delete(seq), m.delete(seq), `delete ${seq}`)
    else assert.equal(t.get(seq), m.get(seq), `get ${seq}`)
    assert.equal(t.size, m.size)
  }
  for (const [s, v] of m) assert.equal(t.get(s), v, `entry ${s}`)
}

describe('seq table', () => {
  it('answers like a map for any mix of sets, deletes and gets, in and out of order', () => {
    const op = fc.record({
      op: fc.constantFrom('set' as const, 'delete' as const, 'get' as const),
      seq: fc.integer({ min: 1, max: 20_000 }),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => agree(ops)),
      { seed: 7, numRuns: 300 },
    )
  })

  it('keeps an entry that outlives thousands of newer ones (a resting order) and stays a map to the end', () => {
    // Order-path pattern: issue in order, most leave at once, one stays; then a forged huge seq and a late one.
    const ops: { op: 'set' | 'delete' | 'get'; seq: number }[] = [{ op: 'set', seq: 1 }]
    for (let s = 2; s <= 20_000; s++) ops.push({ op: 'set', seq: s }, { op: 'get', seq: s }, { op: 'delete', seq: s })
    ops.push({ op: 'get', seq: 1 }, { op: 'set', seq: 1e15 }, { op: 'set', seq: 20_001 }, { op: 'get', seq: 20_001 })
    ops.push({ op: 'delete', seq: 1 }, { op: 'get', seq: 1 }, { op: 'delete', seq: 1e15 }, { op: 'get', seq: 7 })
    agree(ops)
  })

  it('keeps an entry set behind the first live one when the window moves on (an id submitted late)', () => {
    // 1..1000 live, 1..100 leave, then 50 (issued long ago) comes in, then 101..500 leave: the window moves.
    const ops: { op: 'set' | 'delete' | 'get'; seq: number }[] = []
    for (let s = 1; s <= 1000; s++) ops.push({ op: 'set', seq: s })
    for (let s = 1; s <= 100; s++) ops.push({ op: 'delete', seq: s })
    ops.push({ op: 'set', seq: 50 })
    for (let s = 101; s <= 500; s++) ops.push({ op: 'delete', seq: s })
    ops.push({ op: 'get', seq: 50 }, { op: 'delete', seq: 50 }, { op: 'get', seq: 50 })
    agree(ops)
  })

  it('finds what was set after it emptied, below and above where it stood', () => {
    const t = new SeqTable<string>()
    t.set(5, 'a')
    t.set(6, 'b')
    assert.equal(t.delete(5), true)
    assert.equal(t.delete(6), true)
    assert.equal(t.size, 0)
    t.set(3, 'c') // issued before, submitted after the others finished
    t.set(7, 'd')
    assert.deepEqual([t.get(3), t.get(7), t.get(5), t.size], ['c', 'd', undefined, 2])
  })
})
