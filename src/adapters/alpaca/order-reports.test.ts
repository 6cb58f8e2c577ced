import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { ExecutionReport } from '../../core/index.ts'
import { OrderReports } from './order-reports.ts'
import type { AlpacaOrder, TradeUpdate } from './protocol.ts'

const T = '2024-01-02T14:30:00Z'

function wire(filled: number, status: string): AlpacaOrder {
  return {
    id: 'v-1',
    client_order_id: 'c1',
    created_at: T,
    updated_at: T,
    submitted_at: T,
    filled_at: null,
    expired_at: null,
    canceled_at: null,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: 'a',
    symbol: 'AAPL',
    asset_class: 'us_equity',
    notional: null,
    qty: '100',
    filled_qty: String(filled),
    filled_avg_price: filled > 0 ? '10' : null,
    order_class: '',
    order_type: 'limit',
    type: 'limit',
    side: 'buy',
    time_in_force: 'gtc',
    limit_price: '10',
    stop_price: null,
    status,
    extended_hours: false,
    legs: null,
  }
}

/** The updates of one order (of 100) in venue order: new, fills of `parts` (summing to under 100), then either a
 * last fill of the rest (`full`) or canceled. */
function lifeCycle(parts: readonly number[], full: boolean): TradeUpdate[] {
  const out: TradeUpdate[] = [{ event: 'new', timestamp: T, order: wire(0, 'new') }]
  let cum = 0
  const qs = full ? [...parts, 100 - parts.reduce((a, b) => a + b, 0)] : parts
  qs.forEach((q, i) => {
    cum += q
    const done = cum === 100
    out.push({
      event: done ? 'fill' : 'partial_fill',
      timestamp: T,
      order: wire(cum, done ? 'filled' : 'partially_filled'),
      execution_id: `e${i}`,
      qty: String(q),
      price: '10',
    })
  })
  if (cum < 100) out.push({ event: 'canceled', timestamp: T, order: wire(cum, 'canceled') })
  return out
}

describe('OrderReports', () => {
  it('turns any duplication and reordering of an order’s updates into the same reports, each once', () => {
    const parts = fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 0, maxLength: 4 })
    fc.assert(
      fc.property(
        parts,
        fc.boolean(),
        fc.array(fc.nat(), { minLength: 0, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        (ps, full, dups, order) => {
          const qs = full ? [...ps, 100 - ps.reduce((a, b) => a + b, 0)] : ps
          const updates = lifeCycle(ps, full)
          const sent = [...updates, ...dups.map((d) => updates[d % updates.length]!)]
          // A permutation of `sent` driven by `order`.
          const pool = [...sent]
          const wireOrder: TradeUpdate[] = []
          let k = 0
          while (pool.length > 0) wireOrder.push(pool.splice(order[k++ % order.length]! % pool.length, 1)[0]!)
          const got: ExecutionReport[] = []
          const r = new OrderReports('ALPACA', (x) => got.push(x))
          r.track('c1', 's1', 'AAPL.ALPACA')
          for (const u of wireOrder) r.onUpdate(u)
          const kinds = got.map((x) => x.kind)
          assert.equal(kinds[0], 'ACCEPTED')
          assert.equal(kinds.filter((x) => x === 'ACCEPTED').length, 1)
          const fills = got.flatMap((x) => (x.kind === 'FILL' ? [x.fill] : []))
          assert.deepEqual(fills.map((f) => f.fillId).sort(), qs.map((_, i) => `e${i}`).sort())
          assert.equal(
            fills.reduce((s, f) => s + f.quantity, 0),
            qs.reduce((s, q) => s + q, 0),
          )
          assert.ok(fills.every((f) => f.strategyId === 's1' && f.instrumentId === 'AAPL.ALPACA' && f.price === 10))
          const ends = kinds.filter((x) => x === 'CANCELED')
          assert.equal(ends.length, full ? 0 : 1)
          if (!full) assert.equal(kinds.at(-1), 'CANCELED')
          assert.equal(got.length, 1 + qs.length + ends.length)
        },
      ),
      { seed: 42, numRuns: 300 },
    )
  })

  it('reports a fill found by a query once, and releases the end that waited for it', () => {
    const got: ExecutionReport[] = []
    const r = new OrderReports('ALPACA', (x) => got.push(x))
    r.track('c1', 's1', 'AAPL.ALPACA')
    r.onUpdate({ event: 'new', timestamp: T, order: wire(0, 'new') })
    r.onUpdate({ event: 'canceled', timestamp: T, order: wire(30, 'canceled') })
    assert.deepEqual(
      got.map((x) => x.kind),
      ['ACCEPTED'],
    )
    const fill = {
      fillId: 'e0',
      clientOrderId: 'c1',
      venueOrderId: 'v-1',
      strategyId: 's1',
      instrumentId: 'AAPL.ALPACA',
      side: 'BUY' as const,
      quantity: 30,
      price: 10,
      fee: 0,
      feeCurrency: 'USD',
      liquidity: 'TAKER' as const,
      time: Date.parse(T),
    }
    assert.equal(r.recovered(fill), true)
    assert.equal(r.recovered(fill), false)
    assert.deepEqual(
      got.map((x) => x.kind),
      ['ACCEPTED', 'FILL', 'CANCELED'],
    )
  })
})
