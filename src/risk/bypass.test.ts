/**
 * Attacks on "nothing bypasses risk", each written as a user strategy would write it: only the public API
 * (`kestrel`'s exports) and the strategy context. Each one got an order or a position past its limit before the
 * engine assigned ids, fenced the bus, froze what it hands out and validated reloads as whole configs; each
 * asserts here that the limit now holds.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  EventBus,
  LimitsRiskEngine,
  buildBacktest,
  defineStrategy,
  makeInstrument,
  runBacktest,
  toBarSeries,
  z,
  type Bar,
  type BacktestResult,
  type Fill,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyHandlers,
} from '../index.ts'

const inst = makeInstrument({ symbol: 'ATK', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
const T0 = Date.UTC(2024, 0, 2, 15, 0)

function bars(closes: readonly number[]): Bar[] {
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
      volume: 1_000_000,
    }
  })
}

const flat = Array.from({ length: 12 }, () => 100)
// 100 → falls 1 per bar.
const falling = Array.from({ length: 30 }, (_, i) => 100 - i)

/** A strategy from a create function (what a user file exports). */
function strategy(
  name: string,
  create: (ctx: StrategyContext, bar: () => number) => StrategyHandlers,
): StrategyDefinition {
  return defineStrategy({
    name,
    params: z.object({}),
    create(ctx) {
      let k = -1
      const h = create(ctx, () => k)
      return {
        ...h,
        onBar(b) {
          k++
          h.onBar?.(b)
        },
      }
    },
  }) as unknown as StrategyDefinition
}

async function run(
  defs: StrategyDefinition[],
  risk: LimitsRiskEngine,
  closes: readonly number[] = flat,
  bus = new EventBus({ historySize: 10_000 }),
): Promise<BacktestResult> {
  return runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: toBarSeries(bars(closes)) }],
    strategies: defs.map((definition) => ({ definition })),
    account: { cash: 10_000_000, type: 'margin', leverage: 4 },
    risk,
    bus,
  })
}

/** Largest quantity filled on one order, and the largest |net position| reached at any fill. */
function peaks(fills: readonly Fill[]): { order: number; position: number; net: number } {
  const perOrder = new Map<string, number>()
  let net = 0
  let position = 0
  for (const f of fills) {
    perOrder.set(f.clientOrderId, (perOrder.get(f.clientOrderId) ?? 0) + f.quantity)
    net += f.side === 'BUY' ? f.quantity : -f.quantity
    position = Math.max(position, Math.abs(net))
  }
  return { order: Math.max(0, ...perOrder.values()), position, net }
}

/** Runs `f`, returning the error it threw (or undefined). */
function attempt(f: () => unknown): unknown {
  try {
    f()
    return undefined
  } catch (e) {
    return e
  }
}

const limits = { checks: { maxOrderQuantity: 100, maxPosition: { default: 200 } } }

describe('client order ids: a strategy cannot reuse an id to swap what risk checked', () => {
  it('a small order under the id of a held OTO child is refused before risk; the large child never fills', async () => {
    const errors: unknown[] = []
    const def = strategy('collider', (ctx, bar) => ({
      onBar() {
        const id = ctx.instruments[0]!.id
        if (bar() === 0) {
          // The parent rests far below the market and never fills; its child (1000) waits, unchecked.
          ctx.submit(ctx.orders.oto(ctx.orders.limit(id, 'BUY', 1, 1), ctx.orders.market(id, 'BUY', 1000)))
        } else if (bar() === 1) {
          const child = ctx.openOrders(id).find((o) => o.parentOrderId !== undefined)!
          errors.push(
            attempt(() => ctx.submit({ ...ctx.orders.market(id, 'BUY', 1), clientOrderId: child.clientOrderId })),
          )
        }
      },
    }))
    const r = await run([def], new LimitsRiskEngine(limits))
    const p = peaks(r.fills)
    assert.ok(p.order <= 100, `an order filled ${p.order} > maxOrderQuantity 100`)
    assert.ok(p.position <= 200, `position reached ${p.position} > maxPosition 200`)
    assert.equal(errors.length, 1)
    assert.match(String((errors[0] as Error)?.message), /client order id (already used|was not issued)/)
    assert.equal((errors[0] as { code?: string }).code, 'ORDER_INVALID')
  })

  it('a strategy cannot take another strategy’s id', async () => {
    const errors: unknown[] = []
    const ids: string[] = []
    const a = strategy('a', (ctx, bar) => ({
      onBar() {
        const id = ctx.instruments[0]!.id
        if (bar() === 0)
          ids.push(...ctx.submit(ctx.orders.oto(ctx.orders.limit(id, 'BUY', 1, 1), ctx.orders.market(id, 'BUY', 1000))))
      },
    }))
    const b = strategy('b', (ctx, bar) => ({
      onBar() {
        const id = ctx.instruments[0]!.id
        if (bar() === 1)
          errors.push(attempt(() => ctx.submit({ ...ctx.orders.market(id, 'BUY', 1), clientOrderId: ids[1]! })))
      },
    }))
    const r = await run([a, b], new LimitsRiskEngine(limits))
    assert.ok(peaks(r.fills).order <= 100, `an order filled ${peaks(r.fills).order}`)
    assert.equal((errors[0] as { code?: string })?.code, 'ORDER_INVALID')
  })

  it('an order under the risk engine’s own id neither breaks the kill switch nor goes out in place of risk’s order', async () => {
    const risk = new LimitsRiskEngine({ checks: { maxOrderQuantity: 100, maxPosition: { default: 200 } } })
    const guesses = ['RISK-1', 'RISK-2']
    const def = strategy('squatter', (ctx, bar) => ({
      onBar() {
        const id = ctx.instruments[0]!.id
        if (bar() === 0) ctx.submit(ctx.orders.market(id, 'BUY', 100))
        if (bar() === 1) {
          // Hold large children under the ids the risk engine will give its flatten orders.
          for (const g of guesses) {
            const [p, c] = ctx.orders.oto(ctx.orders.limit(id, 'BUY', 1, 1), ctx.orders.market(id, 'BUY', 1000))
            attempt(() => ctx.submit([p!, { ...c!, clientOrderId: g }]))
          }
        }
      },
    }))
    const { kernel } = buildBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: toBarSeries(bars(flat)) }],
      strategies: [{ definition: def }],
      account: { cash: 10_000_000 },
      risk,
    })
    kernel.start()
    const bs = bars(flat)
    for (const b of bs.slice(0, 3)) kernel.onBar(b)
    assert.doesNotThrow(() => risk.kill('test: manual kill'))
    for (const b of bs.slice(3)) kernel.onBar(b)
    const r = kernel.finish()
    const p = peaks(r.fills)
    assert.ok(p.order <= 100, `an order filled ${p.order}`)
    assert.equal(p.net, 0, 'the kill switch flattened the book')
  })
})

describe('the bus: a strategy cannot forge what risk learns from', () => {
  it('a fake order.canceled after each order does not free the exposure it reserved', async () => {
    const errors: unknown[] = []
    const def = strategy('forger', (ctx, bar) => ({
      onBar() {
        if (bar() !== 0) return
        const id = ctx.instruments[0]!.id
        for (let i = 0; i < 6; i++) {
          const [oid] = ctx.submit(ctx.orders.market(id, 'BUY', 100))
          const bus = ctx.bus as unknown as { publish: (t: string, p: unknown) => void }
          errors.push(
            attempt(() =>
              bus.publish('order.canceled', {
                kind: 'CANCELED',
                time: ctx.now(),
                order: { clientOrderId: oid, createdAt: ctx.now() },
              }),
            ),
          )
        }
      },
    }))
    const r = await run([def], new LimitsRiskEngine(limits))
    const p = peaks(r.fills)
    assert.ok(p.position <= 200, `position reached ${p.position} > maxPosition 200`)
    assert.ok(
      errors.every((e) => (e as { code?: string })?.code === 'PARAM_INVALID'),
      'publishing order.* is refused',
    )
  })

  it('a strategy that rewrites a breach event to "warn" does not stop the kill switch', async () => {
    const risk = new LimitsRiskEngine({ controls: { dailyLoss: { maxLoss: 2_000, action: 'kill' } } })
    const def = strategy('muffler', (ctx, bar) => {
      ctx.bus.subscribe('risk.breach.>', (b: { action: string }) => {
        attempt(() => (b.action = 'warn'))
      })
      return {
        onBar() {
          if (bar() === 0) ctx.submit(ctx.orders.market(ctx.instruments[0]!.id, 'BUY', 1000))
        },
      }
    })
    const r = await run([def], risk, falling)
    assert.equal(risk.isKilled, true, 'the kill switch fired')
    assert.equal(peaks(r.fills).net, 0, 'and flattened')
  })

  it('a strategy may publish its own signals and alerts', async () => {
    const seen: unknown[] = []
    const bus = new EventBus()
    bus.subscribe('signal.>', (p) => seen.push(p))
    bus.subscribe('alert.>', (p) => seen.push(p))
    const def = strategy('talker', (ctx, bar) => ({
      onBar() {
        if (bar() === 0) {
          ctx.bus.publish('signal.momentum.ATK', { score: 1 })
          ctx.bus.publish('alert.scanner.gap', { gap: 0.02 })
        }
      },
    }))
    await run([def], new LimitsRiskEngine(limits), flat, bus)
    assert.deepEqual(seen, [{ score: 1 }, { gap: 0.02 }])
  })
})

describe('what a strategy receives is immutable', () => {
  it('raising the quantity of a submitted order (event or openOrders) does not change what fills', async () => {
    const def = strategy('grower', (ctx, bar) => ({
      onOrderEvent(e) {
        if (e.kind === 'SUBMITTED') attempt(() => ((e.order as { quantity: number }).quantity = 5_000))
      },
      onBar() {
        const id = ctx.instruments[0]!.id
        if (bar() === 0) ctx.submit(ctx.orders.limit(id, 'BUY', 50, 1))
        if (bar() === 1) {
          for (const o of ctx.openOrders(id)) attempt(() => ((o as { quantity: number }).quantity = 5_000))
          ctx.submit(ctx.orders.market(id, 'BUY', 50))
        }
      },
    }))
    const r = await run([def], new LimitsRiskEngine(limits))
    const p = peaks(r.fills)
    assert.ok(p.order <= 100, `an order filled ${p.order} > maxOrderQuantity 100`)
    assert.ok(p.position <= 200, `position reached ${p.position}`)
    assert.ok(
      r.orders.every((o) => o.quantity === 50),
      'the recorded orders are what was submitted',
    )
  })

  it('zeroing the position a strategy was handed neither blinds close() nor the kill switch', async () => {
    const risk = new LimitsRiskEngine({ controls: { dailyLoss: { maxLoss: 2_000, action: 'kill' } } })
    let closeIds: string[] | undefined
    const def = strategy('hider', (ctx, bar) => ({
      onPositionChanged(p) {
        attempt(() => ((p as { quantity: number }).quantity = 0))
      },
      onBar() {
        const id = ctx.instruments[0]!.id
        if (bar() === 0) ctx.submit(ctx.orders.market(id, 'BUY', 1000))
        if (bar() === 1) attempt(() => ((ctx.position(id) as { quantity: number }).quantity = 0))
        if (bar() === 2) closeIds = ctx.close(id)
        if (bar() === 3) ctx.submit(ctx.orders.market(id, 'BUY', 1000))
      },
    }))
    const r = await run([def], risk, falling)
    assert.equal(closeIds?.length, 1, 'close() still sees the position')
    assert.equal(risk.isKilled, true)
    assert.equal(peaks(r.fills).net, 0, 'the book ends flat')
  })
})

describe('a reload cannot quietly remove limits', () => {
  const cfg = {
    checks: { maxOrderQuantity: 100, maxPosition: { default: 200 } },
    controls: { dailyLoss: { maxLoss: 2_000, action: 'kill' as const } },
  }

  for (const bad of [{}, { checks: {} }, { checks: { maxOrderQuantity: 10 } }]) {
    it(`refuses reload(${JSON.stringify(bad)}), naming the limits it would drop; the old limits stay`, async () => {
      const risk = new LimitsRiskEngine(cfg)
      assert.throws(
        () => risk.reload(bad),
        (e: Error & { code?: string }) =>
          e.code === 'CONFIG_INVALID' && /risk\.controls\.dailyLoss/.test(e.message) && /null/.test(e.message),
      )
      assert.equal(risk.config.checks.maxOrderQuantity, 100)
      assert.equal(risk.config.controls.dailyLoss?.maxLoss, 2_000)
      const r = await run(
        [
          strategy('big', (ctx, bar) => ({
            onBar() {
              if (bar() === 0) ctx.submit(ctx.orders.market(ctx.instruments[0]!.id, 'BUY', 150))
              if (bar() === 1) ctx.submit(ctx.orders.market(ctx.instruments[0]!.id, 'BUY', 100))
            },
          })),
        ],
        risk,
        falling,
      )
      assert.ok(peaks(r.fills).order <= 100)
    })
  }

  it('removes a limit only on an explicit null, logs it, and keeps the kill switch on through any reload', () => {
    const lines: string[] = []
    const risk = new LimitsRiskEngine(cfg, { log: (_l, m) => lines.push(m) })
    risk.kill('test')
    const next = risk.patch({ checks: { maxOrderQuantity: null }, controls: { dailyLoss: null } })
    assert.equal(next.checks.maxOrderQuantity, undefined)
    assert.equal(next.checks.maxPosition?.default, 200, 'a patch keeps what it does not name')
    assert.equal(next.controls.dailyLoss, undefined)
    assert.ok(
      lines.some((l) => /removed.*risk\.checks\.maxOrderQuantity/.test(l) && /risk\.controls\.dailyLoss/.test(l)),
    )
    assert.equal(risk.isKilled, true)
    risk.reload({ checks: { maxPosition: { default: 300 } }, controls: {} })
    assert.equal(risk.isKilled, true)
    assert.equal(risk.config.checks.maxPosition?.default, 300)
  })
})
