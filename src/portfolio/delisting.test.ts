/**
 * A delisting in the ledger: every position in the instrument closes at the last price × (1 + return), the
 * equity changes by exactly quantity × last price × return (long or short), the book is flat afterwards and
 * each close is a round trip.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { makeInstrument } from '../core/index.ts'
import { Portfolio } from './portfolio.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })

describe('delisting in the portfolio', () => {
  it('closes every strategy position at last × (1 + r); equity moves by q × last × r (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -500, max: 500 }).filter((q) => q !== 0),
          { minLength: 1, maxLength: 3 },
        ),
        fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
        fc.integer({ min: -100, max: 300 }).map((k) => k / 100),
        (qs, last, r) => {
          const p = new Portfolio({ cash: 1e7, type: 'margin', leverage: 4 })
          const b = p.book(A)
          qs.forEach((q, k) =>
            p.applyFill({
              fillId: `F${k}`,
              clientOrderId: `O${k}`,
              strategyId: `s${k}`,
              instrumentId: A.id,
              side: q > 0 ? 'BUY' : 'SELL',
              quantity: Math.abs(q),
              price: 10,
              fee: 0,
              feeCurrency: 'USD',
              liquidity: 'TAKER',
              time: 1,
            }),
          )
          p.mark(b, last, 2)
          const eq0 = p.equity()
          const flows = p.applyAccountEvent({ kind: 'DELISTING', instrumentId: A.id, time: 3, delistingReturn: r }, 3)
          const net = qs.reduce((a, q) => a + q, 0)
          assert.ok(Math.abs(p.equity() - (eq0 + net * last * r)) < 1e-6 * Math.max(1, eq0))
          assert.equal(b.netQuantity, 0)
          assert.deepEqual(
            flows.map((f) => [f.kind, f.strategyId, f.quantity]),
            qs.map((q, k) => ['DELISTING', `s${k}`, q]),
          )
          for (const [k, f] of flows.entries())
            assert.ok(Math.abs(f.amount - qs[k]! * last * (1 + r)) < 1e-6 * Math.max(1, Math.abs(f.amount)))
          assert.equal(p.trades().length, qs.length)
          for (const t of p.trades()) assert.ok(Math.abs(t.exitPrice - last * (1 + r)) < 1e-9 * last)
        },
      ),
    )
  })

  it('refuses a delisting return below -1', () => {
    const p = new Portfolio({ cash: 1000 })
    p.book(A)
    assert.throws(
      () => p.applyAccountEvent({ kind: 'DELISTING', instrumentId: A.id, time: 1, delistingReturn: -1.01 }, 1),
      /DELISTING of AAA\.SIM at 1: delistingReturn -1\.01 must be a finite number >= -1/,
    )
  })
})
