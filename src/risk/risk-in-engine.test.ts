import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { EventBus, makeInstrument, toBarSeries, type Bar, type OrderRequest } from '../core/index.ts'
import { buildBacktest, runBacktest, scriptedStrategy, type BacktestOptions } from '../engine/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { LimitsRiskEngine } from './limits-risk-engine.ts'

const inst = makeInstrument({ symbol: 'TEST', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
const T0 = Date.UTC(2024, 0, 2, 15, 0)

/** One-minute bars at the given closes (open = previous close). */
function bars(closes: number[]): Bar[] {
  return closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!
    return {
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: T0 + i * M,
      closeTime: T0 + (i + 1) * M,
      open: o,
      high: Math.max(o, c) + 0.01,
      low: Math.min(o, c) - 0.01,
      close: c,
      volume: 100_000,
    }
  })
}

function options(
  closes: number[],
  strategy: StrategyDefinition,
  risk: LimitsRiskEngine,
  bus: EventBus,
): BacktestOptions {
  return {
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: toBarSeries(bars(closes)) }],
    strategies: [{ definition: strategy }],
    account: { cash: 1_000_000 },
    risk,
    bus,
  }
}

// 100 → falls 1 per bar for 20 bars, then recovers.
const closes = [...Array.from({ length: 21 }, (_, i) => 100 - i), ...Array.from({ length: 20 }, (_, i) => 81 + i)]

describe('risk in the backtest engine', () => {
  it('flattens and blocks a strategy at its daily loss limit; equity, fills and events all show it', async () => {
    const bus = new EventBus({ historySize: 10_000 })
    const risk = new LimitsRiskEngine({ controls: { dailyLoss: { maxLoss: 5_000, action: 'kill' } } })
    // Buys 1000 at bar 0, then tries to add 10 on every bar from bar 10.
    const steps = [
      {
        bar: 0,
        make: (o: never, id: string) =>
          (o as { market: (i: string, s: string, q: number) => OrderRequest }).market(id, 'BUY', 1000),
      },
      ...Array.from({ length: 25 }, (_, k) => ({
        bar: 10 + k,
        make: (o: never, id: string) =>
          (o as { market: (i: string, s: string, q: number) => OrderRequest }).market(id, 'BUY', 10),
      })),
    ]
    const r = await runBacktest(options(closes, scriptedStrategy(steps as never), risk, bus))
    // Entry at bar 1's open (100); loss reaches 5000 when the close is 95 (bar 5's close) → kill.
    const kill = bus.history('risk.kill')
    assert.equal(kill.length, 1)
    const killTime = (kill[0]!.payload as { time: number }).time
    assert.equal(killTime, T0 + 6 * M, 'the kill fires at the close of the bar whose loss reaches the limit')
    const breach = bus.history('risk.breach.dailyLoss')[0]!.payload as { value: number; limit: number }
    assert.equal(breach.limit, 5000)
    assert.ok(breach.value >= 5000)
    // Fills: the entry, then risk's flatten at the next bar's open (95); nothing else.
    assert.deepEqual(
      r.fills.map((f) => [/^N1-R-/.test(f.clientOrderId) ? 'RISK' : 'strategy', f.side, f.quantity, f.price]),
      [
        ['strategy', 'BUY', 1000, 100],
        ['RISK', 'SELL', 1000, 95],
      ],
    )
    // Every later order of the strategy was rejected with the kill-switch reason, seen by the strategy.
    const rejected = r.orders.filter((o) => o.status === 'REJECTED')
    assert.equal(rejected.length, 25)
    for (const o of rejected) assert.match(o.rejectReason!, /KILL_SWITCH/)
    assert.equal(bus.history('risk.check.rejected').length, 25)
    assert.equal(bus.history('order.rejected').length, 25)
    // The equity curve is flat after the flatten, although the price recovers by 20.
    const eq = r.equity.value
    const afterFlat = r.equity.time.findIndex((t) => t >= T0 + 7 * M)
    for (let i = afterFlat; i < eq.length; i++) assert.equal(eq[i], 1_000_000 - 5_000)
    assert.equal(r.finalEquity, 995_000)
    assert.equal(risk.status().mode, 'killed')
    assert.equal(risk.status().counters['risk.check.rejected.KILL_SWITCH'], 25)
  })

  it('accepts orders again only after a person re-arms the kill switch, and records who and why', async () => {
    const bus = new EventBus({ historySize: 10_000 })
    const risk = new LimitsRiskEngine({ controls: { dailyLoss: { maxLoss: 5_000 } } })
    const { kernel } = buildBacktest(options(closes, scriptedStrategy([]), risk, bus))
    kernel.start()
    const rt = kernel.strategy('scripted')!
    assert.ok(rt)
    risk.kill('test: manual kill')
    const mk = () => rt.ctx.orders.market(inst.id, 'BUY', 1)
    const [x1] = rt.ctx.submit(mk())
    assert.equal(kernel.execution.order(x1!)!.status, 'REJECTED')
    assert.throws(() => risk.rearm('', 'because'), /PARAM_INVALID|give who/)
    const rec = risk.rearm('alice', 'loss reviewed with the desk head')
    assert.deepEqual(rec.cleared, ['kill'])
    const [x2] = rt.ctx.submit(mk())
    assert.notEqual(kernel.execution.order(x2!)!.status, 'REJECTED')
    assert.equal(risk.status().rearms[0]!.by, 'alice')
    assert.equal(bus.history('risk.rearm').length, 1)
  })
})

interface Box {
  submit?: (o: OrderRequest) => void
  /** A fresh client order id issued to the strategy. */
  id?: () => string
}

/** A strategy that keeps its context and submits whatever a test hands it later (a stale reference). */
function holdingStrategy(box: Box): StrategyDefinition {
  return defineStrategy({
    name: 'holder',
    params: z.object({}),
    create(ctx) {
      box.submit = (o) => void ctx.submit(o)
      box.id = () => ctx.orders.market(ctx.instruments[0]!.id, 'BUY', 1).clientOrderId
      return {}
    },
  }) as unknown as StrategyDefinition
}

describe('nothing reaches a venue without risk', () => {
  const cfg = { checks: { maxOrderQuantity: 100 } }

  it('refuses a second channel into execution', () => {
    const risk = new LimitsRiskEngine(cfg)
    const { kernel } = buildBacktest(options(closes, scriptedStrategy([]), risk, new EventBus()))
    assert.throws(() => kernel.execution.openRiskChannel(), /risk channel is already taken/)
  })

  it('a venue called directly cannot create an order or a fill the engine accepts', () => {
    const risk = new LimitsRiskEngine(cfg)
    const { kernel, venues } = buildBacktest(options(closes, scriptedStrategy([]), risk, new EventBus()))
    kernel.start()
    const forged = {
      clientOrderId: 'F1',
      strategyId: 'scripted',
      instrumentId: inst.id,
      side: 'BUY' as const,
      type: 'MARKET' as const,
      quantity: 1_000_000,
      timeInForce: 'GTC' as const,
      reduceOnly: false,
      postOnly: false,
      status: 'SUBMITTED' as const,
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: 0,
      updatedAt: 0,
    }
    assert.throws(() => {
      venues[0]!.submit(forged, T0)
      for (const b of bars(closes.slice(0, 3))) kernel.onBar(b)
    }, /unknown order F1/)
    assert.equal(kernel.portfolio.bookOf(inst.id).netQuantity, 0)
  })

  it('a strategy holding a stale reference still goes through risk, with the limits of the latest reload', () => {
    const risk = new LimitsRiskEngine(cfg)
    const box: Box = {}
    const { kernel } = buildBacktest(options(closes, holdingStrategy(box), risk, new EventBus()))
    kernel.start()
    const big = (id: string, q: number): OrderRequest => ({
      clientOrderId: id,
      strategyId: 'holder',
      instrumentId: inst.id,
      side: 'BUY',
      type: 'MARKET',
      quantity: q,
      timeInForce: 'GTC',
      reduceOnly: false,
      postOnly: false,
    })
    const s1 = box.id!()
    box.submit!(big(s1, 500))
    assert.match(kernel.execution.order(s1)!.rejectReason!, /MAX_ORDER_QUANTITY/)
    risk.reload({ checks: { maxOrderQuantity: 10 } })
    const s2 = box.id!()
    box.submit!(big(s2, 50))
    assert.match(
      kernel.execution.order(s2)!.rejectReason!,
      new RegExp(`MAX_ORDER_QUANTITY: order ${s2}: quantity 50 > limit 10`),
    )
  })

  it('a forged order that imitates risk’s own flatten order is refused before risk, or checked', () => {
    const risk = new LimitsRiskEngine(cfg)
    const box: Box = {}
    const { kernel } = buildBacktest(options(closes, holdingStrategy(box), risk, new EventBus()))
    kernel.start()
    risk.kill('test')
    const forged = (clientOrderId: string): OrderRequest => ({
      clientOrderId,
      strategyId: 'holder',
      instrumentId: inst.id,
      side: 'BUY',
      type: 'MARKET',
      quantity: 5,
      timeInForce: 'GTC',
      reduceOnly: true,
      postOnly: false,
      tags: ['risk: kill switch'],
    })
    // Risk's ids are its own namespace: a strategy can neither guess the old form nor take the new one.
    for (const id of ['RISK-99', 'N1-R-1', 'N1-R-99'])
      assert.throws(() => box.submit!(forged(id)), { code: 'ORDER_INVALID' })
    const own = box.id!()
    box.submit!(forged(own))
    assert.match(kernel.execution.order(own)!.rejectReason!, /KILL_SWITCH/)
  })

  it('an order whose fields change after they were read cannot slip past the check', () => {
    const risk = new LimitsRiskEngine(cfg)
    const box: Box = {}
    const { kernel } = buildBacktest(options(closes, holdingStrategy(box), risk, new EventBus()))
    kernel.start()
    for (const b of bars(closes.slice(0, 2))) kernel.onBar(b)
    let reads = 0
    const p1 = box.id!()
    const shifty = {
      clientOrderId: p1,
      strategyId: 'holder',
      instrumentId: inst.id,
      side: 'BUY',
      type: 'MARKET',
      get quantity() {
        return reads++ === 0 ? 1 : 1_000_000
      },
      timeInForce: 'GTC',
      reduceOnly: false,
      postOnly: false,
    } as unknown as OrderRequest
    const sent: number[] = []
    kernel.bus.subscribe('order.submitted', (e: { order: { quantity: number } }) => sent.push(e.order.quantity))
    box.submit!(shifty)
    assert.ok(reads > 0)
    assert.deepEqual(sent, [1], 'what went to the venue is what risk approved')
    assert.equal(kernel.execution.order(p1)!.quantity, 1)
  })
})

describe('backtests run the risk engine from config', () => {
  it('kills, flattens and blocks buy-and-hold on bundled SPY 1m bars at a daily loss limit from the risk: section', async () => {
    const { backtestFromConfig } = await import('../engine/index.ts')
    const { kestrelConfigSchema } = await import('../core/index.ts')
    const root = new URL('../../', import.meta.url).pathname
    const bt = kestrelConfigSchema.parse({
      strategies: [{ use: 'buy-and-hold', params: { size: 500 } }],
      account: { cash: 100_000 },
      backtest: { data: [{ file: 'data/bundled/SPY_1m.csv' }] },
    })
    const c = await backtestFromConfig(bt, root, { controls: { dailyLoss: { maxLoss: 150 } } })
    const risk = c.options.risk as LimitsRiskEngine
    assert.ok(risk instanceof LimitsRiskEngine)
    const r = await runBacktest(c.options)
    const st = risk.status()
    assert.equal(st.killed, true)
    assert.equal(st.breaches[0]!.rule, 'dailyLoss')
    assert.ok(st.breaches[0]!.value >= 150)
    // Fills: the entry, then the kill switch's flatten; the book ends flat and the curve flat after it.
    assert.equal(r.fills.length, 2)
    assert.equal(r.fills[0]!.side, 'BUY')
    assert.match(r.fills[1]!.clientOrderId, /^N1-R-\d+$/)
    assert.equal(r.fills[1]!.side, 'SELL')
    assert.equal(r.fills[1]!.quantity, 500)
    const after = r.equity.time.findIndex((t) => t >= r.fills[1]!.time)
    const flat = r.equity.value.slice(after)
    assert.ok(flat.length > 10 && flat.every((v) => v === flat[0]), 'equity stays flat after the flatten')
    assert.equal(r.finalEquity, flat[0])
    // The loss was stopped near the limit (one bar of slippage past it), not left to run.
    const loss = 100_000 - r.finalEquity
    assert.ok(loss >= 150 && loss < 400, `loss ${loss}`)
  })
})

describe('limits hold in the engine whatever a strategy does', () => {
  it('never lets the book pass its position and gross limits, for any scripted order stream (fast-check)', async () => {
    const fc = (await import('fast-check')).default
    const { randomBars } = await import('../engine/index.ts')
    const step = fc.record({
      bar: fc.integer({ min: 0, max: 59 }),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      qty: fc.integer({ min: 1, max: 40 }),
      limit: fc.option(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { nil: undefined }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const risk = new LimitsRiskEngine({ checks: { maxPosition: { default: 50 }, maxGrossExposure: 4_000 } })
        const script = steps.map((s) => ({
          bar: s.bar,
          make: (o: never, id: string) => {
            const f = o as {
              market: (i: string, side: string, q: number) => OrderRequest
              limit: (i: string, side: string, q: number, p: number) => OrderRequest
            }
            return s.limit === undefined
              ? f.market(id, s.side, s.qty)
              : f.limit(id, s.side, s.qty, Math.round(100 * (100 + 100 * s.limit)) / 100)
          },
        }))
        const r = await runBacktest({
          instruments: [inst],
          feeds: [
            {
              instrumentId: inst.id,
              timeframe: '1m',
              data: { ...randomBars(7, 60, inst.id, T0), instrumentId: inst.id },
            },
          ],
          strategies: [{ definition: scriptedStrategy(script as never) }],
          account: { cash: 1_000_000, type: 'margin', leverage: 4 },
          risk,
        })
        for (const p of r.positions) {
          assert.ok(Math.abs(p.quantity) <= 50, `position ${p.quantity}`)
          // Gross is checked at the last price; at the fill it may differ by the drift since then (< 3% here).
          assert.ok(Math.abs(p.quantity * p.avgPrice) <= 4_000 * 1.03, `gross ${p.quantity * p.avgPrice}`)
        }
      }),
      { seed: 5, numRuns: 40 },
    )
  })
})
