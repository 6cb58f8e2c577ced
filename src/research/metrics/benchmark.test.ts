import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  benchmarkAlpha,
  benchmarkStats,
  benchmarkBeta,
  capture,
  correlation,
  downCapture,
  informationRatio,
  rollingBenchmarkBeta,
  upCapture,
} from './benchmark.ts'
import { annualReturn } from './empyrical.ts'
import { assertClose, MIXED8, MIXED9, NEGATIVE, POSITIVE } from './test-vectors.ts'

// empyrical `all_negative_returns` (tests/test_stats.py), without its first value, aligned with MIXED8
const ALL_NEGATIVE8 = [-6, -7, -1, -9, -2, -6, -8, -5].map((x) => x / 100)

describe('strategy against a benchmark (empyrical values)', () => {
  it('alpha and beta of mixed against negative returns: (−0.99978538…, −0.71296296…)', () => {
    const b = NEGATIVE.slice(1)
    assertClose(benchmarkBeta(MIXED8, b), -0.71296296296296313, 1e-14, 'beta')
    assertClose(benchmarkAlpha(MIXED8, b, 252), -0.9997853834885004, 1e-13, 'alpha')
    assertClose(benchmarkAlpha(MIXED8, MIXED8, 252), 0, 1e-13)
    assertClose(benchmarkBeta(MIXED8, MIXED8), 1, 1e-15)
    assertClose(
      benchmarkBeta(
        MIXED8.map((x) => -x),
        MIXED8,
      ),
      -1,
      1e-15,
    )
  })
  it('down capture of all-negative and of positive returns against mixed: 0.99956026, −11.27400221', () => {
    assertClose(downCapture(ALL_NEGATIVE8, MIXED8, 252), 0.99956025703798634, 1e-12, 'all negative')
    assertClose(downCapture(POSITIVE.slice(1), MIXED8, 252), -11.27400221, 1e-8, 'positive')
    assertClose(downCapture(MIXED8, MIXED8, 252), 1, 1e-15)
  })
  it('up capture is the capture over the benchmark’s rising periods', () => {
    const up = MIXED8.map((b, i) => (b > 0 ? i : -1)).filter((i) => i >= 0)
    const r = up.map((i) => ALL_NEGATIVE8[i]!)
    const b = up.map((i) => MIXED8[i]!)
    assertClose(upCapture(ALL_NEGATIVE8, MIXED8, 252), annualReturn(r, 252) / annualReturn(b, 252), 1e-15)
    assertClose(capture(MIXED8, MIXED8, 252), 1, 1e-15)
  })
  it('capture of all-negative against mixed returns: −0.52257643 (empyrical, its NaN read as a flat period)', () => {
    const allNegative9 = [-2, ...ALL_NEGATIVE8.map((x) => x * 100)].map((x) => x / 100)
    assertClose(capture(allNegative9, MIXED9, 252), -0.52257643222960259, 1e-12)
  })
  it('information ratio is the annualised mean over the std of the active return', () => {
    const b = NEGATIVE.slice(1)
    const a = MIXED8.map((x, i) => x - b[i]!)
    const m = a.reduce((s, x) => s + x, 0) / a.length
    const sd = Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1))
    assertClose(informationRatio(MIXED8, b, 252), (m / sd) * Math.sqrt(252), 1e-12)
    assert.ok(Number.isNaN(informationRatio(MIXED8, MIXED8, 252)), 'no active risk')
  })
  it('beta is the OLS slope, correlation its standardised form, and alpha moves with a constant (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 5, maxLength: 60 }),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: -20, max: 20 }),
        (xs, k, c) => {
          const b = xs.map((x, i) => x / 10_000 + ((i * 7) % 5) / 1000)
          fc.pre(new Set(b).size > 1)
          const r = b.map((x, i) => (k / 10) * x + c / 100_000 + ((i * 3) % 4) / 20_000)
          const mb = b.reduce((s, x) => s + x, 0) / b.length
          const mr = r.reduce((s, x) => s + x, 0) / r.length
          let sxy = 0
          let sxx = 0
          let syy = 0
          for (let i = 0; i < b.length; i++) {
            sxy += (b[i]! - mb) * (r[i]! - mr)
            sxx += (b[i]! - mb) ** 2
            syy += (r[i]! - mr) ** 2
          }
          assert.ok(Math.abs(benchmarkBeta(r, b) - sxy / sxx) < 1e-9)
          if (syy > 0) assert.ok(Math.abs(correlation(r, b) - sxy / Math.sqrt(sxx * syy)) < 1e-9)
          const shifted = r.map((x) => x + 0.0001)
          const perPeriod = (a: number) => Math.pow(1 + a, 1 / 252) - 1
          assert.ok(
            Math.abs(perPeriod(benchmarkAlpha(shifted, b, 252)) - perPeriod(benchmarkAlpha(r, b, 252)) - 0.0001) < 1e-9,
          )
        },
      ),
      { seed: 5, numRuns: 200 },
    )
  })
  it('rolling beta equals beta over each full window', () => {
    const b = Array.from({ length: 40 }, (_, i) => 0.01 * Math.sin(i * 1.3) + 0.002 * Math.cos(i * 0.7))
    const r = b.map((x, i) => 1.5 * x + 0.003 * Math.sin(i * 2.1))
    const rb = rollingBenchmarkBeta(r, b, 10)
    for (let j = 0; j < 9; j++) assert.ok(Number.isNaN(rb[j]!))
    for (let j = 9; j < 40; j++)
      assertClose(rb[j]!, benchmarkBeta(r.slice(j - 9, j + 1), b.slice(j - 9, j + 1)), 1e-12, `j=${j}`)
  })
  it('gathers every statistic and refuses series of different lengths', () => {
    const s = benchmarkStats(MIXED8, NEGATIVE.slice(1), 252)
    assertClose(s.rSquared, s.correlation ** 2, 1e-15)
    assert.equal(s.periods, 8)
    assert.throws(() => benchmarkBeta([0.01, 0.02], [0.01]), /benchmark/)
  })
})
