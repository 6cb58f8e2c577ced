import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { loadBundled } from '../common/bundled.ts'
import {
  CusumFilter,
  HmmFilter,
  cusumFilter,
  eventIndices,
  fitHmm,
  hmmFilter,
  trendRegime,
  viterbi,
  volatilityRegime,
} from './index.ts'

/** A seeded 2-state Gaussian series: calm (mean 0.5, sd 0.5) and wild (mean -1, sd 2). */
function twoState(T: number, seed: number) {
  const rng = new Rng(seed)
  const x = new Float64Array(T)
  const s = new Int32Array(T)
  const mu = [0.5, -1]
  const sd = [0.5, 2]
  const stay = [0.95, 0.9]
  let k = 0
  for (let t = 0; t < T; t++) {
    if (t > 0 && rng.uniform() > stay[k]!) k = 1 - k
    s[t] = k
    x[t] = mu[k]! + sd[k]! * rng.normal()
  }
  return { x, s }
}

describe('Gaussian HMM', () => {
  const { x, s } = twoState(3000, 2024)
  const fit = fitHmm(x, { states: 2 })
  it('recovers means, variances and transition probabilities of a seeded 2-state series', () => {
    const m = fit.model
    assert.ok(fit.converged)
    assert.ok(Math.abs(m.means[0]! - 0.5) < 0.1, `mean0 ${m.means[0]}`)
    assert.ok(Math.abs(m.means[1]! + 1) < 0.2, `mean1 ${m.means[1]}`)
    assert.ok(Math.abs(m.variances[0]! / 0.25 - 1) < 0.15, `var0 ${m.variances[0]}`)
    assert.ok(Math.abs(m.variances[1]! / 4 - 1) < 0.15, `var1 ${m.variances[1]}`)
    assert.ok(Math.abs(m.A[0]! - 0.95) < 0.03 && Math.abs(m.A[3]! - 0.9) < 0.04, `A ${m.A}`)
  })
  it('EM never lowers the likelihood', () => {
    const a = fitHmm(x, { maxIter: 3 }).logLikelihood
    const b = fitHmm(x, { maxIter: 10 }).logLikelihood
    assert.ok(b >= a && fit.logLikelihood >= b)
  })
  it('Viterbi decodes more than 90% of the true states', () => {
    const path = viterbi(x, fit.model)
    let ok = 0
    for (let t = 0; t < x.length; t++) if (path[t] === s[t]) ok++
    assert.ok(ok / x.length > 0.9, `${ok / x.length}`)
  })
  it('filtering uses only the past: probabilities at t are the same on data truncated at t', () => {
    const full = hmmFilter(x, fit.model)
    for (const t of [0, 1, 17, 500, 2999]) {
      const part = hmmFilter(x.subarray(0, t + 1), fit.model)
      assert.equal(part[0]![t], full[0]![t])
      assert.equal(part[1]![t], full[1]![t])
    }
    const f = new HmmFilter(fit.model)
    let ok = 0
    for (let t = 0; t < x.length; t++) {
      const p = f.update(x[t]!)
      assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-12)
      if (f.state === s[t]) ok++
    }
    assert.ok(ok / x.length > 0.85)
  })
  it('rejects NaN in the fitting data', () => {
    assert.throws(
      () => fitHmm(Float64Array.from([1, NaN, 2, 3])),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})

describe('regime labels', () => {
  it('ranks volatility in its trailing window into low, normal and high', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5, 0.5, 3.5])
    const r = volatilityRegime(v, { window: 4 })
    assert.ok(Number.isNaN(r[2]!))
    assert.deepEqual([...r.subarray(3)], [2, 2, 0, 1])
  })
  it('labels a steady rise +1 and a steady fall -1, from the slope t-ratio', () => {
    const rng = new Rng(1)
    const up = Float64Array.from({ length: 60 }, (_, i) => 100 * Math.exp(0.01 * i + 0.001 * rng.normal()))
    const down = up.slice().reverse()
    assert.equal(trendRegime(up, 20).label[59], 1)
    assert.equal(trendRegime(down, 20).label[59], -1)
    // the t-ratio is the OLS slope of ln(close) on 0..w-1 over its standard error
    const y = Array.from(up.subarray(40, 60), Math.log)
    const xm = 9.5
    const ym = y.reduce((a, b) => a + b) / 20
    const sxx = y.reduce((a, _, k) => a + (k - xm) ** 2, 0)
    const b = y.reduce((a, v, k) => a + (k - xm) * (v - ym), 0) / sxx
    const ssr = y.reduce((a, v, k) => a + (v - ym - b * (k - xm)) ** 2, 0)
    const tRef = b / Math.sqrt(ssr / 18 / sxx)
    assert.ok(Math.abs(trendRegime(up, 20).tStat[59]! / tRef - 1) < 1e-9)
    const flat = Float64Array.from({ length: 60 }, () => 100 * Math.exp(0.001 * rng.normal()))
    const t = trendRegime(flat, 20, 3)
    assert.ok(Number.isNaN(t.label[18]!) && Number.isFinite(t.tStat[19]!))
  })
})

describe('CUSUM filter', () => {
  it('fires when the cumulative log move passes h and then resets (hand-built path)', () => {
    const c = Float64Array.from([100, 100.6, 101.2, 100.9, 101.4, 100.1, 99.6])
    const e = cusumFilter(c, 0.01)
    // S+ = 0.598%, 1.193% > 1% → +1 at bar 2; S+ restarts; bar 3 -0.30% (S- -0.30%), bar 4 +0.49% (S- back to 0),
    // bar 5 -1.29% → S- < -1% → -1 at bar 5; bar 6 -0.50% is not enough
    assert.equal(e[2], 1)
    assert.deepEqual([...eventIndices(e)], [2, 5])
    assert.equal(e[5], -1)
  })
  it('matches a literal transcription of AFML snippet 2.4 on ETH-USD_1m, batch and streaming', () => {
    const s = loadBundled('ETH-USD_1m')
    const h = 0.003
    // AFML: diff = log price diff; sPos = max(0, sPos + d); sNeg = min(0, sNeg + d); sNeg < -h → event, else sPos > h
    const want = new Float64Array(s.close.length)
    let sPos = 0
    let sNeg = 0
    for (let i = 1; i < s.close.length; i++) {
      const d = Math.log(s.close[i]!) - Math.log(s.close[i - 1]!)
      sPos = Math.max(0, sPos + d)
      sNeg = Math.min(0, sNeg + d)
      if (sNeg < -h) {
        sNeg = 0
        want[i] = -1
      } else if (sPos > h) {
        sPos = 0
        want[i] = 1
      }
    }
    const batch = cusumFilter(s.close, h)
    assert.deepEqual([...eventIndices(batch)], [...eventIndices(want)])
    assert.deepEqual([...batch], [...want])
    const f = new CusumFilter(h)
    assert.deepEqual(
      Array.from(s.close, (c) => f.update(c)),
      [...want],
    )
    assert.ok(eventIndices(batch).length > 10)
  })
})
