import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rsi, rsi } from './rsi.ts'
import { mom } from './momentum.ts'
import { willr } from './willr.ts'

// StockCharts' RSI worked example (ChartSchool, "Relative Strength Index"), 14 periods.
const CLOSES = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03,
  46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13,
]
const PUBLISHED = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3,
  33.08, 37.77,
]

describe('rsi', () => {
  it("reproduces StockCharts' published worked example (to its rounding)", () => {
    const out = rsi(Float64Array.from(CLOSES), 14)
    for (let i = 0; i < 14; i++) assert.ok(Number.isNaN(out[i]!))
    // the published sheet rounds its average gain and loss to 2 decimals (0.2386 → 0.24), hence 70.53 vs 70.46
    assert.equal(Math.round(out[14]! * 100) / 100, 70.46)
    PUBLISHED.forEach((p, j) => assert.ok(Math.abs(out[14 + j]! - p) < 0.08, `bar ${14 + j}: ${out[14 + j]} vs ${p}`))
    const s = new Rsi(14)
    let last: number | undefined
    for (const c of CLOSES) last = s.update(c)
    assert.equal(last, out[CLOSES.length - 1])
    assert.equal(s.isStable, true)
  })

  it('is 100 on a steady rise and 0 on a flat series (TA-Lib: 0 when gain + loss is zero)', () => {
    assert.equal(rsi(Float64Array.from([1, 2, 3, 4]), 2)[3], 100)
    assert.equal(rsi(Float64Array.from([5, 5, 5, 5]), 2)[3], 0)
  })

  it('documents NaN: a NaN input poisons every later Wilder average; windowed indicators recover', () => {
    const x = Float64Array.from([1, 2, 3, 2, NaN, 3, 4, 5, 4, 5])
    const r = rsi(x, 2)
    assert.ok(!Number.isNaN(r[3]!))
    for (let i = 4; i < x.length; i++) assert.ok(Number.isNaN(r[i]!), `rsi NaN at ${i}`)
    const m = mom(x, 2)
    assert.deepEqual(
      Array.from(m, (v) => (Number.isNaN(v) ? null : v)),
      [null, null, 2, 0, null, 1, null, 2, 0, 0],
    )
    // TA-Lib's min/max tracking skips a NaN bar unless a window rescan starts on it (bar 5 here); so does ours
    const w = willr(x, x, x, 2)
    assert.ok(!Number.isNaN(w[4]!) && Number.isNaN(w[5]!) && !Number.isNaN(w[6]!))
  })
})
