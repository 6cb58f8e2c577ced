import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { maxDrawdown } from './drawdown.ts'
import { worstDrawdowns } from './drawdown-periods.ts'
import { assertClose, wave100 } from './test-vectors.ts'

describe('worstDrawdowns', () => {
  it('lists each stretch under water, deepest first, with peak, trough, recovery and length', () => {
    const DAY = 86_400_000
    const value = [100, 110, 99, 105, 111, 120, 90, 100, 119, 121, 115]
    const time = value.map((_, i) => i * DAY * 2)
    const d = worstDrawdowns({ time, value })
    assert.equal(d.length, 3)
    assert.deepEqual(d[0], { peak: 5, trough: 6, recovery: 9, depth: 90 / 120 - 1, bars: 4, days: 8 })
    assert.deepEqual(d[1], { peak: 1, trough: 2, recovery: 4, depth: 99 / 110 - 1, bars: 3, days: 6 })
    assert.equal(d[2]!.recovery, undefined, 'still under water at the end')
    assert.equal(d[2]!.bars, 1)
  })
  it('its deepest drawdown is the max drawdown (wave series)', () => {
    const r = wave100()
    const value = [1]
    for (const x of r) value.push(value.at(-1)! * (1 + x))
    const d = worstDrawdowns({ time: value.map((_, i) => i), value }, 5)
    assert.ok(d.length <= 5)
    assertClose(d[0]!.depth, maxDrawdown(r), 1e-14)
  })
})
