import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { allocBarSeries, mulberry32, type BarSeries } from '../../core/index.ts'
import { validateIngest } from './index.ts'

/** Minute bars of a seeded walk, with wide-range bars and jumps planted at the given rows. */
function minutes(n: number, seed: number, wide: number[], jumps: number[]): BarSeries {
  const s = allocBarSeries('X', '1m', n)
  const u = mulberry32(seed)
  let p = 100
  for (let i = 0; i < n; i++) {
    const o = p
    p *= 1 + (u() - 0.5) * 0.002 * (jumps.includes(i) ? 60 : 1)
    s.openTime[i] = 1_600_000_000_000 + i * 60_000
    s.closeTime[i] = s.openTime[i]! + 60_000
    s.open[i] = o
    s.close[i] = p
    const w = wide.includes(i) ? 1.2 + u() : 1 + u() * 0.0005
    s.high[i] = Math.max(o, p) * w
    s.low[i] = Math.min(o, p) / (wide.includes(i) ? w : 1 + u() * 0.0005)
    s.volume[i] = 10
  }
  return s
}

/** The bad-tick and outlier-return rules written plainly: every log computed, medians by sorting. */
function reference(s: BarSeries, maxSample = 100_000): [string, number, number][] {
  const n = s.openTime.length
  const stride = Math.max(1, Math.ceil(n / maxSample))
  const mid = (xs: number[]) => {
    const a = Float64Array.from(xs).sort()
    const m = a.length >> 1
    return a.length === 0 ? NaN : a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2
  }
  const robust = (v: Float64Array) => {
    const smp = [...v].filter((x, i) => i % stride === 0 && !Number.isNaN(x))
    const med = mid(smp)
    const dev = smp.map((x) => Math.abs(x - med))
    const mad = mid(dev)
    return [med, mad > 0 ? 1.4826 * mad : (1.2533 * dev.reduce((a, b) => a + b, 0)) / smp.length] as const
  }
  const out: [string, number, number][] = []
  const range = Float64Array.from({ length: n }, (_, i) => Math.log(s.high[i]! / s.low[i]!))
  const [rMed, rScale] = robust(range)
  const rejected = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const z = (range[i]! - rMed) / rScale
    if (rScale > 0 && z > 100) {
      out.push(['OUTLIER_RANGE', i, z])
      rejected[i] = 1
    }
  }
  const ret = new Float64Array(n).fill(NaN)
  let prev = -1
  for (let i = 0; i < n; i++) {
    if (rejected[i]) continue
    if (prev >= 0) ret[i] = Math.log(s.close[i]! / s.close[prev]!)
    prev = i
  }
  const [mMed, mScale] = robust(ret)
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(ret[i]!)) continue
    const z = Math.abs(ret[i]! - mMed) / mScale
    if (z > 12) out.push(['OUTLIER_RETURN', i, z])
  }
  return out.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
}

function found(s: BarSeries): [string, number, number][] {
  return validateIngest(s)
    .findings.filter((f) => f.reason === 'OUTLIER_RANGE' || f.reason === 'OUTLIER_RETURN')
    .map((f): [string, number, number] => [f.reason, f.index!, (f.details as { z: number }).z])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
}

describe('validateIngest: bad ticks and outlier returns', () => {
  it('flags exactly the rows, with exactly the scores, of the plain definition (fast-check)', () => {
    const rows = (n: number) => fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 6 })
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(), rows(n), rows(n))),
        ([n, seed, wide, jumps]) => {
          const s = minutes(n, seed, wide, jumps)
          assert.deepStrictEqual(found(s), reference(s))
        },
      ),
      { numRuns: 300, seed: 20261203 },
    )
  })

  it('does so on 250,000 rows, where the median and scale look at every 3rd row', () => {
    const s = minutes(250_000, 7, [10, 99_999, 100_000, 249_999], [5, 77_777, 200_001])
    const want = reference(s)
    assert.ok(want.filter((x) => x[0] === 'OUTLIER_RANGE').length >= 4, JSON.stringify(want))
    assert.ok(want.some((x) => x[0] === 'OUTLIER_RETURN'))
    assert.deepStrictEqual(found(s), want)
  })
})
