import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TradeRecord } from '../types.ts'
import { outcomeStats, tradedNotional, tradeStats } from './trade-stats.ts'
import { assertClose } from './test-vectors.ts'

function trade(pnl: number, entryPrice = 100, exitPrice = 100, quantity = 10): TradeRecord {
  return {
    instrumentId: 'SPY',
    side: 'LONG',
    entryTime: 0,
    exitTime: 60_000,
    entryPrice,
    exitPrice,
    quantity,
    pnl,
    returnPct: pnl / (entryPrice * quantity),
    fees: 1,
  }
}

describe('trade statistics', () => {
  it('computes profit factor, expectancy, hit rate, average win/loss and payoff by hand', () => {
    const s = tradeStats([trade(300), trade(-100), trade(200), trade(-200), trade(0)])
    assert.equal(s.basis, 'trades')
    assert.equal(s.count, 5)
    assert.equal(s.wins, 2)
    assert.equal(s.losses, 2)
    assertClose(s.profitFactor, 500 / 300, 1e-15)
    assertClose(s.expectancy, 200 / 5, 1e-15)
    assertClose(s.hitRate, 0.4, 1e-15)
    assertClose(s.averageWin, 250, 1e-15)
    assertClose(s.averageLoss, -150, 1e-15)
    assertClose(s.payoffRatio, 250 / 150, 1e-15)
  })
  it('says Infinity for a profit factor without losses and NaN where a statistic is undefined', () => {
    const s = tradeStats([trade(10), trade(20)])
    assert.equal(s.profitFactor, Infinity)
    assert.ok(Number.isNaN(s.averageLoss) && Number.isNaN(s.payoffRatio))
    const none = outcomeStats([], 'periods')
    assert.ok([none.profitFactor, none.expectancy, none.hitRate].every(Number.isNaN))
  })
  it('sums entry and exit notional for turnover', () => {
    assert.equal(tradedNotional([trade(0, 100, 110, 10), trade(0, 50, 40, 2)]), 1000 + 1100 + 100 + 80)
  })
})
