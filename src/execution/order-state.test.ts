import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { KestrelError, type Order, type OrderStatus } from '../core/index.ts'
import { canTransition, isTerminal, transition } from './order-state.ts'

const ALL: OrderStatus[] = [
  'INITIALIZED',
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
]

const order = (status: OrderStatus): Order => ({
  clientOrderId: 'O-1',
  strategyId: 's',
  instrumentId: 'X.SIM',
  side: 'BUY',
  type: 'MARKET',
  quantity: 1,
  timeInForce: 'GTC',
  reduceOnly: false,
  postOnly: false,
  status,
  filledQuantity: 0,
  avgFillPrice: NaN,
  createdAt: 0,
  updatedAt: 0,
})

describe('order state machine', () => {
  it('walks the normal life of an order and stamps the time', () => {
    const o = order('INITIALIZED')
    for (const [s, t] of [
      ['SUBMITTED', 1],
      ['ACCEPTED', 2],
      ['PARTIALLY_FILLED', 3],
      ['FILLED', 4],
    ] as const)
      transition(o, s, t)
    assert.equal(o.status, 'FILLED')
    assert.equal(o.updatedAt, 4)
  })

  it('raises STATE_INVALID naming the order and both states for an illegal move', () => {
    assert.throws(
      () => transition(order('INITIALIZED'), 'FILLED', 1),
      (e) =>
        e instanceof KestrelError &&
        e.code === 'STATE_INVALID' &&
        e.message === 'order O-1: illegal transition INITIALIZED -> FILLED',
    )
    assert.equal(canTransition('ACCEPTED', 'SUBMITTED'), false)
    assert.equal(canTransition('PENDING_CANCEL', 'FILLED'), true)
  })

  it('never leaves a terminal state (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL), { maxLength: 20 }), (steps) => {
        const o = order('INITIALIZED')
        let terminalAt: OrderStatus | undefined
        for (const s of steps) {
          try {
            transition(o, s, 0)
          } catch (e) {
            assert.ok(e instanceof KestrelError && e.code === 'STATE_INVALID')
          }
          if (terminalAt) assert.equal(o.status, terminalAt)
          else if (isTerminal(o.status)) terminalAt = o.status
        }
      }),
      { seed: 1, numRuns: 500 },
    )
  })
})
