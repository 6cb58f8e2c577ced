import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PositionTracker } from '../portfolio/index.ts'
import { positionView } from './position-view.ts'

describe('position view', () => {
  it('is a frozen copy with every field of the tracker’s position, unchanged by what the tracker does next', () => {
    const t = new PositionTracker('s1', 'ABC.SIM', 1)
    t.apply({
      fillId: 'F1',
      clientOrderId: 'N1-S1-1',
      venueOrderId: 'SIM-N1-S1-1',
      strategyId: 's1',
      instrumentId: 'ABC.SIM',
      side: 'BUY',
      quantity: 3,
      price: 10,
      fee: 0.5,
      feeCurrency: 'USD',
      liquidity: 'TAKER',
      time: 60_000,
    })
    t.mark(12)
    const v = positionView(t.position)
    assert.deepEqual(Object.keys(v), Object.keys(t.position), 'no field of the position left out')
    assert.deepEqual(v, t.position)
    assert.ok(Object.isFrozen(v))
    assert.throws(() => ((v as { quantity: number }).quantity = 0), TypeError)
    t.mark(20)
    assert.equal(v.lastPrice, 12)
    assert.equal(v.unrealizedPnl, 6)
    assert.equal(t.position.quantity, 3)
  })
})
