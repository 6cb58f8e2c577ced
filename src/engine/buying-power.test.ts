import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { makeInstrument, toBarSeries, type Bar, type OrderRequest } from '../core/index.ts'
import { defineStrategy, type OrderFactory, type StrategyDefinition } from '../strategy/index.ts'
import { buildBacktest, runBacktest, type BacktestOptions } from './backtest-runner.ts'

const inst = makeInstrument({ symbol: 'BP', venue: 'SIM', assetClass: 'equity' })
const M = 60_000

function bars(opens: number[], closes = opens, volume = 1e6): Bar[] {
  return opens.map((o, i) => ({
    instrumentId: inst.id,
    timeframe: '1m',
    openTime: i * M,
    closeTime: (i + 1) * M,
    open: o,
    high: Math.max(o, closes[i]!),
    low: Math.min(o, closes[i]!),
    close: closes[i]!,
    volume,
  }))
}

type Act = (o: OrderFactory, id: string, ctx: { cancel(id: string): void; open(): string[] }) => OrderRequest[]

/** A strategy that runs `acts[k]` at its k-th bar (submit what it returns; it may cancel). */
function script(acts: Record<number, Act>): StrategyDefinition {
  return defineStrategy({
    name: 'script',
    params: z.object({}),
    create(ctx) {
      let k = -1
      const id = ctx.instruments[0]!.id
      const c = {
        cancel: (x: string) => ctx.cancel(x),
        open: () => ctx.openOrders(id).map((o) => o.clientOrderId),
      }
      return {
        onBar() {
          const act = acts[++k]
          if (act) for (const r of act(ctx.orders, id, c)) ctx.submit(r)
        },
      }
    },
  }) as unknown as StrategyDefinition
}

const opts = (b: Bar[], s: StrategyDefinition, over: Partial<BacktestOptions> = {}): BacktestOptions => ({
  instruments: [inst],
  feeds: [{ instrumentId: inst.id, timeframe: '1m', data: toBarSeries(b) }],
  strategies: [{ definition: s }],
  account: { cash: 10_000 },
  fees: { type: 'percent', takerRate: 0.001, makerRate: 0.001 },
  ...over,
})

describe('buying power reserved for open orders', () => {
  it('accepts only the first of two buys in one bar when the cash covers one (golden)', async () => {
    const s = script({ 0: (o, id) => [o.market(id, 'BUY', 60), o.market(id, 'BUY', 60)] })
    const r = await runBacktest(opts(bars([100, 100, 100]), s))
    // The first holds 60 × 100 + 6 fee = 6006 of 10,000; the second needs 6006 more, 3994 is left.
    assert.deepEqual(
      r.fills.map((f) => [f.side, f.quantity, f.price, f.fee]),
      [['BUY', 60, 100, 6]],
    )
    const rejected = r.orders.filter((o) => o.status === 'REJECTED')
    assert.equal(rejected.length, 1)
    assert.match(rejected[0]!.rejectReason!, /^INSUFFICIENT_BUYING_POWER: BUY 60 BP\.SIM @ 100 needs 6006 cash/)
    assert.match(rejected[0]!.rejectReason!, /buying power 3994 after 6006 held by open orders/)
    assert.equal(r.cash, 10_000 - 6006)
  })

  it('frees the reservation when the order holding it is canceled', async () => {
    const s = script({
      0: (o, id) => [o.limit(id, 'BUY', 60, 90)], // rests: the market never trades at 90
      1: (o, id) => [o.market(id, 'BUY', 60)], // rejected: the limit holds 5405.4
      2: (o, id, c) => {
        for (const x of c.open()) c.cancel(x)
        return [o.market(id, 'BUY', 60)] // fits once the limit is gone
      },
    })
    const { kernel } = buildBacktest(opts(bars([100, 100, 100, 100, 100]), s))
    kernel.start()
    const held: number[] = []
    for (const b of bars([100, 100, 100, 100, 100])) {
      kernel.onBar(b)
      held.push(Math.round(kernel.portfolio.reservations.total * 100) / 100)
    }
    const r = kernel.finish()
    // 60 × 90 + 0.1% = 5405.4 held by the limit; after the cancel, the market buy holds 6006 until it fills.
    assert.deepEqual(held, [5405.4, 5405.4, 6006, 0, 0])
    assert.deepEqual(
      r.orders.map((o) => [o.type, o.status]),
      [
        ['MARKET', 'REJECTED'],
        ['LIMIT', 'CANCELED'],
        ['MARKET', 'FILLED'],
      ],
    )
    assert.equal(r.fills.length, 1)
    assert.equal(r.fills[0]!.time, 3 * M)
  })

  it('releases a partially filled order in proportion to the quantity filled', async () => {
    // Volume 1000 a bar at 10% participation: a buy of 300 fills 100 a bar over three bars.
    const s = script({ 0: (o, id) => [o.market(id, 'BUY', 300)] })
    const b = bars([100, 100, 100, 100, 100], undefined, 1000)
    const { kernel } = buildBacktest(opts(b, s, { account: { cash: 40_000 }, fill: { participation: 0.1 } }))
    kernel.start()
    const held: number[] = []
    for (const x of b) {
      kernel.onBar(x)
      held.push(Math.round(kernel.portfolio.reservations.total * 100) / 100)
    }
    const r = kernel.finish()
    assert.deepEqual(
      r.fills.map((f) => f.quantity),
      [100, 100, 100],
    )
    // 300 × 100 + 30 fee = 30,030 held; each fill of a third releases 10,010 and pays 10,010.
    assert.deepEqual(held, [30_030, 20_020, 10_010, 0, 0])
    assert.equal(r.cash, 40_000 - 30_030)
  })

  it('fills only what the cash pays for when the price gapped up since the order was reserved', async () => {
    // Reserved at the 100 close (10,010 with fees) on 10,020 cash; the next bar opens at 110.
    const s = script({ 0: (o, id) => [o.market(id, 'BUY', 100)] })
    const r = await runBacktest(opts(bars([100, 110, 110], [100, 110, 110]), s, { account: { cash: 10_020 } }))
    assert.deepEqual(
      r.fills.map((f) => [f.quantity, f.price]),
      [[90, 110]],
    )
    // 91 × 110 × 1.001 = 10,020.01 is a cent too much; 90 cost 9,909.90 and the other 10 are canceled.
    const o = r.orders[0]!
    assert.equal(o.status, 'CANCELED')
    assert.equal(o.filledQuantity, 90)
    assert.ok(Math.abs(r.cash - 110.1) < 1e-9, `cash ${r.cash}`)
    assert.equal(r.orders.length, 1)
  })
})
