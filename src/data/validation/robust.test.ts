import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { median, robustScale, sampleStride } from './robust.ts'

/** The definitions by sorting, over every `stride`-th value (NaN skipped). */
function sortedMiddle(xs: readonly number[]): number {
  const s = Float64Array.from(xs).sort()
  const m = s.length >> 1
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
function reference(xs: readonly number[], maxSample: number): { med: number; scale: number } {
  const stride = sampleStride(xs.length, maxSample)
  const s = xs.filter((x, i) => i % stride === 0 && !Number.isNaN(x))
  const med = sortedMiddle(s)
  if (s.length === 0) return { med, scale: NaN }
  const dev = s.map((x) => Math.abs(x - med))
  const mad = sortedMiddle(dev)
  return { med, scale: mad > 0 ? 1.4826 * mad : (1.2533 * dev.reduce((a, b) => a + b, 0)) / s.length }
}

describe('median and robust scale by selection', () => {
  it('equal the sorted definitions exactly: ties, NaN, odd and even counts, sampled inputs', () => {
    const value = fc.oneof(
      fc.double({ noNaN: false, noDefaultInfinity: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(0, -0, 1e-300, 5),
    )
    fc.assert(
      fc.property(fc.array(value, { maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (xs, maxSample) => {
        const want = reference(xs, maxSample)
        const med = median(xs, maxSample)
        assert.ok(Object.is(med, want.med) || med === want.med, `median ${med} vs ${want.med}`)
        assert.equal(robustScale(xs, med, maxSample), want.scale)
      }),
      { numRuns: 2000, seed: 20261203 },
    )
  })

  it('samples every stride-th value: 250 values at most 100 → every 3rd', () => {
    assert.equal(sampleStride(250, 100), 3)
    const xs = Array.from({ length: 250 }, (_, i) => (i % 3 === 0 ? i : 1e9))
    assert.equal(median(xs, 100), 124.5) // 0, 3, …, 249: 84 values, the middle two 123 and 126
  })
})
