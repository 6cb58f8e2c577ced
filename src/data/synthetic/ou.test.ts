import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateOuSeries } from './ou.ts'

describe('generateOuSeries', () => {
  it('gives the same bars for the same options, valid OHLC and contiguous times', () => {
    const a = generateOuSeries({ bars: 500, seed: 4 })
    const b = generateOuSeries({ bars: 500, seed: 4 })
    assert.deepEqual(a, b)
    assert.notDeepEqual(a.close, generateOuSeries({ bars: 500, seed: 5 }).close)
    for (let i = 0; i < 500; i++) {
      assert.ok(a.high[i]! >= Math.max(a.open[i]!, a.close[i]!) && a.low[i]! <= Math.min(a.open[i]!, a.close[i]!))
      assert.ok(a.volume[i]! >= 1)
      assert.equal(a.closeTime[i]! - a.openTime[i]!, 60_000)
      if (i > 0) assert.equal(a.open[i], a.close[i - 1])
    }
  })

  it('reverts to its mean: the log price has the stationary deviation σ/√(2θ − θ²) within 10 %', () => {
    const theta = 0.05
    const sigma = 0.002
    const s = generateOuSeries({ bars: 200_000, seed: 1, theta, sigma })
    let m = 0
    let v = 0
    for (const c of s.close) m += Math.log(c / 100)
    m /= s.close.length
    for (const c of s.close) v += (Math.log(c / 100) - m) ** 2
    const sd = Math.sqrt(v / s.close.length)
    const expected = sigma / Math.sqrt(2 * theta - theta * theta)
    assert.ok(Math.abs(sd / expected - 1) < 0.1, `${sd} vs ${expected}`)
    assert.ok(Math.abs(m) < 0.1 * expected, `mean ${m}`)
  })

  it('with θ = 0 drifts by `drift` a bar, and a switching drift changes sign', () => {
    const up = generateOuSeries({ bars: 10_000, seed: 2, theta: 0, sigma: 0.0001, drift: 0.0002 })
    const total = Math.log(up.close[9999]! / 100)
    assert.ok(Math.abs(total / (10_000 * 0.0002) - 1) < 0.01, `${total}`)
    const sw = generateOuSeries({ bars: 10_000, seed: 2, theta: 0, sigma: 0, drift: 0.001, driftDuration: 500 })
    let flips = 0
    for (let i = 2; i < 10_000; i++)
      if (Math.sign(sw.close[i]! - sw.close[i - 1]!) !== Math.sign(sw.close[i - 1]! - sw.close[i - 2]!)) flips++
    assert.ok(flips > 5 && flips < 50, `${flips} flips`)
  })

  it('refuses options out of range, naming them', () => {
    assert.throws(() => generateOuSeries({ bars: 10, seed: 1, theta: 1 }), /ou\(theta\)/)
    assert.throws(() => generateOuSeries({ bars: -1, seed: 1 }), /ou\(bars\)/)
    assert.throws(() => generateOuSeries({ bars: 10, seed: 1, driftDuration: 0.5 }), /ou\(driftDuration\)/)
  })
})
