/**
 * The iceberg and VWAP examples (`examples/iceberg.yaml`, `examples/vwap.yaml`) run as `kestrel backtest --config`
 * runs them: every order is a child of exactly one parent of the example's model, the children follow the
 * model's rules, and each parent's TCA entry is what its children's fills give (recomputed here from the fills
 * with the formulas of `execution/algos/tca.ts`).
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Order } from '../core/index.ts'
import { loadCsvBars } from '../engine/index.ts'
import { backtest } from './backtest.ts'
import type { ParentTcaJson } from './backtest-result.ts'

const root = join(import.meta.dirname, '..', '..')
const example = (name: string) => join(root, 'examples', name)

async function runExample(name: string) {
  const run = await backtest({ config: example(name), env: {} })
  const parents = run.result.parentOrders ?? []
  const orders = run.result.orders
  const tca = run.report.tca as ParentTcaJson[]
  return { run, parents, orders, tca }
}

type Run = Awaited<ReturnType<typeof runExample>>

/** Every order belongs to exactly one parent (its tag), and each parent lists exactly its own orders. */
function checkParentage({ parents, orders }: Run, algo: string): Map<string, Order[]> {
  const byParent = new Map<string, Order[]>(parents.map((p) => [p.id, []]))
  for (const o of orders) {
    assert.equal(o.strategyId, 'portfolio')
    const tags = o.tags ?? []
    assert.deepEqual(tags.slice(0, 2), ['framework', algo], `${o.clientOrderId} tags`)
    const ids = tags.filter((t) => byParent.has(t))
    assert.equal(ids.length, 1, `${o.clientOrderId} belongs to one parent`)
    byParent.get(ids[0]!)!.push(o)
  }
  for (const p of parents) {
    assert.equal(p.algo, algo)
    assert.deepEqual(
      byParent.get(p.id)!.map((o) => o.clientOrderId),
      p.children,
      `${p.id} children`,
    )
    const filled = byParent.get(p.id)!.reduce((s, o) => s + o.filledQuantity, 0)
    assert.equal(p.filled, filled, `${p.id} filled = its children's fills`)
    assert.ok(p.filled <= p.quantity)
    if (p.status === 'done') assert.equal(p.filled, p.quantity, `${p.id} done means filled`)
  }
  return byParent
}

/** The TCA entry of each parent, recomputed from its children's fills and the bars of its interval. */
async function checkTca(r: Run): Promise<number> {
  const { run, parents, tca } = r
  const bars = (await loadCsvBars(join(root, 'data', 'bundled', 'SPY_1m.csv'))).series
  assert.deepEqual(
    tca.map((t) => t.id),
    parents.map((p) => p.id),
  )
  const lastTime = run.result.stats.lastTime
  let checked = 0
  for (const [k, p] of parents.entries()) {
    const t = tca[k]!
    assert.equal(t.filled, p.filled)
    assert.equal(t.children, p.children.length)
    assert.equal(t.arrivalPrice, p.arrivalPrice)
    const fills = run.result.fills.filter((f) => p.children.includes(f.clientOrderId))
    const q = fills.reduce((s, f) => s + f.quantity, 0)
    const notional = fills.reduce((s, f) => s + f.quantity * f.price, 0)
    const fees = fills.reduce((s, f) => s + f.fee, 0)
    const c = t.costs!
    assert.equal(c.filled, q)
    const sgn = p.side === 'BUY' ? 1 : -1
    const end = p.end !== undefined && p.end > p.start ? p.end : lastTime + 1
    let pv = 0
    let v = 0
    let close = NaN
    for (let i = 0; i < bars.openTime.length; i++) {
      if (bars.openTime[i]! < p.start || bars.openTime[i]! >= end) continue
      pv += ((bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3) * bars.volume[i]!
      v += bars.volume[i]!
      close = bars.close[i]!
    }
    const near = (a: number, b: number, what: string) =>
      assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${p.id} ${what}: ${a} vs ${b}`)
    near(c.implementationShortfall.fees, fees, 'fees')
    near(c.implementationShortfall.execution, sgn * (notional - q * p.arrivalPrice), 'execution cost')
    near(c.implementationShortfall.opportunity, sgn * (p.quantity - q) * (close - p.arrivalPrice), 'opportunity')
    near(c.marketVolume, v, 'market volume')
    near(c.intervalVwap, pv / v, 'interval VWAP')
    if (q > 0) {
      near(c.averagePrice, notional / q, 'average price')
      near(c.slippageVsArrivalBps, (sgn * (notional / q - p.arrivalPrice) * 1e4) / p.arrivalPrice, 'arrival bps')
      near(c.participation, q / v, 'participation')
      checked++
    }
  }
  return checked
}

describe('the iceberg example', () => {
  it('shows at most display shares at a time, one limit at the last price, the next only once it filled', async () => {
    const r = await runExample('iceberg.yaml')
    assert.deepEqual(r.run.rejected, [])
    assert.ok(r.parents.length >= 10, `${r.parents.length} parents`)
    const closes = new Map<number, number>()
    const bars = (await loadCsvBars(join(root, 'data', 'bundled', 'SPY_1m.csv'))).series
    for (let i = 0; i < bars.closeTime.length; i++) closes.set(bars.closeTime[i]!, bars.close[i]!)
    const byParent = checkParentage(r, 'iceberg')
    for (const p of r.parents) {
      const kids = byParent.get(p.id)!
      for (const [j, o] of kids.entries()) {
        assert.equal(o.type, 'LIMIT')
        assert.equal(o.side, p.side)
        assert.ok(o.quantity <= 100, `${o.clientOrderId}: ${o.quantity} shown`)
        assert.equal(o.limitPrice, closes.get(o.createdAt), `${o.clientOrderId} limit at the last close`)
        if (j > 0) {
          const prev = kids[j - 1]!
          assert.equal(prev.status, 'FILLED', `${prev.clientOrderId} filled before the next slice`)
          assert.ok(o.createdAt >= prev.updatedAt, `${o.clientOrderId} shown after ${prev.clientOrderId} filled`)
        }
      }
      if (p.status === 'done')
        assert.equal(
          kids.reduce((s, o) => s + o.quantity, 0),
          p.quantity,
        )
    }
    // the first parent: 531 shares bought as five slices of 100 and one of 31
    const first = r.parents[0]!
    assert.deepEqual(
      [first.side, first.quantity, first.status, byParent.get(first.id)!.map((o) => o.quantity)],
      ['BUY', 531, 'done', [100, 100, 100, 100, 100, 31]],
    )
    assert.ok((await checkTca(r)) >= 10)
  })
})

describe('the VWAP example', () => {
  it('trades only after the sessions its profile is learned from, each parent in its session, with its TCA', async () => {
    const r = await runExample('vwap.yaml')
    assert.deepEqual(r.run.rejected, [])
    assert.ok(r.parents.length >= 5, `${r.parents.length} parents`)
    const byParent = checkParentage(r, 'vwap')
    const learnedUntil = Date.parse('2013-10-09T00:00:00Z')
    for (const p of r.parents) {
      assert.ok(p.start >= learnedUntil, `${p.id} starts after the profile's sessions`)
      for (const o of byParent.get(p.id)!) {
        assert.equal(o.type, 'MARKET')
        assert.equal(o.side, p.side)
        assert.ok(
          o.createdAt >= p.start && (p.end === undefined || o.createdAt <= p.end),
          `${o.clientOrderId} in ${p.id}`,
        )
      }
    }
    assert.ok(r.parents.some((p) => p.status === 'done' && p.children.length > 1))
    assert.ok((await checkTca(r)) >= 3)
  })
})
