/**
 * The built-in `momentum` and `breakout` strategies through the framework (equal weight, 5 bp taker fees, a
 * margin account): they earn on a trend whose direction switches every 600 bars on average where the
 * mean-reversion strategy loses, a breakout on thin volume emits nothing, returns that disagree keep momentum
 * out, and what they emit at a bar depends on the bars up to it only. The profitability checks run 30 seeds each.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { allocBarSeries, makeInstrument, type BarSeries, type Signal } from '../core/index.ts'
import { generateOuSeries } from '../data/index.ts'
import { breakout, meanReversion, momentum } from '../strategy/index.ts'
import { runSignals as runOn, sliceBars } from './signal-testing.ts'

const INST = makeInstrument({ symbol: 'TRND', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1)
const runSignals = (...a: Parameters<typeof runOn> extends [unknown, ...infer R] ? R : never) => runOn(INST, ...a)

/** A random walk (0.1 % a bar) drifting 0.012 % a bar, the drift's sign flipping every 600 bars on average. */
const trend = (seed: number, bars = 3000) =>
  generateOuSeries({ bars, seed, instrumentId: INST.id, theta: 0, sigma: 0.001, drift: 0.00012, driftDuration: 600 })

async function wins(def: unknown, params: Record<string, unknown>) {
  let n = 0
  for (const seed of SEEDS) {
    const { ret, result } = await runSignals(def, params, trend(seed))
    assert.equal(result.stats.riskRejected, 0)
    assert.ok(result.fills.length === 0 || result.feesPaid > 0, 'the fees are charged')
    if (ret > 0) n++
  }
  return n
}

/** 1m bars from closes and volumes (open = previous close, wicks 0.05 % out). */
function barsFrom(closes: readonly number[], volumes: readonly number[]): BarSeries {
  const s = allocBarSeries(INST.id, '1m', closes.length)
  closes.forEach((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!
    s.openTime[i] = i * M
    s.closeTime[i] = (i + 1) * M
    s.open[i] = o
    s.close[i] = c
    s.high[i] = Math.max(o, c) * 1.0005
    s.low[i] = Math.min(o, c) * 0.9995
    s.volume[i] = volumes[i]!
  })
  return s
}

/** 100 bars in a range 99.5..100.5 at volume 1000, then a close at 102 (bar 100) with volume `v`. */
function rangeThenBreak(v: number): BarSeries {
  const closes = Array.from({ length: 100 }, (_, i) => 100 + 0.5 * Math.sin(i / 3))
  closes.push(102, 102.5, 103)
  return barsFrom(
    closes,
    closes.map((_, i) => (i === 100 ? v : 1000)),
  )
}

describe('momentum and breakout', () => {
  it('are profitable after fees on a regime-switching trend in at least 24 of 30 seeds; mean reversion is not', async () => {
    assert.ok((await wins(momentum, { short: true })) >= 24)
    assert.ok((await wins(breakout, { short: true })) >= 24)
    assert.ok((await wins(meanReversion, { short: true })) <= 6)
  })

  it('breakout: a break of the range on thin volume emits nothing, on heavy volume a LONG at that close', async () => {
    const params = { period: 50, exitPeriod: 20, volumePeriod: 20, volumeFactor: 1.5 }
    const thin = await runSignals(breakout, params, rangeThenBreak(1400))
    assert.deepEqual(thin.signals, [])
    assert.equal(thin.result.fills.length, 0)
    const heavy = await runSignals(breakout, params, rangeThenBreak(1600))
    assert.deepEqual(
      heavy.signals.map((s) => [s.time, s.direction]),
      [[101 * M, 'LONG']],
    )
    assert.ok(heavy.result.fills.length === 1)
    // with the volume check off the thin break is taken too
    const off = await runSignals(breakout, { ...params, volumeFactor: 0 }, rangeThenBreak(1400))
    assert.deepEqual(
      off.signals.map((s) => [s.time, s.direction]),
      [[101 * M, 'LONG']],
    )
  })

  it('momentum: enters only when every lookback agrees and leaves when the longest turns', async () => {
    // up 40 bars, down 10, up 20, then down 40 (0.1 a bar, 0.12 in the last leg): with lookbacks 5 and 30 the short one disagrees in the dip
    const closes: number[] = [100]
    const leg = (n: number, step: number) => {
      for (let i = 0; i < n; i++) closes.push(closes[closes.length - 1]! + step)
    }
    leg(40, 0.1)
    leg(10, -0.1)
    leg(20, 0.1)
    leg(40, -0.12)
    const r = await runSignals(
      momentum,
      { lookbacks: [30, 5] },
      barsFrom(
        closes,
        closes.map(() => 1000),
      ),
    )
    const seen = r.signals.map((s) => [s.time / M, s.direction])
    // bar 30 is the first with a 30-bar return: both up → LONG; the 10-bar dip turns the 5-bar return down but
    // not the 30-bar one, so it holds; in the last leg the 30-bar return turns negative at bar 84
    // (103.32 against 103.4 thirty bars before) → FLAT at its close
    assert.deepEqual(seen, [
      [31, 'LONG'],
      [85, 'FLAT'],
    ])
  })

  it('momentum: waits for the short lookback to turn up before it enters', async () => {
    // up 0.1 a bar to 102.8 at bar 28, down 0.2 a bar to 102 at bar 32, then up 0.1 a bar: the 30-bar return is
    // up from bar 30 on, the 5-bar one only from bar 36 (102.4 against 102.2 at bar 31)
    const closes = Array.from({ length: 60 }, (_, i) =>
      i <= 28 ? 100 + 0.1 * i : i <= 32 ? 102.8 - 0.2 * (i - 28) : 102 + 0.1 * (i - 32),
    )
    const r = await runSignals(
      momentum,
      { lookbacks: [30, 5] },
      barsFrom(
        closes,
        closes.map(() => 1000),
      ),
    )
    assert.deepEqual(
      r.signals.map((s) => [s.time / M, s.direction]),
      [[37, 'LONG']],
    )
  })

  for (const [name, def, params] of [
    ['momentum', momentum, { short: true, lookbacks: [10, 30, 90] }],
    ['breakout', breakout, { short: true }],
  ] as const) {
    it(`${name} emits at bar k exactly what it emits when fed only bars 0..k (no look-ahead)`, async () => {
      const key = (s: Signal) => [s.time, s.direction, s.strength, s.magnitude]
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 250, max: 1199 }), async (seed, k) => {
          const data = trend(seed, 1200)
          const full = (await runSignals(def, params, data)).signals
          assert.ok(full.length >= 2, `${full.length} signals`)
          const part = await runSignals(def, params, sliceBars(data, k + 1))
          assert.deepEqual(part.signals.map(key), full.filter((s) => s.time <= data.closeTime[k]!).map(key))
        }),
        { numRuns: 8, seed: 9 },
      )
    })
  }
})
