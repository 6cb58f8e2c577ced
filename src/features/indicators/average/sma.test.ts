/**
 * SMA against an exact reference: each window's mean is its correctly rounded sum (Python's `math.fsum`, here
 * by exact BigInt arithmetic) divided by the period, as backtrader computes it. On long real series a plain
 * running sum drifts by a few ulps, so two averages that are equal come out a hair apart and a moving-average
 * cross fires a bar early; Kestrel's SMA must equal the reference at every bar, ties included.
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Sma, sma } from './sma.ts'

const PAIRS = [
  [5, 20],
  [10, 30],
  [20, 50],
  [50, 200],
] as const

const repo = new URL('../../../../', import.meta.url)
const bundledDir = fileURLToPath(new URL('data/bundled/', repo))
/** The real data sets beside the repository (`../shared/data`), when present. */
const sharedDir = [new URL('../shared/data/', repo), new URL('../../shared/data/', repo)]
  .map((u) => fileURLToPath(u))
  .find((d) => existsSync(d))

function closes(path: string): Float64Array {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/)
  const c = lines[0]!.split(',').indexOf('close')
  return Float64Array.from(lines.slice(1), (l) => Number(l.split(',')[c]))
}

const view = new DataView(new ArrayBuffer(8))
/** x = m · 2^e exactly, m an integer below 2^53 (x finite). */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const exp = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  if (exp !== 0) m |= 1n << 52n
  return [hi >>> 31 ? -m : m, exp === 0 ? -1074 : exp - 1075]
}

/** fsum(window) / period at every bar (NaN inside the lookback), by exact rolling BigInt sums. */
function referenceSma(x: Float64Array, period: number): Float64Array {
  const parts = Array.from(x, decompose)
  const emin = Math.min(...parts.map(([, e]) => e))
  const scaled = parts.map(([m, e]) => m << BigInt(e - emin))
  const scale = 2 ** emin
  const out = new Float64Array(x.length).fill(NaN)
  let s = 0n
  for (let i = 0; i < x.length; i++) {
    s += scaled[i]!
    if (i >= period) s -= scaled[i - period]!
    if (i >= period - 1) {
      // Number(bigint) rounds to nearest, ties to even: the correctly rounded sum, then scaled by a power of two
      const total = Number(s) * scale
      assert.ok(total === 0 || Math.abs(total) >= 2 ** -1022, 'reference stays in the normal range')
      out[i] = total / period
    }
  }
  return out
}

/** The plain running sum (add, emit, subtract) that the exact one replaces. */
function naiveSma(x: Float64Array, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN)
  let t = 0
  for (let i = 0; i < x.length; i++) {
    t += x[i]!
    if (i >= period - 1) {
      out[i] = t / period
      t -= x[i - period + 1]!
    }
  }
  return out
}

/** [label, path] of every CSV: the bundled files, then the shared real data. */
const files: [string, string][] = [
  ...readdirSync(bundledDir)
    .filter((f) => f.endsWith('.csv'))
    .map((f): [string, string] => [`bundled/${f}`, bundledDir + f]),
  ...(sharedDir
    ? readdirSync(sharedDir)
        .filter((f) => f.endsWith('.csv'))
        .map((f): [string, string] => [`shared/${f}`, sharedDir + f])
    : []),
]

describe('SMA is the correctly rounded window sum over the period', () => {
  it('finds the bundled files and the shared real data', () => {
    assert.ok(files.length >= 8, `${files.length} files`)
    if (sharedDir) assert.ok(files.length >= 8 + 18, `${files.length} files`)
  })

  let ties = 0
  let naiveSignMisses = 0
  for (const [name, file] of files) {
    it(`${name}: the sign of fast − slow equals the reference's at every bar, for every (fast, slow) pair`, () => {
      const x = closes(file)
      const ref = new Map<number, Float64Array>()
      for (const p of new Set(PAIRS.flat())) ref.set(p, referenceSma(x, p))
      for (const [fast, slow] of PAIRS) {
        const f = sma(x, fast)
        const s = sma(x, slow)
        const rf = ref.get(fast)!
        const rs = ref.get(slow)!
        const nf = naiveSma(x, fast)
        const ns = naiveSma(x, slow)
        for (let i = slow - 1; i < x.length; i++) {
          assert.equal(f[i], rf[i], `${name} sma(${fast}) at ${i}`)
          assert.equal(s[i], rs[i], `${name} sma(${slow}) at ${i}`)
          const want = Math.sign(rf[i]! - rs[i]!)
          assert.equal(Math.sign(f[i]! - s[i]!), want, `${name} (${fast}, ${slow}) at bar ${i}`)
          if (want === 0) ties++
          if (Math.sign(nf[i]! - ns[i]!) !== want) naiveSignMisses++
        }
      }
    })
  }

  it('the data holds exact ties, and a plain running sum gets some of their signs wrong', () => {
    assert.ok(ties > 0, `${ties} ties`)
    assert.ok(naiveSignMisses > 0, `${naiveSignMisses} sign errors of the plain running sum`)
  })

  it('the streaming twin gives the same bits as the kernel, replacing a live bar included', () => {
    const x = closes(bundledDir + 'SPY_1d.csv')
    for (const p of [5, 50, 200]) {
      const want = sma(x, p)
      const live = new Sma(p)
      for (let i = 0; i < x.length; i++) {
        live.update(x[i]! * 1.01)
        const v = live.update(x[i]!, true)
        assert.equal(v ?? NaN, want[i], `sma(${p}) at ${i}`)
      }
    }
  })
})

describe('SMA exactness off the fast path', () => {
  it('stays exact when values span far more than 2^53 in magnitude, and after they leave the window', () => {
    const x = Float64Array.from({ length: 400 }, (_, i) =>
      i % 97 === 3 ? 1e30 : i % 89 === 5 ? 1e-30 : 100 + (i % 7) * 0.01,
    )
    for (const p of [3, 20]) {
      const got = sma(x, p)
      const want = referenceSma(x, p)
      for (let i = p - 1; i < x.length; i++) assert.equal(got[i], want[i], `sma(${p}) at ${i}`)
      const live = new Sma(p)
      for (let i = 0; i < x.length; i++) assert.equal(live.update(x[i]!) ?? NaN, want[i], `stream sma(${p}) at ${i}`)
    }
  })

  it('a NaN poisons every later output, as TA-Lib’s running sum does', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => (i === 10 ? NaN : 1 + i))
    const got = sma(x, 5)
    assert.equal(got[9], (6 + 7 + 8 + 9 + 10) / 5)
    for (let i = 10; i < 40; i++) assert.ok(Number.isNaN(got[i]), `at ${i}`)
  })
})
