import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { makeInstrument, type Fill } from '../core/index.ts'
import { Portfolio } from './portfolio.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })
const F = makeInstrument({ symbol: 'ESZ5', venue: 'SIM', assetClass: 'future', multiplier: 50 })
let n = 0
const fill = (over: Partial<Fill>): Fill => ({
  fillId: `F${++n}`,
  clientOrderId: `O${n}`,
  strategyId: 's1',
  instrumentId: A.id,
  side: 'BUY',
  quantity: 10,
  price: 100,
  fee: 0,
  feeCurrency: 'USD',
  liquidity: 'TAKER',
  time: n * 1000,
  ...over,
})

const close = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b))

describe('portfolio accounting', () => {
  it('books a long round trip: realised P&L, fees and the trade record', () => {
    const p = new Portfolio({ cash: 10_000 })
    p.book(A)
    p.applyFill(fill({ side: 'BUY', quantity: 10, price: 100, fee: 1, time: 1 }))
    p.applyFill(fill({ side: 'SELL', quantity: 4, price: 110, fee: 0.5, time: 2 }))
    const r = p.applyFill(fill({ side: 'SELL', quantity: 6, price: 105, fee: 0.5, time: 3 }))
    assert.equal(p.cash, 10_000 - 1000 - 1 + 440 - 0.5 + 630 - 0.5)
    assert.equal(r.position.realizedPnl, 40 + 30)
    assert.deepEqual(r.closed, {
      strategyId: 's1',
      instrumentId: A.id,
      side: 'LONG',
      entryTime: 1,
      exitTime: 3,
      entryPrice: 100,
      exitPrice: 107,
      quantity: 10,
      pnl: 68,
      returnPct: 0.068,
      fees: 2,
      borrowFees: 0,
      carry: 0,
    })
  })

  it('flips a position: the closing part ends the trade, the rest opens a short', () => {
    const p = new Portfolio({ cash: 10_000, type: 'margin', leverage: 2 })
    p.book(A)
    p.applyFill(fill({ side: 'BUY', quantity: 10, price: 100, fee: 0 }))
    const r = p.applyFill(fill({ side: 'SELL', quantity: 15, price: 90, fee: 3 }))
    assert.equal(r.closed!.pnl, -100 - 2)
    assert.equal(r.position.quantity, -5)
    assert.equal(r.position.avgPrice, 90)
    const open = p.trades(true).find((t) => t.open)!
    assert.equal(open.side, 'SHORT')
    assert.equal(open.fees, 1)
  })

  it('uses the contract multiplier for futures P&L and equity', () => {
    const p = new Portfolio({ cash: 100_000, type: 'margin', leverage: 10 })
    const b = p.book(F)
    p.applyFill(fill({ instrumentId: F.id, side: 'BUY', quantity: 2, price: 5000 }))
    p.mark(b, 5010, 10)
    assert.equal(p.equity(), 100_000 + 2 * 10 * 50)
    assert.equal(p.marginUsed(), (2 * 5010 * 50) / 10)
  })

  it('charges borrow fees on short market value over time', () => {
    const p = new Portfolio({ cash: 10_000, type: 'margin', leverage: 2, borrowRate: 0.365 })
    const b = p.book(A)
    p.applyFill(fill({ side: 'SELL', quantity: 10, price: 100, time: 0 }))
    p.mark(b, 100, 86_400_000) // one day at 36.5%/year on 1000 = 1.0
    assert.ok(close(p.borrowPaid, 1, 1e-12))
    assert.ok(close(p.equity(), 10_000 - 1, 1e-12))
  })

  it('refuses a short in a cash account and a purchase beyond the cash', () => {
    const p = new Portfolio({ cash: 1000 })
    p.book(A)
    assert.deepEqual(p.canAfford(A.id, 'SELL', 1, 100, 0), {
      ok: false,
      reason: 'cash account cannot sell short AAA.SIM: selling 1, position 0',
    })
    assert.equal(p.canAfford(A.id, 'BUY', 10, 100, 0).ok, true)
    assert.equal(p.canAfford(A.id, 'BUY', 10, 100, 0.01).ok, false)
  })

  it('detects a margin account below maintenance', () => {
    const p = new Portfolio({ cash: 1000, type: 'margin', leverage: 4, maintenanceMargin: 0.1 })
    const b = p.book(A)
    p.applyFill(fill({ side: 'BUY', quantity: 40, price: 100 }))
    p.mark(b, 95, 1)
    assert.equal(p.belowMaintenance(), false) // equity 800 >= 0.1 * 3800
    p.mark(b, 78, 2)
    assert.equal(p.belowMaintenance(), true) // equity 120 < 0.1 * 3120
  })

  it('keeps cash + positions = equity and realised + unrealised - fees - borrow = equity change (property)', () => {
    const step = fc.record({
      inst: fc.constantFrom(A, F),
      strategy: fc.constantFrom('s1', 's2'),
      buy: fc.boolean(),
      qty: fc.integer({ min: 1, max: 50 }),
      price: fc.integer({ min: 100, max: 20_000 }).map((x) => x / 100),
      fee: fc.integer({ min: 0, max: 500 }).map((x) => x / 100),
      mark: fc.integer({ min: 100, max: 20_000 }).map((x) => x / 100),
    })
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.constantFrom(0, 0.05), (steps, borrowRate) => {
        const p = new Portfolio({ cash: 1e6, type: 'margin', leverage: 5, borrowRate })
        const books = { [A.id]: p.book(A), [F.id]: p.book(F) }
        let t = 0
        for (const s of steps) {
          t += 3_600_000
          p.applyFill(
            fill({
              instrumentId: s.inst.id,
              strategyId: s.strategy,
              side: s.buy ? 'BUY' : 'SELL',
              quantity: s.qty,
              price: s.price,
              fee: s.fee,
              time: t,
            }),
          )
          t += 3_600_000
          p.mark(books[s.inst.id]!, s.mark, t)
          let value = 0
          for (const pos of p.positions()) {
            const m = pos.instrumentId === F.id ? 50 : 1
            if (pos.quantity !== 0) value += pos.quantity * pos.lastPrice * m
          }
          assert.ok(close(p.cash + value, p.equity()))
          const { realized, unrealized } = p.pnl()
          assert.ok(close(realized + unrealized - p.feesPaid - p.borrowPaid, p.equity() - 1e6))
          assert.ok(p.feesPaid >= 0 && p.borrowPaid >= 0)
        }
        const tradePnl = p.trades(true).reduce((a, x) => a + x.pnl, 0)
        const { realized, unrealized } = p.pnl()
        assert.ok(close(tradePnl, realized + unrealized - p.feesPaid - p.borrowPaid))
        assert.ok(close(tradePnl, p.equity() - 1e6), 'Σ trade P&L (net of fees and borrow) = equity change')
      }),
      { seed: 42, numRuns: 200 },
    )
  })
})
