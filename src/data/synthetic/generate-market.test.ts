import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { getCalendar } from '../calendars/index.ts'
import { generateMarket, generateMarketSeries } from './generate-market.ts'

const CALM = [{ vol: 0.001, meanDuration: 1 }]
const NO_JUMPS = { intensity: 0 }

function logReturns(s: BarSeries): Float64Array {
  const r = new Float64Array(s.close.length)
  for (let i = 0; i < r.length; i++) r[i] = Math.log(s.close[i]! / s.open[i]!)
  return r
}

function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]!
    mb += b[i]!
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb)
    saa += (a[i]! - ma) ** 2
    sbb += (b[i]! - mb) ** 2
  }
  return sab / Math.sqrt(saa * sbb)
}

describe('generateMarket', () => {
  it('is deterministic: the same seed gives identical bars whatever the chunk size; another seed differs', () => {
    const opts = { symbols: 2, bars: 5000, seed: 11, calendar: 'NYSE' }
    const a = generateMarketSeries(opts).series
    const chunks = [...generateMarket({ ...opts, chunkSize: 777 })]
    assert.equal(chunks.length, Math.ceil(5000 / 777))
    for (const k of ['openTime', 'open', 'high', 'low', 'close', 'volume'] as const) {
      for (let s = 0; s < 2; s++) {
        const joined = chunks.flatMap((c) => [...c.series[s]![k]])
        assert.deepEqual(joined, [...a[s]![k]], `${k} of symbol ${s}`)
      }
    }
    const b = generateMarketSeries({ ...opts, seed: 12 }).series
    assert.notDeepEqual([...b[0]!.close.slice(0, 10)], [...a[0]!.close.slice(0, 10)])
  })

  it('reproduces the target correlation of returns on a long sample', () => {
    const target = [
      [1, 0.8, 0.3],
      [0.8, 1, -0.2],
      [0.3, -0.2, 1],
    ]
    const { series } = generateMarketSeries({
      symbols: 3,
      bars: 60_000,
      seed: 5,
      correlation: target,
      regimes: CALM,
      jumps: NO_JUMPS,
    })
    const r = series.map(logReturns)
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        const c = corr(r[i]!, r[j]!)
        assert.ok(Math.abs(c - target[i]![j]!) < 0.02, `corr[${i}][${j}] = ${c.toFixed(4)}, target ${target[i]![j]}`)
      }
    }
  })

  it('switches regimes with the configured mean durations and volatilities', () => {
    const regimes = [
      { vol: 0.0005, meanDuration: 400 },
      { vol: 0.002, meanDuration: 100 },
    ]
    const { series, regime } = generateMarketSeries({ symbols: 1, bars: 200_000, seed: 9, regimes, jumps: NO_JUMPS })
    const runs: number[][] = [[], []]
    let start = 0
    for (let i = 1; i <= regime.length; i++) {
      if (i === regime.length || regime[i] !== regime[i - 1]) {
        if (start > 0 && i < regime.length) runs[regime[i - 1]!]!.push(i - start) // whole runs only
        start = i
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    assert.ok(runs[0]!.length > 200 && runs[1]!.length > 200)
    assert.ok(Math.abs(mean(runs[0]!) / 400 - 1) < 0.12, `calm mean ${mean(runs[0]!)}`)
    assert.ok(Math.abs(mean(runs[1]!) / 100 - 1) < 0.12, `volatile mean ${mean(runs[1]!)}`)
    const r = logReturns(series[0]!)
    const sd = (k: number) => {
      const xs = [...r].filter((_, i) => regime[i] === k)
      const m = mean(xs)
      return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)))
    }
    assert.ok(Math.abs(sd(0) / 0.0005 - 1) < 0.05, `calm σ ${sd(0)}`)
    assert.ok(Math.abs(sd(1) / 0.002 - 1) < 0.05, `volatile σ ${sd(1)}`)
  })

  it('draws Poisson jumps at the configured intensity', () => {
    const [chunk] = [...generateMarket({ symbols: 2, bars: 50_000, seed: 3, jumps: { intensity: 0.01 } })]
    const total = chunk!.jumps.reduce((a, b) => a + b, 0)
    const expected = 0.01 * 100_000 // sd √1000 ≈ 32
    assert.ok(Math.abs(total - expected) < 4 * Math.sqrt(expected), `${total} jumps`)
  })

  it('puts bars only inside NYSE sessions, 390 per regular day, with a U-shaped volume profile', () => {
    const nyse = getCalendar('NYSE')
    const { series } = generateMarketSeries({
      symbols: 1,
      bars: 390 * 40,
      seed: 2,
      calendar: nyse,
      start: Date.parse('2024-11-01T00:00:00Z'),
    })
    const s = series[0]!
    const perDay = new Map<string, number>()
    const buckets = new Float64Array(13) // 30-minute slices of the session
    for (let i = 0; i < s.openTime.length; i++) {
      const sess = nyse.sessionAt(s.openTime[i]!)
      assert.ok(sess && s.closeTime[i]! <= sess.close, `bar ${i} outside a session`)
      perDay.set(sess.date, (perDay.get(sess.date) ?? 0) + 1)
      buckets[Math.floor((s.openTime[i]! - sess.open) / 1_800_000)]! += s.volume[i]!
    }
    assert.equal(perDay.get('2024-11-29'), 210) // early close at 13:00
    assert.equal(perDay.has('2024-11-28'), false) // Thanksgiving
    assert.equal(perDay.get('2024-11-27'), 390)
    assert.ok(buckets[0]! > 1.5 * buckets[6]! && buckets[12]! > 1.5 * buckets[6]!, `${[...buckets].map(Math.round)}`)
  })

  it('plants a lag-1 autocorrelation of the requested strength (and none without it)', () => {
    const base = { symbols: 1, bars: 100_000, seed: 4, regimes: CALM, jumps: NO_JUMPS }
    const lag1 = (opts: Parameters<typeof generateMarketSeries>[0]) => {
      const r = logReturns(generateMarketSeries(opts).series[0]!)
      return corr(r.subarray(1), r.subarray(0, r.length - 1))
    }
    const planted = lag1({ ...base, pattern: { kind: 'autocorrelation', strength: 0.1 } })
    assert.ok(Math.abs(planted - 0.1) < 0.015, `planted ${planted}`)
    assert.ok(Math.abs(lag1(base)) < 0.015)
  })

  it('plants a time-of-day drift: up in the first half of the session, down in the second', () => {
    const { series } = generateMarketSeries({
      symbols: 1, bars: 1440 * 60, seed: 8, regimes: CALM, jumps: NO_JUMPS,
      pattern: { kind: 'time-of-day', strength: 0.1 },
    }) // prettier-ignore
    const r = logReturns(series[0]!)
    let first = 0
    let second = 0
    for (let i = 0; i < r.length; i++) {
      if (new Date(series[0]!.openTime[i]!).getUTCHours() < 12) first += r[i]!
      else second += r[i]!
    }
    // Expected ±(2/π)·0.1·0.001·43 200 ≈ ±2.75; noise sd 0.001·√43 200 ≈ 0.21.
    assert.ok(first > 2 && second < -2, `first ${first}, second ${second}`)
  })

  it('rejects bad options with PARAM_INVALID', () => {
    const isParam = (e: unknown) => isKestrelError(e, 'PARAM_INVALID')
    assert.throws(() => [...generateMarket({ symbols: 0, bars: 1, seed: 1 })], isParam)
    assert.throws(() => [...generateMarket({ symbols: 2, bars: 1, seed: 1, correlation: [[1]] })], isParam)
    assert.throws(() => [...generateMarket({ symbols: 1, bars: 1, seed: 1, timeframe: '1d' })], isParam)
    assert.throws(
      () => [...generateMarket({ symbols: 1, bars: 1, seed: 1, pattern: { kind: 'autocorrelation', strength: 1 } })],
      isParam,
    )
  })

  it('always produces valid OHLC with positive prices and non-negative volume (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom('24/7', 'NYSE', 'FX'),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (seed, calendar, vol, jumpSd) => {
          const { series } = generateMarketSeries({
            symbols: 2, bars: 500, seed, calendar, correlation: [[1, 0.5], [0.5, 1]],
            regimes: [{ vol, meanDuration: 20 }, { vol: vol * 3, meanDuration: 5 }],
            jumps: { intensity: 0.05, sd: jumpSd },
          }) // prettier-ignore
          for (const s of series) {
            for (let i = 0; i < s.open.length; i++) {
              const [o, h, l, c, v] = [s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!]
              assert.ok(
                h >= Math.max(o, c) && l <= Math.min(o, c) && l > 0 && v >= 0,
                `bar ${i}: ${o} ${h} ${l} ${c} ${v}`,
              )
              if (i > 0) assert.ok(s.openTime[i]! > s.openTime[i - 1]!)
            }
          }
        },
      ),
      { seed: 21, numRuns: 40 },
    )
  })
})
