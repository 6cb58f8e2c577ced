import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  isKestrelError,
  type InsiderSource,
  type InsiderTransaction,
  type OptionsFlowRecord,
  type OptionsFlowSource,
} from '../../core/index.ts'
import type { CatalystContext } from './catalyst.ts'
import { insiderClusterScanner, optionsFlowScanner } from './positioning.ts'
import { synthBars, T0 } from './testing.ts'

const MIN = 60_000
const DAY = 86_400_000

function memory<T extends { time: number }>(
  items: T[],
): { name: string; read(from: number, to: number): AsyncIterable<T> } {
  return {
    name: 'memory',
    async *read(from, to) {
      for (const i of items) if (i.time >= from && i.time < to) yield i
    },
  }
}

const print = (
  minute: number,
  symbol: string,
  right: 'call' | 'put',
  premium: number,
  volume: number,
  openInterest: number,
  side: 'sweep' | 'block',
): OptionsFlowRecord => ({
  id: `p${minute}`,
  time: T0 + minute * MIN,
  symbol,
  right,
  strike: 100,
  expiry: Date.UTC(2024, 0, 19),
  premium,
  volume,
  openInterest,
  side,
})

const minutes: CatalystContext = {
  series: [synthBars('AAA.SIM', new Array(60).fill(10)), synthBars('BBB.SIM', new Array(60).fill(20))],
  layer1: [],
  from: T0,
  to: T0 + 60 * MIN + 1,
}

const prints: OptionsFlowRecord[] = [
  print(-30, 'AAA', 'put', 900_000, 10, 1000, 'block'), // before the span, outside the 20m window of minute 2
  print(1, 'AAA', 'call', 50_000, 100, 1000, 'sweep'), // premium below the threshold
  print(2, 'AAA', 'call', 200_000, 3000, 1000, 'sweep'), // calls 250k of 250k
  print(3, 'AAA', 'put', 400_000, 500, 100, 'block'), // puts 400k of 650k = 0.615
  print(4, 'AAA', 'put', 150_000, 50, 100, 'sweep'), // volume / OI 0.5
  print(5, 'BBB.SIM', 'call', 100_000, 10, 0, 'sweep'), // no open interest: any volume is new
  print(6, 'CCC', 'call', 900_000, 9000, 1, 'sweep'), // not in the universe
  print(7, 'AAA', 'call', 300_000, 2000, 1000, 'block'), // calls 550k of 1100k = 0.5
]

describe('options-flow scanner', () => {
  it('flags prints above the premium and volume/OI thresholds whose side holds the skew, scored at 0.5 on both thresholds', async () => {
    const s = optionsFlowScanner(memory(prints), { minPremium: 100_000, minVolumeOi: 1, minSkew: 0.6, window: '20m' })
    const got = await s.scan(minutes)
    assert.deepEqual(
      got.map((a) => [a.time, a.instrumentId, a.details.right, a.details.skew, a.details.volumeOi]),
      [
        [T0 + 2 * MIN, 'AAA.SIM', 'call', 1, 3],
        [T0 + 3 * MIN, 'AAA.SIM', 'put', 400 / 650, 5],
        [T0 + 5 * MIN, 'BBB.SIM', 'call', 1, null],
      ],
    )
    // squash(√(premium/min · volOi/min)): √(2·3) → 0.7101, √(4·5) → 0.8173, ∞ → 1
    assert.deepEqual(
      got.map((a) => Number(a.score.toFixed(4))),
      [0.7101, 0.8173, 1],
    )
    assert.equal(got[0]!.details.direction, 'bullish')
    assert.equal(got[1]!.details.direction, 'bearish')
    assert.equal(got[0]!.details.expiry, '2024-01-19')
    assert.equal(got[0]!.scanner, 'options-flow')
  })

  it('counts the prints before the span in the skew window, and keeps only the chosen print types', async () => {
    // with a 1h window the 900k put of minute -30 is in the skew: the call of minute 2 holds 250k of 1150k
    const wide = await optionsFlowScanner(memory(prints), { minPremium: 100_000, window: '1h' }).scan(minutes)
    assert.deepEqual(
      wide.map((a) => a.time),
      [T0 + 3 * MIN, T0 + 5 * MIN],
    )
    const sweeps = await optionsFlowScanner(memory(prints), {
      minPremium: 100_000,
      window: '20m',
      sides: ['sweep'],
    }).scan(minutes)
    assert.deepEqual(
      sweeps.map((a) => a.time),
      [T0 + 2 * MIN, T0 + 5 * MIN],
    )
  })

  it('refuses parameters outside the schema, naming them', () => {
    assert.throws(
      () => optionsFlowScanner(memory([]), { minSkew: 2 }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /options-flow\.minSkew/.test(e.message),
    )
    assert.throws(
      () => optionsFlowScanner(memory([]), { window: 'soon' }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /options-flow\.window/.test(e.message),
    )
  })
})

const buy = (day: number, symbol: string, insider: string, shares: number, price: number, code: 'P' | 'S' = 'P') =>
  ({
    id: `${symbol}-${day}-${insider}`,
    time: T0 + day * DAY,
    symbol,
    insider,
    role: insider === 'Bob' ? 'CFO' : 'Director',
    code,
    shares,
    price,
  }) satisfies InsiderTransaction

const days: CatalystContext = {
  series: [
    synthBars('AAA.SIM', new Array(40).fill(50), undefined, DAY),
    synthBars('BBB.SIM', new Array(40).fill(50), undefined, DAY),
  ],
  layer1: [],
  from: T0,
  to: T0 + 40 * DAY + 1,
}

const filings: InsiderTransaction[] = [
  buy(-5, 'AAA', 'Alice', 10_000, 50), // 500k, before the span but inside the window of day 4
  buy(1, 'AAA', 'Bob', 5_000, 50), // 250k
  buy(2, 'AAA', 'Bob', 1_000, 50), // 50k, the same insider again
  buy(3, 'AAA', 'Carol', 10_000, 50, 'S'), // a sale: not a purchase
  buy(4, 'AAA', 'Carol', 4_000, 50), // 200k: three buyers, 1.0M in (day -6, day 4]
  buy(6, 'AAA', 'Dan', 10_000, 50), // the same cluster: no second alert
  buy(20, 'AAA', 'Eve', 1_000, 10), // 10k
  buy(21, 'AAA', 'Frank', 8_000, 50), // 400k
  buy(22, 'AAA', 'Gus', 8_000, 50), // 400k: three buyers but 810k
  buy(23, 'AAA', 'Hal', 8_000, 50), // four buyers, 1.21M
  buy(1, 'BBB', 'Ann', 100_000, 50),
  buy(2, 'BBB', 'Ben', 100_000, 50), // two buyers only
]

describe('insider-cluster scanner', () => {
  it('flags the filing that brings distinct open-market buyers and value over the thresholds, once per cluster', async () => {
    const s = insiderClusterScanner(memory(filings), { minInsiders: 3, window: '10d', minValue: 1_000_000 })
    const got = await s.scan(days)
    assert.deepEqual(
      got.map((a) => [a.time, a.instrumentId, a.details.insiders, a.details.purchases, a.details.value]),
      [
        [T0 + 4 * DAY, 'AAA.SIM', 3, 4, 1_000_000],
        [T0 + 23 * DAY, 'AAA.SIM', 4, 4, 1_210_000],
      ],
    )
    // squash(√(insiders/3 · value/1M)): at both thresholds 0.5; √(4/3 · 1.21) = 1.2702 → 0.5595
    assert.deepEqual(
      got.map((a) => Number(a.score.toFixed(4))),
      [0.5, 0.5595],
    )
    assert.equal(got[0]!.details.names, 'Alice; Bob; Carol')
    assert.equal(got[0]!.details.roles, 'CFO; Director')
    assert.equal(got[0]!.details.since, new Date(T0 - 5 * DAY).toISOString().replace('.000Z', 'Z'))
    assert.equal(got[0]!.scanner, 'insider-cluster')
  })

  it('without a value threshold, scores by buyers alone and re-arms after the window', async () => {
    const got = await insiderClusterScanner(memory(filings), { minInsiders: 2, window: '3d' }).scan(days)
    assert.deepEqual(
      got.map((a) => [a.time - T0, a.instrumentId, Number(a.score.toFixed(4))]),
      [
        [2 * DAY, 'BBB.SIM', 0.5],
        [4 * DAY, 'AAA.SIM', 0.5], // Bob (day 2) and Carol (day 4); Bob's day-1 filing is 3 days old
        [21 * DAY, 'AAA.SIM', 0.5], // Eve and Frank; day 22 and 23 are the same cluster
      ],
    )
  })

  it('refuses parameters outside the schema, naming them', () => {
    assert.throws(
      () => insiderClusterScanner(memory([]) as InsiderSource, { minInsiders: 0 }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /insider-cluster\.minInsiders/.test(e.message),
    )
  })
})

// the memory helper satisfies both source interfaces
const _check: [OptionsFlowSource, InsiderSource] = [memory(prints), memory(filings)]
void _check
