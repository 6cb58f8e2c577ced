/**
 * The `regime-switch` built-in through the engine, on seeded bars that switch between a calm regime (0.5 % a
 * day) and a volatile one (2 % a day) at known bars: after a stated detection lag it uses the member configured
 * for the true regime, and its exposure is lower in the volatile regime, whose risk multiplier is lower.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { EventBus, Rng, allocBarSeries, makeInstrument } from '../core/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import {
  defineStrategy,
  regimeSwitch,
  regimeTopic,
  type RegimeChange,
  type StrategyDefinition,
} from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })
const DAY = 86_400_000
/** Regime segments in bars: calm, volatile, calm, … (the first 250 returns, the HMM's fit, hold both). */
const SEGMENTS = [150, 100, 150, 100, 150, 100]
/** Bars after a switch that are not counted: the filter's reaction plus `confirmBars`. */
const LAG = 10

function market(seed: number) {
  const rng = new Rng(seed)
  const n = SEGMENTS.reduce((a, x) => a + x, 0)
  const s = allocBarSeries(A.id, '1d', n)
  const truth = new Int8Array(n)
  const switches: number[] = []
  let i = 0
  let close = 100
  SEGMENTS.forEach((len, k) => {
    switches.push(i)
    for (let j = 0; j < len; j++, i++) {
      truth[i] = k % 2
      const r = (k % 2 === 0 ? 0.005 : 0.02) * rng.normal()
      const open = close
      close = open * Math.exp(r)
      s.openTime[i] = i * DAY
      s.closeTime[i] = (i + 1) * DAY
      s.open[i] = open
      s.close[i] = close
      s.high[i] = Math.max(open, close) * 1.001
      s.low[i] = Math.min(open, close) * 0.999
      s.volume[i] = 1e6
    }
  })
  return { bars: s, truth, switches }
}

/** Fades the last bar: SHORT after an up close, LONG after a down one. */
const fade = defineStrategy({
  name: 'fade',
  params: z.strictObject({}),
  create(ctx) {
    let prev = NaN
    return {
      onBar(bar) {
        if (prev > 0) ctx.emit({ instrumentId: bar.instrumentId, direction: bar.close > prev ? 'SHORT' : 'LONG' })
        prev = bar.close
      },
    }
  },
}) as unknown as StrategyDefinition

async function run(seed: number, params: Record<string, unknown> = {}) {
  const data = market(seed)
  const bus = new EventBus({ historySize: 0 })
  const changes: RegimeChange[] = []
  bus.subscribe<RegimeChange>(regimeTopic('regime-switch'), (c) => changes.push(c))
  const result = await runBacktest({
    instruments: [A],
    feeds: [{ instrumentId: A.id, timeframe: '1d', data: data.bars }],
    strategies: [
      {
        definition: regimeSwitch as unknown as StrategyDefinition,
        params: {
          regimes: [
            { member: { strategy: 'trend-signal', params: { period: 10, short: true }, name: 'trend' }, risk: 1 },
            { member: { strategy: fade, name: 'fade' }, risk: 0.3 },
          ],
          ...params,
        },
      },
    ],
    account: { cash: 100_000, type: 'margin' },
    framework: { construction: CONSTRUCTION_MODELS['confidence-weighted']() },
    bus,
    seed,
    record: { orders: false, fills: false, trades: false, positions: false },
  })
  return { ...data, changes, result }
}

/** The member active at each bar's close (undefined before the first regime). */
function activeAt(changes: readonly RegimeChange[], n: number): (string | undefined)[] {
  const out: (string | undefined)[] = []
  let c = 0
  let cur: string | undefined
  for (let i = 0; i < n; i++) {
    while (c < changes.length && changes[c]!.time <= (i + 1) * DAY) cur = changes[c++]!.member
    out.push(cur)
  }
  return out
}

/** Bars counted: after the HMM's fit (250 returns) and not within LAG bars of a switch. */
function counted(i: number, switches: readonly number[]): boolean {
  return i > 250 && !switches.some((s) => i >= s && i < s + LAG)
}

describe('the regime-switch strategy', () => {
  it(`uses the member of the true HMM regime ${LAG} bars after a switch: on 95 % of the bars of 10 seeds, 90 % of each`, async () => {
    let right = 0
    let total = 0
    for (let seed = 1; seed <= 10; seed++) {
      const { truth, switches, changes } = await run(seed)
      assert.equal(changes[0]!.time, 251 * DAY, 'the first regime at the close after the 250 returns of the fit')
      const active = activeAt(changes, truth.length)
      let r = 0
      let t = 0
      for (let i = 0; i < truth.length; i++) {
        if (!counted(i, switches)) continue
        t++
        if (active[i] === (truth[i] === 0 ? 'trend' : 'fade')) r++
      }
      assert.equal(t, 460)
      assert.ok(r / t >= 0.9, `seed ${seed}: ${r} of ${t} bars on the right member`)
      right += r
      total += t
    }
    assert.ok(right / total >= 0.95, `${right} of ${total} bars on the right member`)
  })

  it('refitting the HMM every 50 returns keeps to the right member on 90 % of the counted bars', async () => {
    let right = 0
    let total = 0
    for (let seed = 1; seed <= 3; seed++) {
      const { truth, switches, changes } = await run(seed, { refitBars: 50 })
      const active = activeAt(changes, truth.length)
      for (let i = 0; i < truth.length; i++) {
        if (!counted(i, switches)) continue
        total++
        if (active[i] === (truth[i] === 0 ? 'trend' : 'fade')) right++
      }
    }
    assert.ok(right / total >= 0.9, `${right} of ${total} bars on the right member`)
  })

  it('holds less exposure in the volatile regime, whose risk multiplier is 0.3 against 1', async () => {
    const { truth, switches, result } = await run(4)
    const sum = [0, 0]
    const cnt = [0, 0]
    const { time, value } = result.exposure
    for (let j = 0; j < time.length; j++) {
      const i = Math.round(time[j]! / DAY) - 1 // the bar closing at time[j]
      if (i < 0 || i >= truth.length || !counted(i, switches)) continue
      sum[truth[i]!] += value[j]!
      cnt[truth[i]!]++
    }
    const calm = sum[0]! / cnt[0]!
    const wild = sum[1]! / cnt[1]!
    assert.ok(calm > 0.8, `calm exposure ${calm}`)
    assert.ok(wild < 0.45 && wild > 0.1, `volatile exposure ${wild}`)
  })

  it('with the volatility detector, stays flat until the rank window is full, then follows a regime', async () => {
    const { changes } = await run(5, { detector: 'volatility', rankWindow: 60, confirmBars: 1 })
    assert.ok(changes.length > 0)
    // 60 EWMA values ranked: the first label at the close of bar 60 (the 60th return).
    assert.equal(changes[0]!.time, 61 * DAY)
    assert.ok(changes.every((c) => c.member === (c.regime === 0 ? 'trend' : 'fade')))
  })
})
