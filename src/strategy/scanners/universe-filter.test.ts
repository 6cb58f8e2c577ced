import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ScannerAlert } from './types.ts'
import { synthBars, T0 } from './testing.ts'
import { shortlist } from './universe-filter.ts'

const MIN = 60_000
/** Closes alternating ±step around 100, constant volume: volatility grows with step, dollar volume ≈ 100·volume. */
const wiggle = (id: string, step: number, volume: number) =>
  synthBars(
    id,
    Array.from({ length: 30 }, (_, i) => 100 + (i % 2 === 0 ? step : -step)),
    new Array(30).fill(volume),
  )
const alert = (instrumentId: string, scanner: string, score: number, minute = 10): ScannerAlert => ({
  time: T0 + minute * MIN,
  instrumentId,
  scanner,
  score,
  details: {},
})

// A: calm and liquid; B: wilder; C: wildest; D: illiquid; E: liquid, no alerts.
const universe = [
  wiggle('A', 0.1, 1000),
  wiggle('B', 0.5, 1000),
  wiggle('C', 2, 1000),
  wiggle('D', 1, 10),
  wiggle('E', 0.3, 1000),
]
const alerts = [
  alert('A', 'unusual-volume', 0.9),
  alert('A', 'unusual-volume', 0.6, 12),
  alert('B', 'breakout', 0.8),
  alert('B', 'unusual-volume', 0.5),
  alert('C', 'momentum-shift', 0.7),
  alert('D', 'breakout', 1),
]
const asOf = T0 + 30 * MIN

describe('layer-1.5 universe filter', () => {
  it('ranks the liquid instruments with alerts by the weighted mean of their best score per scanner', () => {
    const list = shortlist(universe, alerts, asOf, { minDollarVolume: 50_000, lookback: 30 })
    // weights 1 for each of the 3 scanners seen: B (0.8 + 0.5) / 3, A 0.9 / 3, C 0.7 / 3; D too illiquid, E no alert
    assert.deepEqual(
      list.map((e) => [e.instrumentId, e.score, e.details.rank]),
      [
        ['B', 1.3 / 3, 1],
        ['A', 0.9 / 3, 2],
        ['C', 0.7 / 3, 3],
      ],
    )
    assert.equal(list[1]!.details.alerts, 2)
    assert.equal(list[0]!.details.scanners, 'breakout:0.8,unusual-volume:0.5')
    assert.equal(list[0]!.time, asOf)
    // volatility ranks over all five: A 0, E 0.25, B 0.5, D 0.75, C 1
    assert.deepEqual(
      list.map((e) => e.details.volRank),
      [0.5, 0, 1],
    )
  })

  it('applies the volatility-rank band, the weights, the minimum score and the size', () => {
    // D (0.75) and B (0.5) are inside the band
    const band = shortlist(universe, alerts, asOf, { minVolRank: 0.4, maxVolRank: 0.9 })
    assert.deepEqual(
      band.map((e) => e.instrumentId),
      ['B', 'D'],
    )
    const weighted = shortlist(universe, alerts, asOf, {
      minDollarVolume: 50_000,
      weights: { 'momentum-shift': 3, breakout: 1 },
      minScore: 0.2,
    })
    // C 3·0.7/4 = 0.525, B 0.8/4 = 0.2; A has no weighted scanner
    assert.deepEqual(
      weighted.map((e) => [e.instrumentId, e.score]),
      [
        ['C', (3 * 0.7) / 4],
        ['B', 0.2],
      ],
    )
    // without a liquidity floor D (1/3) is listed between B (1.3/3) and A (0.9/3)
    assert.deepEqual(
      shortlist(universe, alerts, asOf, { maxSize: 3 }).map((e) => e.instrumentId),
      ['B', 'D', 'A'],
    )
  })

  it('reads only what is known at asOf: later alerts and later bars do not count', () => {
    const late = [...alerts, alert('E', 'breakout', 1, 31)]
    assert.deepEqual(
      shortlist(universe, late, asOf).map((e) => e.instrumentId),
      shortlist(universe, alerts, asOf).map((e) => e.instrumentId),
    )
    const windowed = shortlist(universe, [...alerts, alert('E', 'breakout', 0.1, 29)], asOf, { windowMs: 5 * MIN })
    assert.deepEqual(
      windowed.map((e) => e.instrumentId),
      ['E'],
    )
  })
})
