/**
 * The cheap order and bar paths keep what they protect: a terminal order is frozen and is its own snapshot,
 * the venue gets a frozen copy of its own, events are made only for a listener and are frozen when made,
 * the kernel's own bus keeps nothing, and the bar a strategy is handed from columns cannot carry a change to
 * the venue, the history or the next bar.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { EventBus, SimulatedClock, makeInstrument, toBarSeries } from '../core/index.ts'
import type { Bar, Order, OrderEvent } from '../core/index.ts'
import type { ExecutionClient, ReportSink } from '../execution/index.ts'
import { defineStrategy, type StrategyContext, type StrategyDefinition } from '../strategy/index.ts'
import { buildBacktest, runBacktest } from './backtest-runner.ts'
import { Kernel } from './kernel.ts'

const inst = makeInstrument({ symbol: 'OPT', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
const closes = [10, 11, 12, 13, 14, 15, 16, 17]
const bars: Bar[] = closes.map((c, i) => ({
  instrumentId: inst.id,
  timeframe: '1m',
  openTime: i * M,
  closeTime: (i + 1) * M,
  open: c - 0.5,
  high: c + 1,
  low: c - 1,
  close: c,
  volume: 1000,
}))
const series = toBarSeries(bars)

function strategy(name: string, make: (ctx: StrategyContext) => ReturnType<StrategyDefinition['create']>) {
  return defineStrategy({ name, params: z.object({}), create: (ctx) => make(ctx) }) as unknown as StrategyDefinition
}

/** Runs `def` on the bars, with `bus` when given. */
function run(defs: StrategyDefinition[], bus?: EventBus) {
  return runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
    strategies: defs.map((definition) => ({ definition })),
    account: { cash: 100_000 },
    ...(bus ? { bus } : {}),
  })
}

describe('terminal orders', () => {
  it('are frozen and are their own snapshot: the result, execution.order() and the FILLED event share one object', async () => {
    const filled: Readonly<Order>[] = []
    let id = ''
    const def = strategy('once', (ctx) => {
      let k = 0
      return {
        onBar() {
          if (k++ === 0) id = ctx.submit(ctx.orders.market(inst.id, 'BUY', 3))[0]!
        },
        onOrderEvent(e) {
          if (e.kind === 'FILLED') filled.push(e.order)
        },
      }
    })
    const { kernel } = buildBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
      strategies: [{ definition: def }],
      account: { cash: 100_000 },
    })
    kernel.start()
    for (const b of bars) kernel.onBar(b)
    const r = kernel.finish()
    const o = kernel.execution.order(id)!
    assert.equal(o.status, 'FILLED')
    assert.ok(Object.isFrozen(o))
    assert.equal(r.orders[0], o)
    assert.equal(filled[0], o)
    assert.throws(() => ((o as { quantity: number }).quantity = 3_000), TypeError)
    assert.equal(kernel.execution.order(id)!.quantity, 3)
  })
})

describe('the venue', () => {
  it('gets a frozen copy of its own: changing it throws and never reaches the engine’s order', () => {
    const got: Readonly<Order>[] = []
    let sink: ReportSink | undefined
    const venue: ExecutionClient = {
      venue: 'SIM',
      connect: (s) => void (sink = s),
      submit: (o) => void got.push(o),
      cancel: () => {},
    }
    let id = ''
    const kernel = new Kernel({
      clock: new SimulatedClock(),
      instruments: [inst],
      barFeeds: [{ instrumentId: inst.id, timeframe: '1m' }],
      venues: [venue],
      account: { cash: 100_000 },
      strategies: [
        {
          definition: strategy('sender', (ctx) => ({
            onBar() {
              if (id === '') id = ctx.submit(ctx.orders.limit(inst.id, 'BUY', 2, 9))[0]!
            },
          })),
        },
      ],
    })
    kernel.start()
    kernel.onBar(bars[0]!)
    assert.equal(got.length, 1)
    assert.ok(Object.isFrozen(got[0]))
    assert.throws(() => ((got[0] as { quantity: number }).quantity = 2_000), TypeError)
    sink!({ kind: 'ACCEPTED', clientOrderId: id, venueOrderId: 'V1', time: M })
    const now = kernel.execution.order(id)!
    assert.equal(now.status, 'ACCEPTED')
    assert.equal(now.quantity, 2)
    assert.equal(got[0]!.status, 'SUBMITTED', 'the venue’s copy is not the engine’s record')
  })
})

describe('order events', () => {
  it('are made for listeners only, frozen; the kernel’s own bus keeps no history', async () => {
    const seen: OrderEvent[] = []
    const trader = strategy('trader', (ctx) => {
      let k = 0
      return {
        onBar() {
          if (k++ < 2) ctx.submit(ctx.orders.market(inst.id, 'BUY', 1))
        },
      }
    })
    const { kernel } = buildBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
      strategies: [{ definition: trader }],
      account: { cash: 100_000 },
    })
    kernel.start()
    for (const b of bars) kernel.onBar(b)
    assert.equal(kernel.bus.history().length, 0, 'nothing kept that the run did not ask for')
    assert.equal(kernel.finish().stats.fills, 2)

    const bus = new EventBus({ historySize: 0 })
    bus.subscribe('order.>', (e: OrderEvent) => seen.push(e))
    const r = await run([trader], bus)
    assert.equal(r.stats.fills, 2)
    assert.deepEqual(
      seen.map((e) => e.kind),
      ['SUBMITTED', 'ACCEPTED', 'FILLED', 'SUBMITTED', 'ACCEPTED', 'FILLED'],
    )
    for (const e of seen) {
      assert.ok(Object.isFrozen(e) && Object.isFrozen(e.order), `${e.kind} is frozen`)
      assert.throws(() => ((e.order as { quantity: number }).quantity = 99), TypeError)
    }
    assert.ok(Object.isFrozen(seen[2]!.fill))
  })
})

describe('bars fed from columns', () => {
  it('are one object per feed, rewritten for each bar: a copy keeps its values', async () => {
    const kept: Bar[] = []
    const copies: Bar[] = []
    await run([
      strategy('keeper', () => ({
        onBar(bar) {
          kept.push(bar)
          copies.push({ ...bar })
        },
      })),
    ])
    assert.equal(kept.length, closes.length)
    assert.ok(kept.every((b) => b === kept[0]))
    assert.deepEqual(
      copies.map((b) => b.close),
      closes,
    )
    assert.deepEqual(copies, bars)
  })

  it('carry no change a strategy makes to the venue, the history, another bar or another strategy’s next bar', async () => {
    const later: number[] = []
    const history: number[] = []
    const vandal = strategy('vandal', (ctx) => {
      let k = 0
      return {
        onBar(bar) {
          const b = bar as { -readonly [K in keyof Bar]: Bar[K] }
          if (k++ === 0) ctx.submit(ctx.orders.market(inst.id, 'BUY', 1))
          b.open = 1e9
          b.close = 1e9
          b.closeTime = 0
        },
      }
    })
    const reader = strategy('reader', (ctx) => ({
      onBar() {
        const h = ctx.history(inst.id, '1m', 1)
        history.push(h.close[0]!)
        later.push(ctx.lastPrice(inst.id))
      },
    }))
    const r = await run([vandal, reader])
    assert.deepEqual(history, closes, 'the history ring holds the real closes')
    assert.deepEqual(later, closes, 'the book is marked at the real closes')
    assert.equal(r.fills[0]!.price, bars[1]!.open, 'the order filled at the real next open')
    assert.equal(r.stats.bars, closes.length)
  })
})
