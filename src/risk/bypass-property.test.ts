/**
 * Property: whatever a strategy does through the public API (random sequences of submits, cancels,
 * "modifications" of what it was handed, contingent orders, adversarial client order ids taken from what it
 * saw on the bus or guessed from the scheme, forged bus events), no order fills past `maxOrderQuantity`, the
 * book never passes `maxPosition`, and the kill switch leaves the book flat.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  LimitsRiskEngine,
  buildBacktest,
  defineStrategy,
  makeInstrument,
  z,
  type OrderRequest,
  type OrderSide,
  type StrategyDefinition,
} from '../index.ts'
import { randomBars } from '../engine/index.ts'

const inst = makeInstrument({ symbol: 'PRP', venue: 'SIM', assetClass: 'equity' })
const T0 = Date.UTC(2024, 0, 2, 15, 0)
const BARS = 40
const MAX_QTY = 100
const MAX_POS = 200

type Pick = 'observed' | 'next' | 'legacy'
type Op =
  | { t: 'market'; side: OrderSide; qty: number }
  | { t: 'limit'; side: OrderSide; qty: number; off: number }
  | { t: 'oto'; side: OrderSide; off: number; childQty: number }
  | { t: 'bracket'; side: OrderSide; qty: number }
  | { t: 'cancel'; k: number }
  | { t: 'modify'; k: number; qty: number }
  | { t: 'steal'; k: number; qty: number; pick: Pick; side: OrderSide }
  | { t: 'forge'; k: number }
  | { t: 'zero' }
  | { t: 'close' }

const side = fc.constantFrom<OrderSide>('BUY', 'SELL')
const qty = fc.integer({ min: 1, max: 300 })
const big = fc.integer({ min: 1, max: 1000 })
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('market' as const), side, qty }),
  fc.record({ t: fc.constant('limit' as const), side, qty, off: fc.double({ min: -0.03, max: 0.03, noNaN: true }) }),
  fc.record({
    t: fc.constant('oto' as const),
    side,
    off: fc.double({ min: -0.5, max: 0.01, noNaN: true }),
    childQty: big,
  }),
  fc.record({ t: fc.constant('bracket' as const), side, qty: fc.integer({ min: 1, max: 150 }) }),
  fc.record({ t: fc.constant('cancel' as const), k: fc.nat() }),
  fc.record({ t: fc.constant('modify' as const), k: fc.nat(), qty: big }),
  fc.record({
    t: fc.constant('steal' as const),
    k: fc.nat(),
    qty: big,
    pick: fc.constantFrom<Pick>('observed', 'next', 'legacy'),
    side,
  }),
  fc.record({ t: fc.constant('forge' as const), k: fc.nat() }),
  fc.constant({ t: 'zero' as const }),
  fc.constant({ t: 'close' as const }),
)

/** Errors a strategy may legitimately get back for an attack: refused ids, refused topics, frozen objects. */
function expected(e: unknown): boolean {
  const code = (e as { code?: string }).code
  return code === 'ORDER_INVALID' || code === 'PARAM_INVALID' || e instanceof TypeError
}

function attacker(plan: readonly { bar: number; op: Op }[], errors: unknown[]): StrategyDefinition {
  return defineStrategy({
    name: 'attacker',
    params: z.object({}),
    create(ctx) {
      const id = ctx.instruments[0]!.id
      const seen: string[] = []
      ctx.bus.subscribe('order.>', (e: { order: { clientOrderId: string } }) => seen.push(e.order.clientOrderId))
      let k = -1
      const price = (off: number) => Math.max(0.01, Math.round(ctx.lastPrice(id) * (1 + off) * 100) / 100)
      const guess = (n: number): string => {
        const max = Math.max(0, ...seen.map((s) => Number(s.split('-')[2]) || 0))
        const owner = ['S1', 'S2', 'R'][n % 3]!
        return `N1-${owner}-${max + 1 + (n % 4)}`
      }
      const run = (o: Op) => {
        const f = ctx.orders
        switch (o.t) {
          case 'market':
            return ctx.submit(f.market(id, o.side, o.qty))
          case 'limit':
            return ctx.submit(f.limit(id, o.side, o.qty, price(o.side === 'BUY' ? o.off : -o.off)))
          case 'oto':
            return ctx.submit(
              f.oto(f.limit(id, o.side, 1, price(o.side === 'BUY' ? o.off : -o.off)), f.market(id, o.side, o.childQty)),
            )
          case 'bracket': {
            const p = ctx.lastPrice(id)
            const s = o.side === 'BUY' ? 1 : -1
            return ctx.submit(
              f.bracket({
                instrument: id,
                side: o.side,
                quantity: o.qty,
                stopLoss: p * (1 - 0.02 * s),
                takeProfit: p * (1 + 0.02 * s),
              }),
            )
          }
          case 'cancel': {
            const open = ctx.openOrders(id)
            if (open.length > 0) ctx.cancel(open[o.k % open.length]!.clientOrderId)
            return
          }
          case 'modify': {
            const open = ctx.openOrders(id)
            if (open.length === 0) return
            const x = open[o.k % open.length]!
            try {
              ;(x as { quantity: number }).quantity = o.qty
            } catch (e) {
              errors.push(e)
            }
            return ctx.submit({ ...(x as OrderRequest), quantity: o.qty })
          }
          case 'steal': {
            const cid =
              o.pick === 'observed' && seen.length > 0
                ? seen[o.k % seen.length]!
                : o.pick === 'legacy'
                  ? `RISK-${1 + (o.k % 5)}`
                  : guess(o.k)
            return ctx.submit({ ...f.market(id, o.side, 1 + (o.qty % MAX_QTY)), clientOrderId: cid, quantity: o.qty })
          }
          case 'forge': {
            const cid = seen[o.k % Math.max(1, seen.length)] ?? 'x'
            const bus = ctx.bus as unknown as { publish: (t: string, p: unknown) => void }
            return bus.publish('order.canceled', {
              kind: 'CANCELED',
              time: ctx.now(),
              order: { clientOrderId: cid, createdAt: 0 },
            })
          }
          case 'zero':
            ;(ctx.position(id) as { quantity: number }).quantity = 0
            return
          case 'close':
            return ctx.close(id)
        }
      }
      return {
        onOrderEvent(e) {
          try {
            ;(e.order as { quantity: number }).quantity = 10_000
          } catch (x) {
            errors.push(x)
          }
        },
        onBar() {
          k++
          for (const s of plan) {
            if (s.bar !== k) continue
            try {
              run(s.op)
            } catch (e) {
              errors.push(e)
            }
          }
        },
      }
    },
  }) as unknown as StrategyDefinition
}

/** A second strategy whose held child (far larger than the limit) is a target for stolen ids. */
const victim = defineStrategy({
  name: 'victim',
  params: z.object({}),
  create(ctx) {
    let done = false
    return {
      onBar() {
        if (done) return
        done = true
        const id = ctx.instruments[0]!.id
        ctx.submit(ctx.orders.oto(ctx.orders.limit(id, 'BUY', 1, 1), ctx.orders.market(id, 'BUY', 1000)))
      },
    }
  },
}) as unknown as StrategyDefinition

describe('no sequence of strategy actions takes an order or the book past its limit', () => {
  it('holds maxOrderQuantity and maxPosition, and the kill switch flattens (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ bar: fc.integer({ min: 0, max: BARS - 1 }), op }), { maxLength: 60 }),
        fc.integer({ min: 5, max: BARS - 8 }),
        fc.integer({ min: 1, max: 1000 }),
        (plan, killAt, seed) => {
          const errors: unknown[] = []
          const risk = new LimitsRiskEngine({
            checks: { maxOrderQuantity: MAX_QTY, maxPosition: { default: MAX_POS } },
          })
          const data = { ...randomBars(seed, BARS, inst.id, T0), instrumentId: inst.id }
          const { kernel } = buildBacktest({
            instruments: [inst],
            feeds: [{ instrumentId: inst.id, timeframe: '1m', data }],
            strategies: [{ definition: attacker(plan, errors) }, { definition: victim }],
            account: { cash: 10_000_000, type: 'margin', leverage: 4 },
            risk,
          })
          kernel.start()
          for (let i = 0; i < BARS; i++) {
            if (i === killAt) risk.kill('property: kill switch')
            kernel.onBar(
              {
                instrumentId: inst.id,
                timeframe: '1m',
                openTime: data.openTime[i]!,
                closeTime: data.closeTime[i]!,
                open: data.open[i]!,
                high: data.high[i]!,
                low: data.low[i]!,
                close: data.close[i]!,
                volume: data.volume[i]!,
              },
              kernel.feed(inst.id, '1m'),
            )
          }
          const r = kernel.finish()
          const unexpected = errors.filter((e) => !expected(e))
          assert.deepEqual(unexpected, [], 'every refusal is a typed refusal')
          const perOrder = new Map<string, number>()
          let net = 0
          for (const f of r.fills) {
            perOrder.set(f.clientOrderId, (perOrder.get(f.clientOrderId) ?? 0) + f.quantity)
            net += f.side === 'BUY' ? f.quantity : -f.quantity
            assert.ok(Math.abs(net) <= MAX_POS, `position ${net} > ${MAX_POS} after ${f.clientOrderId}`)
            // Risk's own flatten orders may be as large as the position; every other order obeys the limit.
            if (!/^N1-R-/.test(f.clientOrderId))
              assert.ok(
                perOrder.get(f.clientOrderId)! <= MAX_QTY,
                `${f.clientOrderId} filled ${perOrder.get(f.clientOrderId)}`,
              )
          }
          assert.equal(net, 0, 'the kill switch flattened the book')
          assert.equal(risk.isKilled, true)
        },
      ),
      { seed: 17, numRuns: 60 },
    )
  })
})
