import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KestrelError } from '../core/index.ts'
import { OrderFactory } from './order-factory.ts'

const invalid = (re: RegExp) => (e: unknown) =>
  e instanceof KestrelError && e.code === 'ORDER_INVALID' && re.test(e.message)

describe('order factory', () => {
  it('numbers orders per strategy so a rerun gives the same ids', () => {
    const a = new OrderFactory('s1')
    const b = new OrderFactory('s1')
    const ids = (f: OrderFactory) => [f.market('X', 'BUY', 1), f.limit('X', 'SELL', 2, 10)].map((o) => o.clientOrderId)
    assert.deepEqual(ids(a), ['s1-1', 's1-2'])
    assert.deepEqual(ids(a), ['s1-3', 's1-4'])
    assert.deepEqual(ids(b), ['s1-1', 's1-2'])
  })

  it('builds every order type with its prices, TIF and flags', () => {
    const f = new OrderFactory('s')
    const sl = f.stopLimit('X', 'BUY', 5, 101, 101.5, { timeInForce: 'DAY', reduceOnly: true })
    assert.equal(sl.type, 'STOP_LIMIT')
    assert.equal(sl.stopPrice, 101)
    assert.equal(sl.limitPrice, 101.5)
    assert.equal(sl.timeInForce, 'DAY')
    assert.equal(sl.reduceOnly, true)
    const ts = f.trailingStop('X', 'SELL', 5, 0.02, 'PERCENT')
    assert.equal(ts.trailingOffset, 0.02)
    assert.equal(ts.trailingOffsetType, 'PERCENT')
    assert.equal(f.limit('X', 'BUY', 1, 9, { postOnly: true }).postOnly, true)
  })

  it('rejects bad quantities, prices and flag combinations with ORDER_INVALID', () => {
    const f = new OrderFactory('s')
    assert.throws(() => f.market('X', 'BUY', 0), invalid(/X: quantity must be > 0, got 0/))
    assert.throws(() => f.limit('X', 'BUY', 1, -1), invalid(/limitPrice must be > 0/))
    assert.throws(() => f.market('X', 'BUY', 1, { postOnly: true }), invalid(/post-only applies to limit orders only/))
    assert.throws(
      () => f.limit('X', 'BUY', 1, 9, { postOnly: true, timeInForce: 'IOC' }),
      invalid(/post-only cannot be IOC/),
    )
    assert.throws(() => f.trailingStop('X', 'SELL', 1, 1.5, 'PERCENT'), invalid(/< 1/))
  })

  it('links groups: OCO shares a group id, OTO children name their parent, a bracket exits reduce-only', () => {
    const f = new OrderFactory('s')
    const oco = f.oco(f.limit('X', 'SELL', 1, 110), f.stop('X', 'SELL', 1, 90))
    assert.equal(oco[0]!.groupId, oco[1]!.groupId)
    assert.deepEqual(
      oco.map((o) => o.contingency),
      ['OCO', 'OCO'],
    )
    const [p, c] = f.oto(f.market('X', 'BUY', 1), f.limit('X', 'SELL', 1, 120))
    assert.equal(c!.parentOrderId, p!.clientOrderId)
    const br = f.bracket({ instrument: 'X', side: 'BUY', quantity: 3, entryPrice: 100, stopLoss: 95, takeProfit: 110 })
    assert.deepEqual(
      br.map((o) => [o.type, o.side, o.reduceOnly, o.parentOrderId]),
      [
        ['LIMIT', 'BUY', false, undefined],
        ['STOP', 'SELL', true, br[0]!.clientOrderId],
        ['LIMIT', 'SELL', true, br[0]!.clientOrderId],
      ],
    )
    assert.throws(
      () => f.bracket({ instrument: 'X', side: 'BUY', quantity: 1, entryPrice: 100, stopLoss: 105, takeProfit: 110 }),
      invalid(/either side/),
    )
  })
})
