import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeInstrument, toBarSeries, type Bar } from '../core/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { scriptedStrategy } from './testing.ts'

const inst = makeInstrument({ symbol: 'RO', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
const bars: Bar[] = [0, 1, 2, 3].map((i) => ({
  instrumentId: inst.id,
  timeframe: '1m',
  openTime: i * M,
  closeTime: (i + 1) * M,
  open: 100,
  high: 100,
  low: 100,
  close: 100,
  volume: 1000,
}))

describe('venue report order with fill latency', () => {
  it('reports the cancel of an IOC remainder after the partial fill it follows, not before', async () => {
    // 10% of 1000 = 100 of the 300 fill on the next bar; the IOC rest is canceled in the same match.
    const r = await runBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: toBarSeries(bars) }],
      strategies: [
        {
          definition: scriptedStrategy([
            { bar: 0, make: (o, id) => o.limit(id, 'BUY', 300, 100, { timeInForce: 'IOC' }) },
          ]),
        },
      ],
      account: { cash: 100_000 },
      fill: { participation: 0.1, latency: { submitMs: 0, ackMs: 0, fillMs: 5000 } },
    })
    assert.deepEqual(
      r.fills.map((f) => [f.quantity, f.time]),
      [[100, M]],
    )
    const o = r.orders[0]!
    assert.equal(o.status, 'CANCELED')
    assert.equal(o.filledQuantity, 100)
    assert.equal(r.cash, 100_000 - 10_000)
  })
})
