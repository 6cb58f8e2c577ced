import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { assertArraysClose, maxRelDiff } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import {
  EwmaVol,
  RollingVol,
  closeToCloseVol,
  ewmaVol,
  garmanKlassVol,
  parkinsonVol,
  rogersSatchellVol,
  rollingVol,
  yangZhangVol,
} from './index.ts'

// A small fixed series; the expected values below are computed straight from the published formulas.
const O = Float64Array.from([100, 101, 100.5, 102, 101.5, 103])
const H = Float64Array.from([101.5, 102, 102.5, 103, 103.5, 104])
const L = Float64Array.from([99.5, 100.2, 99.8, 101, 100.9, 102.2])
const C = Float64Array.from([101, 100.6, 102.1, 101.4, 103.2, 103.8])
const ln = Math.log

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}
function sampleVar(xs: number[]): number {
  const m = mean(xs)
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)
}

describe('volatility estimators on a hand-checked series', () => {
  const w = 3
  const last = 5
  const idx = [3, 4, 5]
  it('close-to-close is the sample std of the last 3 log returns', () => {
    const out = closeToCloseVol(C, { window: w })
    assert.ok(Number.isNaN(out[2]!))
    const r = idx.map((i) => ln(C[i]! / C[i - 1]!))
    assert.ok(Math.abs(out[last]! - Math.sqrt(sampleVar(r))) < 1e-15)
  })
  it('Parkinson is sqrt(mean(ln(H/L)^2) / 4ln2)', () => {
    const out = parkinsonVol(H, L, { window: w })
    const v = mean(idx.map((i) => ln(H[i]! / L[i]!) ** 2)) / (4 * Math.LN2)
    assert.ok(Math.abs(out[last]! - Math.sqrt(v)) < 1e-15)
    assert.ok(Number.isNaN(out[1]!) && Number.isFinite(out[2]!))
  })
  it('Garman-Klass is sqrt(mean(0.5 ln(H/L)^2 - (2ln2-1) ln(C/O)^2))', () => {
    const out = garmanKlassVol(O, H, L, C, { window: w })
    const v = mean(idx.map((i) => 0.5 * ln(H[i]! / L[i]!) ** 2 - (2 * Math.LN2 - 1) * ln(C[i]! / O[i]!) ** 2))
    assert.ok(Math.abs(out[last]! - Math.sqrt(v)) < 1e-15)
  })
  it('Rogers-Satchell is sqrt(mean(ln(H/C)ln(H/O) + ln(L/C)ln(L/O)))', () => {
    const out = rogersSatchellVol(O, H, L, C, { window: w })
    const v = mean(idx.map((i) => ln(H[i]! / C[i]!) * ln(H[i]! / O[i]!) + ln(L[i]! / C[i]!) * ln(L[i]! / O[i]!)))
    assert.ok(Math.abs(out[last]! - Math.sqrt(v)) < 1e-15)
  })
  it('Yang-Zhang combines overnight, open-to-close and Rogers-Satchell variances with k', () => {
    const out = yangZhangVol(O, H, L, C, { window: w, periodsPerYear: 252 })
    const k = 0.34 / (1.34 + (w + 1) / (w - 1))
    const so = sampleVar(idx.map((i) => ln(O[i]! / C[i - 1]!)))
    const sc = sampleVar(idx.map((i) => ln(C[i]! / O[i]!)))
    const rs = mean(idx.map((i) => ln(H[i]! / C[i]!) * ln(H[i]! / O[i]!) + ln(L[i]! / C[i]!) * ln(L[i]! / O[i]!)))
    assert.ok(Math.abs(out[last]! - Math.sqrt((so + k * sc + (1 - k) * rs) * 252)) < 1e-13)
    assert.ok(Number.isNaN(out[2]!) && Number.isFinite(out[3]!))
  })
  it('EWMA follows the RiskMetrics recursion seeded with the first squared return', () => {
    const r = Float64Array.from([NaN, 0.01, -0.02, 0.005])
    const out = ewmaVol(r)
    const v1 = 0.01 ** 2
    const v2 = 0.94 * v1 + 0.06 * 0.02 ** 2
    const v3 = 0.94 * v2 + 0.06 * 0.005 ** 2
    assert.ok(Number.isNaN(out[0]!))
    assert.ok(Math.abs(out[1]! - 0.01) < 1e-15)
    assert.ok(Math.abs(out[2]! - Math.sqrt(v2)) < 1e-15)
    assert.ok(Math.abs(out[3]! - Math.sqrt(v3)) < 1e-15)
  })
  it('a NaN bar makes every window holding it NaN, then the estimate recovers', () => {
    const h = Float64Array.from([...H, ...H])
    const l = Float64Array.from([...L, ...L])
    h[4] = NaN
    const out = parkinsonVol(h, l, { window: 3 })
    assert.ok(Number.isFinite(out[3]!))
    assert.ok([4, 5, 6].every((i) => Number.isNaN(out[i]!)))
    assert.ok(Number.isFinite(out[7]!))
    assert.ok(Math.abs(out[7]! - parkinsonVol(h.subarray(5), l.subarray(5), { window: 3 })[2]!) < 1e-15)
  })
  it('rejects a window below 2 and lambda outside (0,1) with PARAM_INVALID', () => {
    assert.throws(
      () => parkinsonVol(H, L, { window: 1 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    assert.throws(
      () => new EwmaVol({ lambda: 1 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})

/** GBM with `steps` sub-steps per bar, per-bar σ `sigma`, no drift, opens at the previous close. */
function gbmBars(n: number, sigma: number, steps: number, seed: number) {
  const rng = new Rng(seed)
  const o = new Float64Array(n)
  const h = new Float64Array(n)
  const l = new Float64Array(n)
  const c = new Float64Array(n)
  let p = 100
  const s = sigma / Math.sqrt(steps)
  for (let i = 0; i < n; i++) {
    o[i] = p
    let hi = p
    let lo = p
    for (let k = 0; k < steps; k++) {
      p *= Math.exp(s * rng.normal() - (s * s) / 2)
      if (p > hi) hi = p
      if (p < lo) lo = p
    }
    h[i] = hi
    l[i] = lo
    c[i] = p
  }
  return { o, h, l, c }
}

describe('volatility estimators on synthetic GBM with known sigma', () => {
  const sigma = 0.01
  const n = 3000
  const { o, h, l, c } = gbmBars(n, sigma, 256, 42)
  for (const kind of ['closeToClose', 'parkinson', 'garmanKlass', 'rogersSatchell', 'yangZhang'] as const) {
    it(`${kind} estimates sigma within 8% over ${n - 1} bars`, () => {
      const out = rollingVol(kind, o, h, l, c, { window: n - 1 })
      const est = out[n - 1]!
      assert.ok(Math.abs(est / sigma - 1) < 0.08, `${kind}: ${est}`)
    })
  }
  it('EWMA ends near sigma and annualisation scales by sqrt(periods)', () => {
    const r = new Float64Array(n)
    r[0] = NaN
    for (let i = 1; i < n; i++) r[i] = Math.log(c[i]! / c[i - 1]!)
    const a = ewmaVol(r, { lambda: 0.99 })
    const b = ewmaVol(r, { lambda: 0.99, periodsPerYear: 252 })
    assert.ok(Math.abs(a[n - 1]! / sigma - 1) < 0.25)
    assert.ok(Math.abs(b[n - 1]! / a[n - 1]! - Math.sqrt(252)) < 1e-12)
  })
})

/** Direct windowed formula of each estimator at bar t (window w), from the published definitions. */
function naive(kind: string, o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, t: number, w: number) {
  const idx = Array.from({ length: w }, (_, k) => t - w + 1 + k)
  const rs = (i: number) => ln(h[i]! / c[i]!) * ln(h[i]! / o[i]!) + ln(l[i]! / c[i]!) * ln(l[i]! / o[i]!)
  switch (kind) {
    case 'closeToClose':
      return Math.sqrt(sampleVar(idx.map((i) => ln(c[i]! / c[i - 1]!))))
    case 'parkinson':
      return Math.sqrt(mean(idx.map((i) => ln(h[i]! / l[i]!) ** 2)) / (4 * Math.LN2))
    case 'garmanKlass':
      return Math.sqrt(mean(idx.map((i) => 0.5 * ln(h[i]! / l[i]!) ** 2 - (2 * Math.LN2 - 1) * ln(c[i]! / o[i]!) ** 2)))
    case 'rogersSatchell':
      return Math.sqrt(mean(idx.map(rs)))
    default: {
      const k = 0.34 / (1.34 + (w + 1) / (w - 1))
      const so = sampleVar(idx.map((i) => ln(o[i]! / c[i - 1]!)))
      const sc = sampleVar(idx.map((i) => ln(c[i]! / o[i]!)))
      return Math.sqrt(so + k * sc + (1 - k) * mean(idx.map(rs)))
    }
  }
}

describe('streaming twins agree with a direct windowed computation on bundled data', () => {
  for (const name of ['SPY_1d', 'BTC-USD_1m']) {
    const s = loadBundled(name)
    for (const kind of ['closeToClose', 'parkinson', 'garmanKlass', 'rogersSatchell', 'yangZhang'] as const) {
      it(`${kind} on ${name}, every bar, to 1e-9`, () => {
        const w = 20
        const st = new RollingVol(kind, { window: w })
        const live = new Float64Array(s.close.length)
        for (let i = 0; i < live.length; i++)
          live[i] = st.update({ open: s.open[i]!, high: s.high[i]!, low: s.low[i]!, close: s.close[i]! })
        const first = kind === 'closeToClose' || kind === 'yangZhang' ? w : w - 1
        const ref = live.map((_, t) => (t < first ? NaN : naive(kind, s.open, s.high, s.low, s.close, t, w)))
        assertArraysClose(live, ref, 1e-9, kind)
        assert.ok(maxRelDiff(live, ref) < 1e-9, `${kind}: relative error ${maxRelDiff(live, ref)}`)
        assertArraysClose(rollingVol(kind, s.open, s.high, s.low, s.close, { window: w }), live, 0, `${kind} batch`)
      })
    }
  }
})
