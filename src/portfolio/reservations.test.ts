import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeInstrument, type Fill } from '../core/index.ts'
import { Portfolio } from './portfolio.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })
const DAY = 86_400_000

const fill = (over: Partial<Fill> & Pick<Fill, 'fillId' | 'clientOrderId'>): Fill => ({
  strategyId: 's1',
  instrumentId: A.id,
  side: 'BUY',
  quantity: 10,
  price: 100,
  fee: 0,
  feeCurrency: 'USD',
  liquidity: 'TAKER',
  time: 0,
  ...over,
})

describe('buying power reservations', () => {
  it('refuses a second buy the first one leaves no cash for, naming the amounts', () => {
    const p = new Portfolio({ cash: 10_000 })
    p.book(A)
    assert.deepEqual(p.reserve('O1', A.id, 'BUY', 60, 100, 6), { ok: true })
    assert.equal(p.reservations.total, 6006)
    assert.deepEqual(p.reserve('O2', A.id, 'BUY', 60, 100, 6), {
      ok: false,
      reason:
        'INSUFFICIENT_BUYING_POWER: BUY 60 AAA.SIM @ 100 needs 6006 cash (fee 6), buying power 3994 after 6006 held by open orders',
    })
    p.release('O1')
    assert.equal(p.reservations.total, 0)
    assert.deepEqual(p.reserve('O2', A.id, 'BUY', 60, 100, 6), { ok: true })
  })

  it('moves the share of a partial fill into a hold of its real cost, released when the fill is applied', () => {
    const p = new Portfolio({ cash: 10_000 })
    p.book(A)
    p.reserve('O1', A.id, 'BUY', 100, 50, 5) // 5005 held
    assert.deepEqual(p.commitFill('F1', 'O1', A.id, 'BUY', 30, 49, 1.47), { ok: true })
    assert.equal(p.reservations.of('O1')!.amount, 5005 * 0.7)
    assert.equal(p.reservations.total, 5005 * 0.7 + 30 * 49 + 1.47)
    p.applyFill(fill({ fillId: 'F1', clientOrderId: 'O1', quantity: 30, price: 49, fee: 1.47 }))
    assert.equal(p.cash, 10_000 - 1471.47)
    assert.equal(p.reservations.total, 5005 * 0.7)
    p.release('O1')
    assert.equal(p.reservations.total, 0)
    assert.equal(p.reservations.count, 0)
  })

  it('refuses a fill the cash no longer covers and says which fraction would fit', () => {
    const p = new Portfolio({ cash: 1000 })
    p.book(A)
    p.reserve('O1', A.id, 'BUY', 10, 100, 0)
    const c = p.commitFill('F1', 'O1', A.id, 'BUY', 10, 125, 0)
    assert.equal(c.ok, false)
    assert.ok(!c.ok && c.available === 1000 && c.required === 1250)
    assert.deepEqual(p.commitFill('F1', 'O1', A.id, 'BUY', 8, 125, 0, true), { ok: true })
    assert.equal(p.reservations.of('O1'), undefined, 'final: the rest of the order no longer holds anything')
  })

  it('holds the position a cash account sells, so two sells cannot sell it twice; an OCO pair holds it once', () => {
    const p = new Portfolio({ cash: 10_000 })
    p.book(A)
    p.applyFill(fill({ fillId: 'F0', clientOrderId: 'O0', quantity: 10 }))
    assert.deepEqual(p.reserve('S1', A.id, 'SELL', 6, 100, 0), { ok: true })
    const r = p.reserve('S2', A.id, 'SELL', 6, 100, 0)
    assert.deepEqual(r, {
      ok: false,
      reason: 'cash account cannot sell short AAA.SIM: selling 6, position 10, 6 already held by open sells',
    })
    p.release('S1')
    assert.deepEqual(p.reserve('TP', A.id, 'SELL', 10, 110, 0, 'G1'), { ok: true })
    assert.deepEqual(p.reserve('SL', A.id, 'SELL', 10, 90, 0, 'G1'), { ok: true })
    assert.equal(p.reservations.sellQty(A.id), 10)
    assert.equal(p.reserve('S3', A.id, 'SELL', 1, 100, 0).ok, false)
  })

  it('holds initial margin in a margin account', () => {
    const p = new Portfolio({ cash: 10_000, type: 'margin', leverage: 2 })
    p.book(A)
    assert.deepEqual(p.reserve('O1', A.id, 'BUY', 150, 100, 0), { ok: true }) // 7500 of 10,000
    const r = p.reserve('O2', A.id, 'SELL', 60, 100, 0) // a short of 60 on top of nothing held: 3000 > 2500
    assert.equal(r.ok, false)
    assert.match(!r.ok ? r.reason : '', /needs 3000 initial margin .* buying power 2500/)
  })
})

describe('borrow fees in round-trip trades', () => {
  it('charges a short held for 5 days at 7.3%/year to its trade: pnl = gross − fees − borrow', () => {
    const p = new Portfolio({ cash: 100_000, type: 'margin', leverage: 2, borrowRate: 0.073 })
    const b = p.book(A)
    p.applyFill(fill({ fillId: 'F1', clientOrderId: 'O1', side: 'SELL', quantity: 100, price: 50, fee: 2, time: 0 }))
    // Marked at 50 daily: 100 × 50 × 0.073 / 365 = 1.00 a day.
    for (let d = 1; d <= 5; d++) p.mark(b, 50, d * DAY)
    const open = p.trades(true).find((t) => t.open)!
    assert.ok(Math.abs(open.borrowFees - 5) < 1e-9, `open trade borrow ${open.borrowFees}`)
    const r = p.applyFill(
      fill({ fillId: 'F2', clientOrderId: 'O2', side: 'BUY', quantity: 100, price: 45, fee: 2, time: 5 * DAY }),
    )
    const t = r.closed!
    assert.equal(t.side, 'SHORT')
    assert.equal(t.fees, 4)
    assert.ok(Math.abs(t.borrowFees - 5) < 1e-9)
    assert.ok(Math.abs(t.pnl - (500 - 4 - 5)) < 1e-9, `pnl ${t.pnl}`)
    assert.ok(Math.abs(p.equity() - 100_000 - t.pnl) < 1e-9, 'trade P&L = equity change')
    assert.ok(Math.abs(p.borrowPaid - 5) < 1e-9)
    const { realized, unrealized } = p.pnl()
    assert.ok(Math.abs(realized + unrealized - p.feesPaid - p.borrowPaid - (p.equity() - 100_000)) < 1e-9)
  })

  it('splits a borrow fee between two strategies short the same instrument by their quantities', () => {
    const p = new Portfolio({ cash: 100_000, type: 'margin', leverage: 2, borrowRate: 0.365 })
    const b = p.book(A)
    p.applyFill(fill({ fillId: 'F1', clientOrderId: 'O1', strategyId: 's1', side: 'SELL', quantity: 30, time: 0 }))
    p.applyFill(fill({ fillId: 'F2', clientOrderId: 'O2', strategyId: 's2', side: 'SELL', quantity: 10, time: 0 }))
    p.mark(b, 100, DAY) // 40 × 100 × 0.365 / 365 = 4.00
    const byStrategy = Object.fromEntries(p.trades(true).map((t) => [t.strategyId, t.borrowFees]))
    assert.ok(Math.abs(byStrategy.s1! - 3) < 1e-9 && Math.abs(byStrategy.s2! - 1) < 1e-9, JSON.stringify(byStrategy))
  })
})
