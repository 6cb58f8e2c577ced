import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { isoUtc } from '../core/index.ts'
import { buyAndHold, smaCross, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { loadCsvBars } from './setup.ts'

const SPY_1D = fileURLToPath(new URL('../../data/bundled/SPY_1d.csv', import.meta.url))

describe('no look-ahead on daily bars stamped at 00:00Z (bundled SPY_1d)', () => {
  for (const [name, def, params] of [
    ['sma-cross 10/30', smaCross, { fast: 10, slow: 30, size: 100 }],
    ['buy-and-hold', buyAndHold, {}],
  ] as const) {
    it(`${name}: every fill is at or after the close of the bar its order was decided on, at the next open`, async () => {
      const csv = await loadCsvBars(SPY_1D)
      const s = csv.series
      const n = s.openTime.length
      assert.ok(n > 1000, `SPY_1d has ${n} bars`)
      assert.equal(isoUtc(s.openTime[0]!).slice(10), 'T00:00:00Z', 'daily bars are stamped at 00:00Z')
      const r = await runBacktest({
        instruments: [csv.instrument],
        feeds: [csv.feed],
        strategies: [{ definition: def as unknown as StrategyDefinition, params }],
        account: { cash: 1_000_000 },
        fees: { type: 'percent', takerRate: 0.001, makerRate: 0.001 },
      })
      assert.ok(r.fills.length >= (name === 'buy-and-hold' ? 1 : 20), `${r.fills.length} fills`)
      const closeIndex = new Map<number, number>()
      for (let i = 0; i < n; i++) closeIndex.set(s.closeTime[i]!, i)
      const orders = new Map(r.orders.map((o) => [o.clientOrderId, o]))
      for (const f of r.fills) {
        const o = orders.get(f.clientOrderId)!
        const decided = closeIndex.get(o.createdAt)
        assert.ok(
          decided !== undefined,
          `order ${o.clientOrderId} was submitted at a bar close (${isoUtc(o.createdAt)})`,
        )
        assert.ok(
          f.time >= o.createdAt,
          `fill ${f.fillId} at ${isoUtc(f.time)} is before its decision at ${isoUtc(o.createdAt)}`,
        )
        // The decision is taken at the close of bar `decided`; the market order fills at the next bar's open.
        assert.equal(f.time, s.openTime[decided + 1], `fill ${f.fillId} is stamped with the next bar's open time`)
        assert.equal(f.price, s.open[decided + 1])
        assert.match(isoUtc(f.time), /^\d{4}-\d\d-\d\dT00:00:00Z$/)
      }
    })
  }
})
