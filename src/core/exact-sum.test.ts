import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ExactSum, fsum } from './exact-sum.ts'

const view = new DataView(new ArrayBuffer(8))
/** x = m · 2^(e) exactly, m an integer, e ≥ −1074 (x finite). */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const exp = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4))
  if (exp !== 0) m |= 1n << 52n
  return [hi >>> 31 ? -m : m, exp === 0 ? -1074 : exp - 1075]
}

/**
 * Reference: the exact sum in BigInt units of 2^−1074, rounded to 53 bits by hand (half to even). For sums in
 * the normal range, which the generators below keep to.
 */
function bigSum(xs: readonly number[]): number {
  let s = 0n
  for (const x of xs) {
    const [m, e] = decompose(x)
    s += m << BigInt(e + 1074)
  }
  if (s === 0n) return 0
  const neg = s < 0n
  let a = neg ? -s : s
  const bits = a.toString(2).length
  let exp = -1074
  if (bits > 53) {
    const shift = BigInt(bits - 53)
    const q = a >> shift
    const r = a - (q << shift)
    const half = 1n << (shift - 1n)
    a = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q
    exp += bits - 53
  }
  const v = Number(a) * 2 ** exp // a < 2^53 and 2^exp are exact; so is their product in the normal range
  return neg ? -v : v
}

const hex = (mantissa: string, p: number) => Number.parseInt(mantissa, 16) * 2 ** (p - 4 * (mantissa.length - 1))

describe('exact summation', () => {
  it("matches CPython's math.fsum test vectors", () => {
    const cases: [number[], number][] = [
      [[], 0],
      [[1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50], 1e-100],
      [[2.0 ** 53, -0.5, -(2.0 ** -54)], 2.0 ** 53 - 1.0],
      [[2.0 ** 53, 1.0, 2.0 ** -100], 2.0 ** 53 + 2.0],
      [[2.0 ** 53 + 10.0, 1.0, 2.0 ** -100], 2.0 ** 53 + 12.0],
      [[2.0 ** 53 - 4.0, 0.5, 2.0 ** -54], 2.0 ** 53 - 3.0],
      [Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)), hex('1df11f45f4e61a', 2)],
      [Array.from({ length: 1000 }, (_, i) => (-1) ** (i + 1) / (i + 1)), -hex('162a2af1bd3624', -1)],
      [[1e16, 1, 1e-16], 10000000000000002.0],
      [[1e-16, 1, 1e16], 10000000000000002.0],
      [Array(10).fill(0.1), 1],
    ]
    for (const [xs, want] of cases) assert.equal(fsum(xs), want, `fsum of ${xs.length} values`)
  })

  it('the BigInt reference agrees with those vectors too', () => {
    assert.equal(bigSum([2.0 ** 53, -0.5, -(2.0 ** -54)]), 2.0 ** 53 - 1.0)
    assert.equal(bigSum([2.0 ** 53 - 4.0, 0.5, 2.0 ** -54]), 2.0 ** 53 - 3.0)
    assert.equal(bigSum(Array.from({ length: 1000 }, (_, i) => 1 / (i + 1))), hex('1df11f45f4e61a', 2))
  })

  it('a rolling window (add the newest, subtract the oldest) stays the correctly rounded window sum (property)', () => {
    const value = fc.oneof(
      fc.double({ min: 50, max: 150, noNaN: true }),
      fc.double({ min: -1e20, max: 1e20, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-200),
      fc.constantFrom(2 ** 53, 0.5, 2 ** -54, 1e-30, -1e30, 0.1),
    )
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 12 }), (xs, p) => {
        const s = new ExactSum()
        for (let i = 0; i < xs.length; i++) {
          s.add(xs[i]!)
          if (i >= p) s.add(-xs[i - p]!)
          const window = xs.slice(Math.max(0, i - p + 1), i + 1)
          assert.equal(s.value(), bigSum(window), `window ending at ${i}`)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('copyFrom takes over the exact state, on the fast pair and on the partials', () => {
    const a = new ExactSum()
    for (const x of [1e30, 1, -1e30, 0.1]) a.add(x)
    const b = new ExactSum()
    b.copyFrom(a)
    b.add(2 ** -60)
    assert.equal(a.value(), bigSum([1e30, 1, -1e30, 0.1]))
    assert.equal(b.value(), bigSum([1, 0.1, 2 ** -60]))
  })

  it('a NaN or an infinity poisons the sum as a plain running sum would', () => {
    const s = new ExactSum()
    s.add(1)
    s.add(Infinity)
    assert.equal(s.value(), Infinity)
    s.add(-Infinity) // the infinity leaves the window
    assert.ok(Number.isNaN(s.value()))
    s.add(5)
    assert.ok(Number.isNaN(s.value()))
    assert.ok(Number.isNaN(fsum([1, NaN, 2])))
    assert.ok(Number.isNaN(fsum([Number.MAX_VALUE, Number.MAX_VALUE])), 'a finite overflow is NaN, not a number')
  })
})
