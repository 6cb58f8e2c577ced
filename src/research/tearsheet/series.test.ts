import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { std } from '../../core/index.ts'
import { downsample, histogram, monthlyReturns, rebase, rollingSharpeAndVolatility, yearlyReturns } from './series.ts'

describe('tearsheet series', () => {
  it('rolling volatility and Sharpe equal a direct computation over each window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 5, maxLength: 120 }),
        fc.integer({ min: 2, max: 5 }),
        (xs, w) => {
          const { sharpe, volatility } = rollingSharpeAndVolatility(xs, w, 252)
          for (let j = 0; j < xs.length; j++) {
            if (j < w - 1) {
              assert.ok(Number.isNaN(volatility[j]!))
              continue
            }
            const win = xs.slice(j - w + 1, j + 1)
            const sd = std(win, 1)
            assert.ok(Math.abs(volatility[j]! - sd * Math.sqrt(252)) <= 1e-9, `vol at ${j}`)
            if (sd > 1e-6) {
              const m = win.reduce((a, b) => a + b, 0) / w
              assert.ok(Math.abs(sharpe[j]! - (m / sd) * Math.sqrt(252)) <= 1e-6 * Math.max(1, Math.abs(sharpe[j]!)))
            }
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    )
  })
  it('splits an equity curve into UTC calendar months and compounds them into years', () => {
    const day = 86_400_000
    const t0 = Date.UTC(2023, 11, 30)
    const time = new Float64Array([t0, t0 + day, t0 + 2 * day, t0 + 3 * day, t0 + 40 * day])
    const value = new Float64Array([100, 110, 121, 99, 108.9])
    const months = monthlyReturns({ time, value })
    assert.deepEqual(
      months.map((m) => [m.year, m.month]),
      [
        [2023, 12],
        [2024, 1],
        [2024, 2],
      ],
    )
    assert.ok(Math.abs(months[0]!.value - 0.1) < 1e-15)
    assert.ok(Math.abs(months[1]!.value - (99 / 110 - 1)) < 1e-15)
    assert.ok(Math.abs(months[2]!.value - 0.1) < 1e-15)
    assert.ok(Math.abs(yearlyReturns(months).get(2024)! - (108.9 / 110 - 1)) < 1e-15)
  })
  it('puts zero on a histogram edge and counts every value', () => {
    const h = histogram([-0.05, -0.01, 0.002, 0.03, 0.2], 5)
    assert.ok(h.edges.some((e) => Math.abs(e) < 1e-15))
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      5,
    )
    assert.ok(h.edges[0]! <= -0.05 && h.edges[h.edges.length - 1]! >= 0.2)
  })
  it('downsampling keeps every bucket’s extremes and the time order', () => {
    const n = 10_000
    const time = Float64Array.from({ length: n }, (_, i) => i)
    const value = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50) + (i === 7777 ? 5 : 0))
    const d = downsample(time, value, 100)
    assert.ok(d.time.length <= 200)
    assert.ok(d.value.includes(value[7777]!), 'the spike survives')
    for (let i = 1; i < d.time.length; i++) assert.ok(d.time[i]! > d.time[i - 1]!)
  })
  it('rebases a benchmark at the first point inside the strategy’s range and clips it to that range', () => {
    const b = rebase({ time: new Float64Array([1, 2, 3, 4]), value: new Float64Array([50, 40, 80, 100]) }, 1000, 2, 3)
    assert.deepEqual([...b.time], [2, 3])
    assert.deepEqual([...b.value], [1000, 2000])
    assert.equal(rebase({ time: new Float64Array([9]), value: new Float64Array([1]) }, 1, 0, 5).value.length, 0)
  })
})
