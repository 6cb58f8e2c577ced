import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertArraysClose } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import {
  FractalPivots,
  SupportResistance,
  fractalPivots,
  gridDensity,
  kdeLevels,
  levelHeatmap,
  silvermanBandwidth,
  supportResistance,
} from './index.ts'

const f = (xs: number[]) => Float64Array.from(xs)

describe('fractal pivots', () => {
  it('finds a pivot high and low with n = 2 and confirms them 2 bars later', () => {
    const high = f([1, 2, 5, 2, 1, 3, 1])
    const low = f([0.5, 1, 4, 1, 0.2, 2, 0.6])
    const p = fractalPivots(high, low, 2)
    assert.deepEqual(p, [
      { index: 2, confirmedAt: 4, price: 5, kind: 'high' },
      { index: 4, confirmedAt: 6, price: 0.2, kind: 'low' },
    ])
  })
  it('counts a plateau of equal highs once', () => {
    const p = fractalPivots(
      f([1, 2, 5, 5, 2, 1]),
      f([0, 0, 0, 0, 0, 0]).map((_, i) => 10 - i),
      2,
    )
    assert.deepEqual(
      p.filter((x) => x.kind === 'high').map((x) => x.index),
      [2],
    )
  })
  it('streaming detector reports each pivot at its confirmation bar, never earlier (SPY_1m)', () => {
    const s = loadBundled('SPY_1m')
    const all = fractalPivots(s.high, s.low, 3)
    const live = new FractalPivots(3)
    const seen = []
    for (let t = 0; t < s.high.length; t++) for (const p of live.update(s.high[t]!, s.low[t]!)) seen.push(p)
    assert.deepEqual(seen, all)
    assert.ok(all.length > 100)
    // no look-ahead: pivots found on data truncated at t are exactly those confirmed by t
    const t = 2000
    const trunc = fractalPivots(s.high.subarray(0, t + 1), s.low.subarray(0, t + 1), 3)
    assert.deepEqual(
      trunc,
      all.filter((p) => p.confirmedAt <= t),
    )
  })
})

describe('kernel density levels', () => {
  it("computes Silverman's bandwidth 0.9 min(sd, IQR/1.34) m^-1/5", () => {
    const xs = [1, 2, 3, 4, 100]
    const mean = 22
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / 4)
    const iqr = 4 - 2
    assert.ok(Math.abs(silvermanBandwidth(xs) - 0.9 * Math.min(sd, iqr / 1.34) * 5 ** -0.2) < 1e-12)
  })
  it('clusters pivots at 100 and 110 into two levels with strengths near the pivot counts', () => {
    const prices = [99.9, 100, 100.1, 100.05, 99.95, 109.9, 110, 110.1]
    const lv = kdeLevels(prices, { bandwidth: 0.5, gridSize: 512 })
    assert.equal(lv.length, 2)
    assert.ok(Math.abs(lv[0]!.price - 100) < 0.02, `${lv[0]!.price}`)
    assert.ok(Math.abs(lv[1]!.price - 110) < 0.02)
    assert.ok(Math.abs(lv[0]!.strength - 5) < 0.1 && Math.abs(lv[1]!.strength - 3) < 0.1)
  })
  it('steps the grid density by the Gaussian recurrence to within 1e-12 of direct exps', () => {
    const prices = [99.9, 100, 100.1, 100.05, 99.95, 109.9, 110, 110.1, 87.3]
    const a = 80
    const step = 0.37
    const f = gridDensity(prices, a, step, 120, 1.3)
    for (let g = 0; g < 120; g++) {
      const want = prices.reduce((acc, p) => acc + Math.exp(-((a + g * step - p) ** 2) / (2 * 1.3 * 1.3)), 0)
      assert.ok(Math.abs(f[g]! - want) < 1e-12 * Math.max(1, want), `grid ${g}: ${f[g]} vs ${want}`)
    }
  })
  it('makes one level when all pivots share a price', () => {
    const lv = kdeLevels([50, 50, 50])
    assert.equal(lv.length, 1)
    assert.ok(Math.abs(lv[0]!.price - 50) < 1e-4)
    assert.ok(Math.abs(lv[0]!.strength - 3) < 1e-6)
  })
  it('heat map peaks in the cell of the pivot cluster', () => {
    const hm = levelHeatmap([102, 102, 102.1, 98], 100, { rangePct: 0.05, bins: 21, bandwidth: 0.3 })
    assert.equal(hm.prices[10], 100)
    let best = 0
    for (let b = 1; b < 21; b++) if (hm.density[b]! > hm.density[best]!) best = b
    assert.ok(Math.abs(hm.prices[best]! - 102) < 0.5)
  })
})

describe('distance to the nearest level', () => {
  it('measures the distance to a resistance above and a support below', () => {
    // a zig-zag between 90 and 110: pivot highs at 110, pivot lows at 90
    const closes: number[] = []
    for (let k = 0; k < 6; k++) closes.push(100, 105, 110, 105, 100, 95, 90, 95)
    closes.push(100)
    const c = f(closes)
    const sr = supportResistance(c, c, c, { n: 2, lookback: 100, bandwidthPct: 0.005 })
    const last = c.length - 1
    assert.ok(Math.abs(sr.distAbove[last]! - 0.1) < 1e-3, `${sr.distAbove[last]}`)
    assert.ok(Math.abs(sr.distBelow[last]! - 0.1) < 1e-3)
    assert.ok(sr.strengthAbove[last]! > 4 && sr.strengthBelow[last]! > 4)
    assert.ok(Number.isNaN(sr.distAbove[3]!), 'no level before the first pivot is confirmed')
  })
  it('streaming twin agrees with levels rebuilt from scratch at sampled bars of BTC-USD_1m', () => {
    const s = loadBundled('BTC-USD_1m')
    const opts = { n: 3, lookback: 300 }
    const st = new SupportResistance(opts)
    const live = Array.from({ length: 4 }, () => new Float64Array(s.close.length))
    for (let i = 0; i < s.close.length; i++) {
      const v = st.update(s.high[i]!, s.low[i]!, s.close[i]!)
      for (let k = 0; k < 4; k++) live[k]![i] = v[k]!
    }
    const b = supportResistance(s.high, s.low, s.close, opts)
    assertArraysClose(live[1]!, b.distBelow, 0)
    // independent path: batch pivots on the data up to t, the lookback filter, KDE, nearest level each side
    let compared = 0
    for (let t = 50; t < s.close.length; t += 37) {
      const piv = fractalPivots(s.high.subarray(0, t + 1), s.low.subarray(0, t + 1), 3).filter((p) => p.index > t - 300)
      const lv = kdeLevels(piv.map((p) => p.price))
      const c = s.close[t]!
      const above = lv.filter((l) => l.price > c).sort((x, y) => x.price - y.price)[0]
      const below = lv.filter((l) => l.price <= c).sort((x, y) => y.price - x.price)[0]
      const want = [
        above ? (above.price - c) / c : NaN,
        below ? (c - below.price) / c : NaN,
        above ? above.strength : NaN,
        below ? below.strength : NaN,
      ]
      want.forEach((x, k) => assertArraysClose([live[k]![t]!], [x], 1e-12, `bar ${t} output ${k}`))
      if (above && below) compared++
    }
    assert.ok(compared > 40, `${compared} bars with levels on both sides`)
  })
})
