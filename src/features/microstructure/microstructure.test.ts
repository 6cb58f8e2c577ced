import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { assertArraysClose, finiteCount, maxScaledDiff } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import { normCdf } from '../../core/index.ts'
import {
  Amihud,
  CorwinSchultz,
  KyleLambda,
  RollSpread,
  Vpin,
  amihud,
  corwinSchultz,
  corwinSchultzPair,
  kyleLambda,
  rollSpread,
  vpin,
} from './index.ts'

describe("Kyle's lambda", () => {
  it('recovers the impact slope of a price that moves lambda per unit of signed volume', () => {
    const rng = new Rng(5)
    const n = 300
    const close = new Float64Array(n)
    const vol = new Float64Array(n)
    close[0] = 100
    for (let i = 1; i < n; i++) {
      vol[i] = 100 + rng.int(0, 900)
      const side = rng.uniform() < 0.5 ? -1 : 1
      close[i] = close[i - 1]! + 2e-4 * side * vol[i]!
    }
    const lam = kyleLambda(close, vol, 50)
    assert.ok(Number.isNaN(lam[49]!) && Number.isFinite(lam[50]!))
    for (let i = 50; i < n; i++) assert.ok(Math.abs(lam[i]! - 2e-4) < 1e-9, `bar ${i}: ${lam[i]}`)
  })
})

describe('Amihud illiquidity', () => {
  it('averages the simple |r| / dollar volume (Amihud 2002) and is NaN over a zero-volume bar', () => {
    const c = Float64Array.from([10, 11, 10.5, 10.5])
    const v = Float64Array.from([5, 100, 200, 0])
    const a = amihud(c, v, 2)
    // |r| = 10 % then 1/22 ≈ 4.545 % (not the log returns 9.53 % and 4.65 %)
    const x1 = 0.1 / (11 * 100)
    const x2 = 0.5 / 11 / (10.5 * 200)
    assert.ok(Math.abs(a[2]! - (x1 + x2) / 2) < 1e-18)
    assert.ok(Number.isNaN(a[3]!))
  })
})

describe('Roll spread', () => {
  it('recovers a 0.10 bid-ask bounce around a constant price', () => {
    const rng = new Rng(9)
    const c = Float64Array.from({ length: 4001 }, () => 100 + (rng.uniform() < 0.5 ? -0.05 : 0.05))
    const s = rollSpread(c, 3999)
    assert.ok(Math.abs(s[4000]! / 0.1 - 1) < 0.05, `${s[4000]}`)
  })
  it('is 0 when consecutive changes are positively correlated (a trend)', () => {
    const c = Float64Array.from({ length: 50 }, (_, i) => 100 + i * i * 0.01)
    assert.equal(rollSpread(c, 10)[49], 0)
  })
})

describe('Corwin-Schultz spread', () => {
  it('is exactly s when a constant price is quoted with a proportional spread s', () => {
    for (const s of [0.001, 0.01, 0.05]) {
      const h = 100 * (1 + s / 2)
      const l = 100 * (1 - s / 2)
      assert.ok(Math.abs(corwinSchultzPair(h, l, h, l) - s) < 1e-12, `s=${s}`)
    }
  })
  it('sets negative two-bar estimates to 0 as the paper does', () => {
    // a large move between the bars makes gamma dominate and alpha negative
    assert.equal(corwinSchultzPair(101, 100, 111, 110), 0)
  })
  it('averages the two-bar estimates over the window', () => {
    const h = Float64Array.from([100.5, 100.5, 101, 111])
    const l = Float64Array.from([99.5, 99.5, 99, 110])
    const cs = corwinSchultz(h, l, 2)
    const e1 = corwinSchultzPair(100.5, 99.5, 100.5, 99.5)
    const e2 = corwinSchultzPair(100.5, 99.5, 101, 99)
    assert.ok(Number.isNaN(cs[1]!))
    assert.ok(Math.abs(cs[2]! - (e1 + e2) / 2) < 1e-15)
    assert.equal(cs[3], (e2 + 0) / 2)
  })
})

describe('VPIN with bulk volume classification', () => {
  it('splits a bar by Phi(dP/sigma) and closes a bucket (hand-checked)', () => {
    const v = vpin(Float64Array.from([100, 101, 100, 101]), Float64Array.from([0, 0, 0, 100]), {
      bucketVolume: 100,
      buckets: 1,
      sigmaWindow: 2,
    })
    const buy = 100 * normCdf(1 / Math.SQRT2) // sigma of the changes +1, -1 is sqrt(2)
    assert.ok(Number.isNaN(v[2]!))
    assert.ok(Math.abs(v[3]! - Math.abs(buy - (100 - buy)) / 100) < 1e-12)
  })
  it('spills a large bar over several buckets', () => {
    const s = new Vpin({ bucketVolume: 100, buckets: 2, sigmaWindow: 2 })
    s.update(100, 0)
    s.update(101, 0)
    s.update(100, 0)
    const x = s.update(101, 250) // two full buckets of the same split, 50 carried
    const f = normCdf(1 / Math.SQRT2)
    assert.ok(Math.abs(x - Math.abs(2 * f - 1)) < 1e-12)
  })
  it('stays within [0, 1] on BTC-USD_1m and its streaming twin agrees', () => {
    const b = loadBundled('BTC-USD_1m')
    let total = 0
    for (const x of b.volume) total += x
    const opts = { bucketVolume: total / 200, buckets: 20, sigmaWindow: 50 }
    const out = vpin(b.close, b.volume, opts)
    assert.ok(finiteCount(out) > b.close.length / 2)
    for (const x of out) if (!Number.isNaN(x)) assert.ok(x >= 0 && x <= 1)
    const s = new Vpin(opts)
    assertArraysClose(
      b.close.map((c, i) => s.update(c, b.volume[i]!)),
      out,
    )
  })
  it('handles a bar worth millions of buckets without looping over each one', () => {
    const s = new Vpin({ bucketVolume: 1, buckets: 5, sigmaWindow: 2 })
    s.update(100, 0)
    s.update(101, 0)
    s.update(100, 0)
    const t0 = performance.now()
    const x = s.update(101, 5e8 + 0.5)
    assert.ok(performance.now() - t0 < 50)
    assert.ok(Math.abs(x - Math.abs(2 * normCdf(1 / Math.SQRT2) - 1)) < 1e-12)
  })
  it('rejects a non-positive bucket volume', () => {
    assert.throws(
      () => new Vpin({ bucketVolume: 0, buckets: 5 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})

/** Sample covariance of two equal-length lists. */
function cov(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length
  const my = y.reduce((a, b) => a + b) / y.length
  return x.reduce((a, v, i) => a + (v - mx) * (y[i]! - my), 0) / (x.length - 1)
}

describe('streaming twins agree with a direct windowed computation on SPY_1m', () => {
  const s = loadBundled('SPY_1m')
  const n = s.close.length
  const w = 30
  const dp = Array.from({ length: n }, (_, i) => (i > 0 ? s.close[i]! - s.close[i - 1]! : NaN))
  // tick rule, written out independently: the sign of the last non-zero price change
  const sign: number[] = []
  let last = 0
  for (let i = 0; i < n; i++) {
    if (dp[i]! > 0) last = 1
    else if (dp[i]! < 0) last = -1
    sign.push(last)
  }
  const win = (t: number, k = w) => Array.from({ length: k }, (_, j) => t - k + 1 + j)
  it('Kyle, Amihud, Roll and Corwin-Schultz, every bar, error below 1e-9 of the series scale', () => {
    const k = new KyleLambda(w)
    const a = new Amihud(w)
    const r = new RollSpread(w)
    const c = new CorwinSchultz(w)
    const got = {
      kyle: new Float64Array(n),
      amihud: new Float64Array(n),
      roll: new Float64Array(n),
      cs: new Float64Array(n),
    }
    for (let i = 0; i < n; i++) {
      got.kyle[i] = k.update(s.close[i]!, s.volume[i]!)
      got.amihud[i] = a.update(s.close[i]!, s.volume[i]!)
      got.roll[i] = r.update(s.close[i]!)
      got.cs[i] = c.update(s.high[i]!, s.low[i]!)
    }
    const ref = {
      kyle: got.kyle.map((_, t) => {
        if (t < w) return NaN
        const x = win(t).map((i) => sign[i]! * s.volume[i]!)
        return (
          cov(
            x,
            win(t).map((i) => dp[i]!),
          ) / cov(x, x)
        )
      }),
      amihud: got.amihud.map((_, t) =>
        t < w
          ? NaN
          : win(t).reduce(
              (acc, i) => acc + Math.abs(s.close[i]! / s.close[i - 1]! - 1) / (s.close[i]! * s.volume[i]!),
              0,
            ) / w,
      ),
      roll: got.roll.map((_, t) => {
        if (t < w + 1) return NaN
        const q = cov(
          win(t).map((i) => dp[i]!),
          win(t).map((i) => dp[i - 1]!),
        )
        return q < 0 ? 2 * Math.sqrt(-q) : 0
      }),
      cs: got.cs.map((_, t) =>
        t < w
          ? NaN
          : win(t).reduce(
              (acc, i) => acc + corwinSchultzPair(s.high[i - 1]!, s.low[i - 1]!, s.high[i]!, s.low[i]!),
              0,
            ) / w,
      ),
    }
    for (const key of ['kyle', 'amihud', 'roll', 'cs'] as const) {
      assertArraysClose(got[key], ref[key], 1e-9, key)
      assert.ok(maxScaledDiff(got[key], ref[key]) < 1e-9, `${key}: ${maxScaledDiff(got[key], ref[key])}`)
      assert.ok(finiteCount(ref[key]) > n - 40)
    }
    assertArraysClose(kyleLambda(s.close, s.volume, w), got.kyle, 0, 'kyle batch')
    assertArraysClose(amihud(s.close, s.volume, w), got.amihud, 0, 'amihud batch')
    assertArraysClose(rollSpread(s.close, w), got.roll, 0, 'roll batch')
    assertArraysClose(corwinSchultz(s.high, s.low, w), got.cs, 0, 'cs batch')
  })
})
