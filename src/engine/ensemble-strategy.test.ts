/**
 * The `ensemble` built-in through the engine: on synthetic bars where one member reads a planted feature that
 * really predicts the next return and two members are noise, the Hedge weights find the real one; the weights
 * at a bar do not depend on the bars after it; members cannot send orders.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { EventBus, Rng, allocBarSeries, makeInstrument, type BarSeries } from '../core/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import {
  defineStrategy,
  ensemble,
  ensembleWeightsTopic,
  type EnsembleWeights,
  type StrategyDefinition,
} from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })
const DAY = 86_400_000

/**
 * `n` daily bars whose return over bar t+1 is 1 % × (rho·f[t] + √(1−rho²)·noise): the feature f[t], known at the
 * close of bar t, predicts the next bar's return with correlation rho. Returns the bars and f by close time.
 */
function plantedMarket(seed: number, n: number, rho: number) {
  const rng = new Rng(seed)
  const s = allocBarSeries(A.id, '1d', n)
  const feature = new Map<number, number>()
  let close = 100
  let f = rng.normal()
  for (let i = 0; i < n; i++) {
    const r = 0.01 * (rho * f + Math.sqrt(1 - rho * rho) * rng.normal())
    const open = close
    close = open * (1 + r)
    s.openTime[i] = i * DAY
    s.closeTime[i] = (i + 1) * DAY
    s.open[i] = open
    s.close[i] = close
    s.high[i] = Math.max(open, close) * 1.002
    s.low[i] = Math.min(open, close) * 0.998
    s.volume[i] = 1e6
    f = rng.normal()
    feature.set((i + 1) * DAY, f)
  }
  return { bars: s, feature }
}

/** A member that goes LONG when the planted feature at this close is positive, SHORT otherwise. */
function peeker(feature: ReadonlyMap<number, number>): StrategyDefinition {
  return defineStrategy({
    name: 'peeker',
    params: z.strictObject({}),
    create(ctx) {
      return {
        onBar(bar) {
          const f = feature.get(bar.closeTime)
          if (f !== undefined) ctx.emit({ instrumentId: bar.instrumentId, direction: f > 0 ? 'LONG' : 'SHORT' })
        },
      }
    },
  }) as unknown as StrategyDefinition
}

/** A member that flips a coin at every close (its own seeded stream). */
const coin = defineStrategy({
  name: 'coin',
  params: z.strictObject({}),
  create(ctx) {
    return {
      onBar(bar) {
        ctx.emit({ instrumentId: bar.instrumentId, direction: ctx.rng.uniform() < 0.5 ? 'LONG' : 'SHORT' })
      },
    }
  },
}) as unknown as StrategyDefinition

async function runEnsemble(bars: BarSeries, feature: ReadonlyMap<number, number>, seed: number, extra = {}) {
  const bus = new EventBus({ historySize: 0 })
  const weights: EnsembleWeights[] = []
  bus.subscribe<EnsembleWeights>(ensembleWeightsTopic('ensemble'), (w) => weights.push(w))
  const result = await runBacktest({
    instruments: [A],
    feeds: [{ instrumentId: A.id, timeframe: '1d', data: bars }],
    strategies: [
      {
        definition: ensemble as unknown as StrategyDefinition,
        params: {
          members: [
            { strategy: peeker(feature), name: 'real' },
            { strategy: coin, name: 'coin' },
            { strategy: 'trend-signal', params: { period: 10, short: true }, name: 'trend' },
          ],
          ...extra,
        },
      },
    ],
    account: { cash: 100_000, type: 'margin' },
    framework: { construction: CONSTRUCTION_MODELS['confidence-weighted']() },
    bus,
    seed,
    record: { orders: false, fills: false, trades: false, positions: false },
  })
  return { result, weights }
}

describe('the ensemble strategy', () => {
  it('puts at least 0.8 of its weight on the member whose planted edge is real in at least 45 of 50 seeds', async () => {
    let hits = 0
    const finals: number[] = []
    for (let seed = 1; seed <= 50; seed++) {
      const { bars, feature } = plantedMarket(seed, 400, 0.25)
      const { weights } = await runEnsemble(bars, feature, seed)
      const last = weights.at(-1)!.weights
      finals.push(last.real!)
      if (last.real! >= 0.8) hits++
    }
    assert.ok(hits >= 45, `real member at >= 0.8 in ${hits} of 50 seeds; finals ${finals.map((x) => x.toFixed(2))}`)
  })

  it('records one weight update per scored close, each a distribution with every member at floor/N or more', async () => {
    const { bars, feature } = plantedMarket(7, 120, 0.25)
    const floor = 0.09
    const { weights } = await runEnsemble(bars, feature, 7, { floor, warmup: 5 })
    // 120 closes: 119 returns, the first 5 only warm the volatility up.
    assert.equal(weights.length, 114)
    for (const w of weights) {
      const v = Object.values(w.weights)
      assert.deepEqual(Object.keys(w.weights), ['real', 'coin', 'trend'])
      assert.ok(Math.abs(v.reduce((a, x) => a + x, 0) - 1) < 1e-12)
      for (const x of v) assert.ok(x >= floor / 3 - 1e-15)
    }
  })

  it('has no look-ahead: the weights up to bar k are the same whether the run stops at k or goes on', async () => {
    const { bars, feature } = plantedMarket(11, 200, 0.25)
    const whole = await runEnsemble(bars, feature, 11)
    const k = 120
    const cut = allocBarSeries(A.id, '1d', k)
    for (const c of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const)
      cut[c].set(bars[c].subarray(0, k))
    const part = await runEnsemble(cut, feature, 11)
    assert.ok(part.weights.length > 100)
    assert.deepEqual(part.weights, whole.weights.slice(0, part.weights.length))
    assert.ok(whole.weights[part.weights.length - 1]!.time === k * DAY)
  })

  it('refuses an order sent directly by a member', async () => {
    const trader = defineStrategy({
      name: 'trader',
      params: z.strictObject({}),
      create(ctx) {
        return { onBar: (bar) => void ctx.submit(ctx.orders.market(bar.instrumentId, 'BUY', 1)) }
      },
    }) as unknown as StrategyDefinition
    const { bars } = plantedMarket(3, 20, 0)
    await assert.rejects(
      runBacktest({
        instruments: [A],
        feeds: [{ instrumentId: A.id, timeframe: '1d', data: bars }],
        strategies: [
          {
            definition: ensemble as unknown as StrategyDefinition,
            params: { members: [{ strategy: trader }, { strategy: coin }] },
          },
        ],
        account: { cash: 100_000 },
        framework: { construction: CONSTRUCTION_MODELS['equal-weight']() },
      }),
      (e: Error & { code?: string }) =>
        e.code === 'STRATEGY_INVALID' && /member trader called submit\(\)/.test(e.message),
    )
  })

  it('names the member whose parameters are wrong', async () => {
    const { bars } = plantedMarket(3, 20, 0)
    await assert.rejects(
      runBacktest({
        instruments: [A],
        feeds: [{ instrumentId: A.id, timeframe: '1d', data: bars }],
        strategies: [
          {
            definition: ensemble as unknown as StrategyDefinition,
            params: { members: [{ strategy: 'trend-signal', name: 'slow', params: { perod: 5 } }, { strategy: coin }] },
          },
        ],
        account: { cash: 100_000 },
        framework: { construction: CONSTRUCTION_MODELS['equal-weight']() },
      }),
      (e: Error & { code?: string }) =>
        e.code === 'PARAM_INVALID' &&
        /member slow: strategy trend-signal params: perod: unknown parameter \(did you mean period\?\)/.test(e.message),
    )
  })

  it('names an unknown built-in member', async () => {
    const { bars } = plantedMarket(3, 20, 0)
    await assert.rejects(
      runBacktest({
        instruments: [A],
        feeds: [{ instrumentId: A.id, timeframe: '1d', data: bars }],
        strategies: [
          {
            definition: ensemble as unknown as StrategyDefinition,
            params: { members: [{ strategy: 'no-such' }, { strategy: coin }] },
          },
        ],
        account: { cash: 100_000 },
        framework: { construction: CONSTRUCTION_MODELS['equal-weight']() },
      }),
      (e: Error & { code?: string }) =>
        e.code === 'PARAM_INVALID' && /member 1: no built-in strategy no-such/.test(e.message),
    )
  })
})
