import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { Rng, makeInstrument, toBarSeries } from '../core/index.ts'
import type { OrderSide, TimeInForce } from '../core/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { buildBacktest, runBacktest, type BacktestOptions } from './backtest-runner.ts'
import { randomBars } from './testing.ts'

const inst = makeInstrument({ symbol: 'RND', venue: 'SIM', assetClass: 'equity' })
const M = 60_000

/** A strategy that throws random orders of every type at the market, seeded. */
const randomTrader = defineStrategy({
  name: 'random-trader',
  params: z.object({ seed: z.number().int(), rate: z.number().default(0.15) }),
  create(ctx) {
    const rng = new Rng(ctx.params.seed)
    const id = ctx.instruments[0]!.id
    const tifs: TimeInForce[] = ['GTC', 'GTC', 'IOC', 'FOK', 'DAY']
    return {
      onBar(bar) {
        if (rng.uniform() > ctx.params.rate) return
        const side: OrderSide = rng.uniform() < 0.5 ? 'BUY' : 'SELL'
        const q = 1 + rng.int(0, 5)
        const off = (k: number) =>
          Math.max(0.01, Math.round(bar.close * (1 + k * 0.002 * (side === 'BUY' ? -1 : 1)) * 100) / 100)
        const tif = tifs[rng.int(0, tifs.length)]!
        const kind = rng.int(0, 7)
        const o = ctx.orders
        if (kind === 0) ctx.submit(o.market(id, side, q, { timeInForce: tif }))
        else if (kind === 1) ctx.submit(o.limit(id, side, q, off(1), { timeInForce: tif }))
        else if (kind === 2) ctx.submit(o.stop(id, side, q, off(-1)))
        else if (kind === 3) ctx.submit(o.stopLimit(id, side, q, off(-1), off(-2)))
        else if (kind === 4) ctx.submit(o.trailingStop(id, side, q, 0.003, 'PERCENT'))
        else if (kind === 5) ctx.submit(o.oco(o.limit(id, side, q, off(2)), o.stop(id, side, q, off(-2))))
        else {
          const open = ctx.openOrders(id)
          if (open.length > 0) ctx.cancel(open[rng.int(0, open.length)]!.clientOrderId)
          else ctx.close(id)
        }
      },
    }
  },
}) as unknown as StrategyDefinition

function options(seed: number, n: number, strategies: number, fillKind: number): BacktestOptions {
  const fills: BacktestOptions['fill'][] = [
    {},
    { spreadBps: 5, slippage: { type: 'percent', bps: 3 } },
    { participation: 0.001, impact: { type: 'sqrt', y: 0.5 }, path: 'bar-direction' },
    {
      latency: { submitMs: 30_000, ackMs: 1000, fillMs: 1000 },
      impact: { type: 'almgren-chriss', eta: 0.1, gamma: 0.01 },
    },
  ]
  return {
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: randomBars(seed, n, inst.id) }],
    strategies: Array.from({ length: strategies }, (_, k) => ({
      definition: randomTrader,
      id: `r${k}`,
      params: { seed: seed * 31 + k },
    })),
    account: { cash: 1e6, type: 'margin', leverage: 3, borrowRate: 0.02 },
    fees:
      seed % 2
        ? { type: 'percent', takerRate: 0.001, makerRate: 0.0002 }
        : { type: 'per-share', perShare: 0.01, minPerOrder: 1 },
    fill: fills[fillKind % fills.length],
  }
}

function digest(r: Awaited<ReturnType<typeof runBacktest>>): string {
  const h = createHash('sha256')
  h.update(JSON.stringify(r.fills))
  h.update(JSON.stringify(r.orders.map((o) => [o.clientOrderId, o.status, o.filledQuantity])))
  h.update(Buffer.from(r.equity.value.buffer))
  return h.digest('hex')
}

describe('engine invariants over random strategies and random data', () => {
  it('holds accounting identities, non-negative fees, fills inside their bar and determinism', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 50, max: 400 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        async (seed, n, k, fk) => {
          const opts = options(seed, n, k, fk)
          const bars = opts.feeds[0]!.data as ReturnType<typeof randomBars>
          const r = await runBacktest(opts)
          const r2 = await runBacktest(options(seed, n, k, fk))
          assert.equal(digest(r), digest(r2))
          let realized = 0
          let unrealized = 0
          let value = 0
          const last = bars.close[n - 1]!
          for (const p of r.positions) void p
          const net = new Map<string, number>()
          for (const f of r.fills) {
            assert.ok(f.fee >= 0, `negative fee ${f.fee}`)
            const i = f.time / M
            assert.ok(
              Number.isInteger(i) && f.price >= bars.low[i]! - 1e-9 && f.price <= bars.high[i]! + 1e-9,
              `fill ${f.price} outside bar ${i}`,
            )
            net.set(f.strategyId, (net.get(f.strategyId) ?? 0) + (f.side === 'BUY' ? f.quantity : -f.quantity))
          }
          for (const q of net.values()) value += q * last
          let tradePnl = 0
          for (const t of r.trades) {
            tradePnl += t.pnl
            assert.ok(t.borrowFees >= 0 && (t.side === 'SHORT' || t.borrowFees === 0), 'borrow only on shorts')
            if (t.open) unrealized += t.pnl + t.fees + t.borrowFees
            else realized += t.pnl + t.fees + t.borrowFees
          }
          const tol = 1e-6 * Math.max(1, Math.abs(r.finalEquity))
          assert.ok(Math.abs(r.cash + value - r.finalEquity) < tol, 'cash + positions = equity')
          assert.ok(
            Math.abs(realized + unrealized - r.feesPaid - r.borrowPaid - (r.finalEquity - r.initialCash)) < tol,
            'P&L = equity change',
          )
          assert.ok(Math.abs(tradePnl - (r.finalEquity - r.initialCash)) < tol, 'Σ trade P&L = equity change')
          assert.equal(r.equity.value.at(-1), r.finalEquity)
        },
      ),
      { seed: 4, numRuns: 40 },
    )
  })

  it('never lets cash go negative in a cash account, whatever the order stream (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 50, max: 300 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 200, max: 3000 }),
        async (seed, n, k, fk, cash) => {
          const o = options(seed, n, k, fk)
          // Little cash for orders of 1–5 shares near 100: most streams try to spend more than there is.
          const opts: BacktestOptions = { ...o, account: { cash, type: 'cash' } }
          const bars = o.feeds[0]!.data as ReturnType<typeof randomBars>
          const { kernel } = buildBacktest(opts)
          const feed = kernel.feed(inst.id, '1m')
          kernel.start()
          for (let i = 0; i < n; i++) {
            kernel.onBar(
              {
                instrumentId: inst.id,
                timeframe: '1m',
                openTime: bars.openTime[i]!,
                closeTime: bars.closeTime[i]!,
                open: bars.open[i]!,
                high: bars.high[i]!,
                low: bars.low[i]!,
                close: bars.close[i]!,
                volume: bars.volume[i]!,
              },
              feed,
            )
            const p = kernel.portfolio
            assert.ok(p.cash >= -1e-9, `cash ${p.cash} < 0 after bar ${i}`)
            assert.ok(p.cash - p.reservations.total >= -1e-6, `reserved ${p.reservations.total} > cash ${p.cash}`)
            assert.ok(p.bookOf(inst.id).netQuantity >= 0, 'a cash account never goes short')
          }
          const r = kernel.finish()
          assert.ok(r.cash >= -1e-9)
          for (const f of r.fills) assert.ok(f.fee >= 0)
          if (kernel.execution.openCount === 0) assert.equal(kernel.portfolio.reservations.total, 0)
        },
      ),
      { seed: 7, numRuns: 40 },
    )
  })

  it('liquidates a margin account that falls below maintenance at the last price', async () => {
    const closes = [100, 100, 100, 90, 80, 70, 60]
    const s = toBarSeries(
      closes.map((c, i) => ({
        instrumentId: inst.id,
        timeframe: '1m',
        openTime: i * M,
        closeTime: (i + 1) * M,
        open: c,
        high: c,
        low: c,
        close: c,
        volume: 1e6,
      })),
    )
    const buy = defineStrategy({
      name: 'levered',
      params: z.object({}),
      create: (ctx) => {
        let done = false
        return {
          onBar() {
            if (!done) ctx.submit(ctx.orders.market(inst.id, 'BUY', 400))
            done = true
          },
        }
      },
    }) as unknown as StrategyDefinition
    const r = await runBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: s }],
      strategies: [{ definition: buy }],
      account: { cash: 10_000, type: 'margin', leverage: 4, maintenanceMargin: 0.1 },
    })
    // 400 @ 100 = 40,000 on 10,000 equity. At the 80 close: equity 2,000 < 0.1 * 32,000 → liquidated at 80.
    assert.deepEqual(
      r.fills.map((f) => [f.side, f.quantity, f.price, f.time / M]),
      [
        ['BUY', 400, 100, 1],
        ['SELL', 400, 80, 5],
      ],
    )
    assert.equal(r.finalEquity, 2000)
    assert.match(r.orders.find((o) => o.clientOrderId.includes('LIQ'))!.tags![0]!, /liquidation/)
  })
})
