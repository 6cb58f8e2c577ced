import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeInstrument } from '../core/index.ts'
import { targetLimits, type TargetRiskState } from './targets.ts'

const a = makeInstrument({ symbol: 'A', venue: 'X', assetClass: 'equity' })
const b = makeInstrument({ symbol: 'B', venue: 'Y', assetClass: 'equity' })
const byId = new Map([a, b].map((i) => [i.id, i]))

function state(over: Partial<TargetRiskState> = {}): TargetRiskState {
  return {
    time: 0,
    equity: 100_000,
    peakEquity: 100_000,
    instrument: (id) => byId.get(id)!,
    price: () => 10,
    quantity: () => 0,
    openedAt: () => undefined,
    closedAt: () => undefined,
    ...over,
  }
}

describe('targetLimits', () => {
  it('scales every target in a drawdown past the threshold, and not before', () => {
    const m = targetLimits({ drawdown: { threshold: 0.1, scale: 0.5 } })
    const ts = [
      { instrumentId: a.id, quantity: 1001 },
      { instrumentId: b.id, quantity: -600 },
    ]
    assert.deepEqual(
      m.manageTargets(ts, state({ equity: 91_000 })).map((t) => t.quantity),
      [1001, -600],
    )
    const cut = m.manageTargets(ts, state({ equity: 90_000 }))
    assert.deepEqual(
      cut.map((t) => [t.quantity, t.reason]),
      [
        [500, 'drawdown'],
        [-300, 'drawdown'],
      ],
    )
  })

  it('counts positions per market (venue): a second venue has its own places', () => {
    const m = targetLimits({ maxPositionsPerMarket: 1 })
    const c = makeInstrument({ symbol: 'C', venue: 'X', assetClass: 'equity' })
    byId.set(c.id, c)
    const out = m.manageTargets(
      [
        { instrumentId: a.id, quantity: 100 },
        { instrumentId: c.id, quantity: 200 },
        { instrumentId: b.id, quantity: 50 },
      ],
      state(),
    )
    // On venue X the larger entry (C: 2,000 of value) wins; B on venue Y keeps its own.
    assert.deepEqual(
      out.map((t) => t.quantity),
      [0, 200, 50],
    )
  })

  it('refuses limits out of range with the key', () => {
    assert.throws(() => targetLimits({ maxPositionFraction: 0 }), /maxPositionFraction must be in \(0, 10\]/)
    assert.throws(() => targetLimits({ maxPositionsPerMarket: 1.5 }), /maxPositionsPerMarket/)
    assert.throws(() => targetLimits({ cooldownMs: -1 }), /cooldownMs/)
    assert.throws(() => targetLimits({ drawdown: { threshold: 1.2, scale: 0.5 } }), /drawdown/)
  })
})
