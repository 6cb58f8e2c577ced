import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toBarSeries } from '../../core/index.ts'
import { transactionCosts } from './tca.ts'

const MIN = 60_000
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`)

// Three bars in the interval [0, 3 min) and one after it, which must not count.
const bar = (t: number, open: number, high: number, low: number, c: number, volume: number) => ({
  instrumentId: 'X',
  timeframe: '1m',
  openTime: t * MIN,
  closeTime: (t + 1) * MIN,
  open,
  high,
  low,
  close: c,
  volume,
})
const bars = toBarSeries([
  bar(0, 100, 100.2, 99.9, 100.1, 4000),
  bar(1, 100.1, 100.3, 100.0, 100.2, 3000),
  bar(2, 100.2, 100.4, 100.1, 100.3, 1000),
  bar(3, 100.3, 105, 95, 101, 99_999),
])

describe('transaction-cost analysis', () => {
  it('gives the hand-computed shortfall, slippages and participation of a part-filled buy', () => {
    // Decided at 99.90, arrived at 100.00; 300 @ 100.10 (fee 1.5) and 500 @ 100.20 (fee 2.5) of 1000.
    const r = transactionCosts(
      { side: 'BUY', quantity: 1000, arrivalPrice: 100, decisionPrice: 99.9, start: 0, end: 3 * MIN },
      [
        { quantity: 300, price: 100.1, fee: 1.5 },
        { quantity: 500, price: 100.2, fee: 2.5 },
      ],
      { bars },
    )
    assert.equal(r.filled, 800)
    close(r.averagePrice, 80_130 / 800) // 100.1625
    const is = r.implementationShortfall
    close(is.delay, 80) // 800 × (100 − 99.9)
    close(is.execution, 130) // 80,130 − 800 × 100
    close(is.opportunity, 80) // 200 unfilled × (100.3 − 99.9)
    close(is.fees, 4)
    close(is.total, 294)
    close(is.bps, (294 / 99_900) * 1e4) // 29.4294…
    close(r.slippageVsArrivalBps, 16.25)
    // VWAP of typical prices: (300.2·4000 + 300.5·3000 + 300.8·1000)/3/8000 = 100.129166…
    close(r.intervalVwap, 2_403_100 / 24_000)
    close(r.slippageVsVwapBps, 3.329033331946236)
    close(r.closePrice, 100.3)
    close(r.slippageVsCloseBps, -13.70887337986042) // better than the close
    assert.equal(r.marketVolume, 8000)
    close(r.participation, 0.1)
  })

  it('signs a sell so that selling below the benchmarks is a cost', () => {
    const r = transactionCosts(
      { side: 'SELL', quantity: 500, arrivalPrice: 100, start: 0, end: 3 * MIN },
      [{ quantity: 500, price: 99.8 }],
      { bars, closePrice: 99.5 },
    )
    close(r.implementationShortfall.total, 100) // 500 × 0.2, filled in full: no opportunity cost
    assert.equal(r.implementationShortfall.opportunity, 0)
    assert.equal(r.implementationShortfall.delay, 0)
    close(r.slippageVsArrivalBps, 20)
    close(r.slippageVsCloseBps, (-(99.8 - 99.5) / 99.5) * 1e4) // sold above the close: a gain
  })

  it('counts an unfilled order as all opportunity cost, and refuses an empty interval', () => {
    const r = transactionCosts({ side: 'BUY', quantity: 100, arrivalPrice: 100, start: 0, end: 3 * MIN }, [], {
      bars,
    })
    close(r.implementationShortfall.total, 30) // 100 × (100.3 − 100)
    assert.ok(Number.isNaN(r.averagePrice) && r.participation === 0)
    assert.throws(
      () => transactionCosts({ side: 'BUY', quantity: 100, arrivalPrice: 100, start: 5, end: 5 }, [], { bars }),
      { code: 'PARAM_INVALID' },
    )
  })
})
