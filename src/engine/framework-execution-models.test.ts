/**
 * The VWAP, iceberg, adaptive and Almgren-Chriss execution models in the framework, through `runBacktest`:
 * exact children where the schedule is deterministic, the VWAP profile kept bucket by bucket on bundled SPY
 * minute bars, and a parent started mid-session done by that session's close.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { makeInstrument, toBarSeries, type Bar, type Instrument, type SignalInput } from '../core/index.ts'
import { getCalendar } from '../data/index.ts'
import {
  almgrenChriss,
  bucketOf,
  learnVolumeProfile,
  scheduledExecution,
  type ScheduledExecutionOptions,
} from '../execution/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { loadCsvBars } from './setup.ts'

const M = 60_000
const inst = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })

/** One-minute bars: open and close `px(i)`, range ±0.5, volume 1000. */
function bars(n: number, px: (i: number) => number) {
  const out: Bar[] = []
  for (let i = 0; i < n; i++)
    out.push({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: i * M,
      closeTime: (i + 1) * M,
      open: px(i),
      high: px(i) + 0.5,
      low: px(i) - 0.5,
      close: px(i),
      volume: 1000,
    })
  return toBarSeries(out)
}

/** Emits the signal planned for a bar's close time. */
function emitter(plan: ReadonlyMap<number, SignalInput>): StrategyDefinition {
  return defineStrategy({
    name: 'emitter',
    params: z.object({}),
    create(ctx) {
      return {
        onBar(bar: Bar) {
          const s = plan.get(bar.closeTime)
          if (s) ctx.emit(s)
        },
      }
    },
  }) as unknown as StrategyDefinition
}

const eq = () => CONSTRUCTION_MODELS['equal-weight']({ cashBuffer: 0, gross: 0.5 })

async function run(execution: ScheduledExecutionOptions, px: (i: number) => number = () => 100, n = 40, at = 3) {
  const r = await runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: bars(n, px) }],
    strategies: [{ definition: emitter(new Map([[at * M, { instrumentId: inst.id, direction: 'LONG' }]])) }],
    account: { cash: 100_000 },
    framework: { construction: eq(), execution: scheduledExecution(execution) },
  })
  return { r, fills: r.fills.map((f) => [f.time / M, f.quantity, f.price]) }
}

describe('iceberg execution', () => {
  it('shows one limit slice of display at a time at the last price: 500 in five slices on five bars', async () => {
    const { r, fills } = await run({ algo: 'iceberg', display: 100 })
    assert.deepEqual(
      fills,
      [3, 4, 5, 6, 7].map((t) => [t, 100, 100]),
    )
    const children = r.orders.filter((o) => o.strategyId === 'portfolio')
    assert.ok(children.every((o) => o.type === 'LIMIT' && o.limitPrice === 100))
    assert.equal(r.parentOrders![0]!.algo, 'iceberg')
    assert.equal(r.parentOrders![0]!.filled, 500)
  })

  it('refills only when the shown slice has filled: a price above the limit leaves it resting, no new slice', async () => {
    // Shown at 100 (the close at 3 min); the market is at 103 for bars 3..9, back to 100 from bar 10.
    const px = (i: number) => (i >= 3 && i < 10 ? 103 : 100)
    const { r, fills } = await run({ algo: 'iceberg', display: 200 }, px)
    assert.deepEqual(fills, [
      [10, 200, 100],
      [11, 200, 100], // the second slice, shown at the close of bar 10
      [12, 100, 100],
    ])
    assert.equal(r.orders.filter((o) => o.strategyId === 'portfolio').length, 3, 'one order per slice')
  })
})

describe('adaptive execution', () => {
  it('on a flat price is the TWAP base: the same children as twap', async () => {
    const a = await run({ algo: 'adaptive', slices: 5, sigma: 0.01 })
    const t = await run({ algo: 'twap', slices: 5 })
    assert.deepEqual(a.fills, t.fills)
    assert.deepEqual(
      a.fills,
      [3, 4, 5, 6, 7].map((k) => [k, 100, 100]),
    )
  })

  it('buys faster while the price falls below arrival (z = move / (σ·√t), m = clamp(1 + z/2, 0.5, 2))', async () => {
    // Arrival 100 at 3 min; the price then falls 1 a bar; σ = 0.01 × 100 = 1 per √step. The parent is 500 shares.
    const px = (i: number) => (i <= 2 ? 100 : 100 - (i - 2))
    const { r, fills } = await run({ algo: 'adaptive', slices: 5, sigma: 0.01 }, px)
    assert.equal(r.parentOrders![0]!.quantity, 500)
    // step 1: z 0, 500/5 = 100; step 2 (price 99, t 1): z 1, m 1.5, 1.5 × 400/4 = 150;
    // step 3 (98, t 2): z √2, m 1.7071, 1.7071 × 250/3 = 142.26 → 142; step 4 (97, t 3): z √3, m 1.8660,
    // 1.8660 × 108/2 = 100.77 → 100; step 5: the 8 left.
    assert.deepEqual(
      fills.map((f) => f[1]),
      [100, 150, 142, 100, 8],
    )
  })
})

describe('Almgren-Chriss execution', () => {
  const base = { algo: 'almgren-chriss', slices: 3, eta: 0.01, sigma: 0.01 } as const

  it('with λ → 0 sends the TWAP model’s children exactly', async () => {
    const t = await run({ algo: 'twap', slices: 3 })
    for (const lambda of [0, 1e-12]) {
      const ac = await run({ ...base, lambda })
      assert.deepEqual(ac.fills, t.fills, `lambda ${lambda}`)
    }
    assert.deepEqual(
      t.fills.map((f) => f[1]),
      [166, 167, 167],
    )
  })

  it('front-loads with risk aversion: the children follow the closed-form trajectory in lots', async () => {
    const { fills } = await run({ ...base, lambda: 0.01 })
    const plan = almgrenChriss({
      quantity: 500,
      periods: 3,
      horizon: 3,
      sigma: 1,
      eta: 0.01,
      gamma: 0,
      epsilon: 0,
      lambda: 0.01,
    })
    const cum = [1, 2].map((k) => Math.floor(500 - plan.trajectory[k]!))
    assert.deepEqual(
      fills.map((f) => f[1]),
      [cum[0], cum[1]! - cum[0]!, 500 - cum[1]!],
    )
    assert.ok(cum[0]! > 200, `first child ${cum[0]} above TWAP's 166`)
  })

  it('without sigma estimates σ from the recent one-step returns × the arrival price', async () => {
    // Closes 100, 101, 100, … up to the decision at the close of bar 9 (101); flat at 100 afterwards.
    const px = (i: number) => (i < 10 && i % 2 === 1 ? 101 : 100)
    const { r, fills } = await run({ algo: 'almgren-chriss', slices: 4, eta: 0.01, lambda: 0.001 }, px, 40, 10)
    const c = Array.from({ length: 10 }, (_, i) => px(i))
    const ret = c.slice(1).map((x, i) => x / c[i]! - 1)
    const mean = ret.reduce((a, b) => a + b, 0) / ret.length
    const sd = Math.sqrt(ret.reduce((a, b) => a + (b - mean) ** 2, 0) / (ret.length - 1))
    const Q = r.parentOrders![0]!.quantity
    assert.equal(Q, 495)
    const plan = almgrenChriss({
      quantity: Q,
      periods: 4,
      horizon: 4,
      sigma: sd * 101,
      eta: 0.01,
      gamma: 0,
      epsilon: 0,
      lambda: 0.001,
    })
    const cum = [0, ...[1, 2, 3].map((k) => Math.floor(Q - plan.trajectory[k]!)), Q]
    assert.deepEqual(
      fills.map((f) => f[1]),
      [1, 2, 3, 4].map((k) => cum[k]! - cum[k - 1]!),
    )
    assert.ok(cum[1]! > Q / 4 + 10, `first child ${cum[1]} front-loaded`)
  })

  it('refuses gamma at or above 2·eta (no convex cost)', () => {
    assert.throws(() => scheduledExecution({ ...base, lambda: 0, gamma: 0.02 }), /gamma 0.02 must be >= 0 and below/)
  })
})

describe('VWAP execution on bundled SPY minute bars', () => {
  const file = join(import.meta.dirname, '..', '..', 'data', 'bundled', 'SPY_1m.csv')
  const nyse = getCalendar('NYSE')

  async function spy(signalAt: (spyBars: { closeTime: Float64Array }) => number) {
    const l = await loadCsvBars(file)
    const profile = learnVolumeProfile(l.series, { buckets: 13 })
    const at = signalAt(l.series)
    const spyInst: Instrument = l.instrument
    const r = await runBacktest({
      instruments: [spyInst],
      feeds: [l.feed],
      strategies: [{ definition: emitter(new Map([[at, { instrumentId: spyInst.id, direction: 'LONG' }]])) }],
      account: { cash: 10_000_000 },
      framework: { construction: eq(), execution: scheduledExecution({ algo: 'vwap', profile }) },
    })
    return { r, profile, at }
  }

  it('a parent decided before the open trades each half hour within 2 points of the profile', async () => {
    const open = Date.parse('2013-10-08T13:30:00Z')
    const { r, profile, at } = await spy((s) => s.closeTime.findLast((t) => t < open)!)
    const session = nyse.sessionAt(open)!
    const p = r.parentOrders![0]!
    assert.equal(p.start, at)
    assert.ok(p.quantity > 20_000, `${p.quantity} shares`)
    assert.equal(p.filled, p.quantity)
    const done = new Array<number>(13).fill(0)
    for (const f of r.fills) {
      assert.ok(f.time >= session.open && f.time < session.close, `fill at ${new Date(f.time).toISOString()}`)
      done[bucketOf(session, f.time, 13)]! += f.quantity / p.quantity
    }
    for (let b = 0; b < 13; b++)
      assert.ok(
        Math.abs(done[b]! - profile.shares[b]!) <= 0.02,
        `bucket ${b}: ${done[b]!.toFixed(4)} against ${profile.shares[b]!.toFixed(4)}`,
      )
  })

  it('a parent started mid-session is done by that session’s close', async () => {
    const mid = Date.parse('2013-10-09T17:00:00Z')
    const { r } = await spy((s) => s.closeTime.find((t) => t >= mid)!)
    const session = nyse.sessionAt(mid)!
    const p = r.parentOrders![0]!
    assert.equal(p.filled, p.quantity)
    assert.equal(p.start, mid)
    for (const f of r.fills)
      assert.ok(f.time >= mid && f.time < session.close, `fill at ${new Date(f.time).toISOString()}`)
    // Re-based on what is left of the profile: no catch-up lump for the part of the session already gone.
    const most = Math.max(...r.fills.map((f) => f.quantity))
    assert.ok(most < 0.02 * p.quantity, `largest child ${most} of ${p.quantity}`)
  })
})
