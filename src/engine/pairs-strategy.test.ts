import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, allocBarSeries, makeInstrument, type BarSeries } from '../core/index.ts'
import { fitLine } from '../features/index.ts'
import { pairs, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'

const Y = makeInstrument({ symbol: 'YYY', venue: 'SIM', assetClass: 'equity' })
const X = makeInstrument({ symbol: 'XXX', venue: 'SIM', assetClass: 'equity' })
const DAY = 86_400_000

/** Daily bars whose closes are `close` and whose opens sit between the previous close and this one. */
function barsOf(id: string, close: Float64Array, rng: Rng): BarSeries {
  const n = close.length
  const s = allocBarSeries(id, '1d', n)
  for (let i = 0; i < n; i++) {
    const c = Math.round(close[i]! * 100) / 100
    const prev = i === 0 ? c : Math.round(close[i - 1]! * 100) / 100
    const o = Math.round((prev + (c - prev) * 0.3 * rng.uniform()) * 100) / 100
    s.openTime[i] = i * DAY
    s.closeTime[i] = (i + 1) * DAY
    s.open[i] = o
    s.close[i] = c
    s.high[i] = Math.max(o, c) + 0.05
    s.low[i] = Math.min(o, c) - 0.05
    s.volume[i] = 1e6
  }
  return s
}

/** x a geometric random walk from 100 (1 % a day); y = 10 + 1.5·x + an AR(1) spread (φ, innovation sd `sd`). */
function pair(seed: number, n: number, phi = 0.9, sd = 0.6) {
  const rng = new Rng(seed)
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  let px = 100
  let e = 0
  for (let i = 0; i < n; i++) {
    px *= Math.exp(0.01 * rng.normal())
    e = phi * e + sd * rng.normal()
    x[i] = px
    y[i] = 10 + 1.5 * px + e
  }
  return { y: barsOf(Y.id, y, rng), x: barsOf(X.id, x, rng) }
}

async function run(
  data: { y: BarSeries; x: BarSeries },
  params: Record<string, unknown>,
  fee = 0.0005,
  account: 'cash' | 'margin' = 'margin',
) {
  return runBacktest({
    instruments: [Y, X],
    feeds: [
      { instrumentId: Y.id, timeframe: '1d', data: data.y },
      { instrumentId: X.id, timeframe: '1d', data: data.x },
    ],
    strategies: [{ definition: pairs as unknown as StrategyDefinition, params }],
    // shorting a leg needs a margin account; borrowing the short leg costs 2 % a year
    account: { cash: 100_000, type: account, leverage: account === 'margin' ? 2 : 1, borrowRate: 0.02 },
    fees: { type: 'percent', takerRate: fee },
  })
}

describe('pairs strategy', () => {
  for (const hedge of ['ols', 'kalman'] as const) {
    it(`profits after costs on a cointegrated pair, trading both legs (${hedge} hedge)`, async () => {
      const r = await run(pair(21, 1000), hedge === 'ols' ? { hedge, window: 120 } : { hedge, window: 100 })
      const ys = r.fills.filter((f) => f.instrumentId === Y.id)
      const xs = r.fills.filter((f) => f.instrumentId === X.id)
      assert.ok(ys.length >= 20, `${ys.length} y fills`)
      assert.equal(xs.length, ys.length, 'every y fill has its x leg')
      assert.ok(r.feesPaid > 0 && r.borrowPaid > 0)
      assert.equal(r.orders.filter((o) => o.status === 'REJECTED').length, 0)
      const costs = r.feesPaid + r.borrowPaid
      const net = r.finalEquity - 100_000
      assert.ok(net > 0, `net ${net} after ${costs} of fees and borrow`)
      assert.ok(net + costs > 2 * costs, `gross ${net + costs} is not twice the costs ${costs}`)
      // legs go opposite ways: the hedge ratio is positive
      for (let k = 0; k < ys.length; k++) assert.notEqual(ys[k]!.side, xs[k]!.side)
    })
  }
  it('sizes the x leg at the rolling OLS hedge ratio of the bars before the decision', async () => {
    const d = pair(22, 600)
    const r = await run(d, { hedge: 'ols', window: 80, size: 100 })
    const xs = r.fills.filter((f) => f.instrumentId === X.id)
    assert.ok(xs.length >= 10)
    // fills alternate entry, exit; an entry at bar j's open was decided at bar j − 1's close
    for (let k = 0; k < xs.length; k += 2) {
      const j = d.x.openTime.indexOf(xs[k]!.time)
      assert.ok(j > 80, `fill at ${xs[k]!.time}`)
      const fit = fitLine(d.y.close.subarray(j - 81, j - 1), d.x.close.subarray(j - 81, j - 1))
      assert.equal(xs[k]!.quantity, Math.floor(Math.abs(fit.slope) * 100), `entry ${k / 2}`)
      assert.equal(xs[k + 1]?.quantity ?? xs[k]!.quantity, xs[k]!.quantity)
    }
  })
  it('never leaves a leg naked: in a cash account every short leg is rejected and its partner cancelled', async () => {
    const r = await run(pair(21, 600), { hedge: 'ols' }, 0.0005, 'cash')
    const rejected = r.orders.filter((o) => o.status === 'REJECTED')
    assert.ok(rejected.length > 0)
    assert.ok(rejected.every((o) => o.side === 'SELL'))
    assert.ok(
      r.orders.some((o) => o.status === 'CANCELED'),
      'the long leg submitted before its short partner',
    )
    assert.equal(r.fills.length, 0)
    assert.equal(r.finalEquity, 100_000)
  })
  it('is deterministic: the same data and params give the same fills', async () => {
    const d = pair(23, 400)
    const a = await run(d, { hedge: 'kalman', window: 40 })
    const b = await run(d, { hedge: 'kalman', window: 40 })
    assert.deepEqual(a.fills, b.fills)
  })
  it('refuses exit >= entry and a single instrument', async () => {
    assert.equal(pairs.params.safeParse({ entry: 1, exit: 1 }).success, false)
    assert.equal(pairs.params.safeParse({ entry: 2, stop: 1.5 }).success, false)
    await assert.rejects(
      runBacktest({
        instruments: [Y],
        feeds: [{ instrumentId: Y.id, timeframe: '1d', data: pair(1, 50).y }],
        strategies: [{ definition: pairs as unknown as StrategyDefinition, params: {} }],
        account: { cash: 1000 },
      }),
      /two instruments/,
    )
  })
})
