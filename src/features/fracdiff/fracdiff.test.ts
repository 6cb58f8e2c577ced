import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { assertArraysClose } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import { FracDiff, adfTest, ffdWeights, fracDiff, mackinnonCrit, mackinnonP, minFfdD } from './index.ts'

function logClose(name: string): Float64Array {
  return loadBundled(name).close.map(Math.log)
}

describe('fixed-width fractional differentiation', () => {
  it('has the AFML weights 1, -d, -d(1-d)/2, ... for d = 0.5', () => {
    const w = ffdWeights(0.5, 1e-3)
    assert.equal(w[0], 1)
    assert.equal(w[1], -0.5)
    assert.equal(w[2], -0.125)
    assert.equal(w[3], -0.0625)
    assert.ok(Math.abs(w[w.length - 1]!) >= 1e-3)
    assert.ok(Math.abs((-w[w.length - 1]! * (0.5 - w.length + 1)) / w.length) < 1e-3)
  })
  it('is the identity for d = 0 and the first difference for d = 1', () => {
    const x = Float64Array.from([3, 5, 4, 8])
    assertArraysClose(fracDiff(x, { d: 0 }), x, 0)
    assertArraysClose(fracDiff(x, { d: 1 }), Float64Array.from([NaN, 2, -1, 4]), 0)
  })
  it('streaming twin agrees with the batch kernel on SPY_1d log prices', () => {
    const x = logClose('SPY_1d')
    const batch = fracDiff(x, { d: 0.4, threshold: 1e-3 })
    const s = new FracDiff({ d: 0.4, threshold: 1e-3 })
    assertArraysClose(
      x.map((v) => s.update(v)),
      batch,
      1e-12,
    )
    assert.ok(Number.isFinite(batch[x.length - 1]!))
  })
  it('rejects a threshold that needs more weights than maxWidth', () => {
    assert.throws(
      () => ffdWeights(0.05, 1e-9, 100),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /maxWidth|at most 100/.test(e.message),
    )
  })
})

/** The ADF design with `p` lagged differences over rows t = first … n−1: columns 1, y_{t−1}, Δy_{t−i}. */
function adfDesign(y: Float64Array, p: number, first: number): { rows: number[][]; ys: number[] } {
  const rows: number[][] = []
  const ys: number[] = []
  for (let t = first; t < y.length; t++) {
    const row = [1, y[t - 1]!]
    for (let i = 1; i <= p; i++) row.push(y[t - i]! - y[t - i - 1]!)
    rows.push(row)
    ys.push(y[t]! - y[t - 1]!)
  }
  return { rows, ys }
}

/** OLS by Gauss-Jordan on [X'X | I | X'y]: coefficients, (X'X)^-1 and the residual sum of squares. */
function handOls(rows: number[][], ys: number[]) {
  const k = rows[0]!.length
  const m = Array.from({ length: k }, (_, i) => [
    ...Array.from({ length: k }, (_, j) => rows.reduce((a, r) => a + r[i]! * r[j]!, 0)),
    ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)),
    rows.reduce((a, r, n) => a + r[i]! * ys[n]!, 0),
  ])
  for (let c = 0; c < k; c++) {
    let piv = c
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r
    ;[m[c], m[piv]] = [m[piv]!, m[c]!]
    const d = m[c]![c]!
    m[c] = m[c]!.map((v) => v / d)
    for (let r = 0; r < k; r++) if (r !== c) m[r] = m[r]!.map((v, j) => v - m[r]![c]! * m[c]![j]!)
  }
  const beta = m.map((r) => r[2 * k]!)
  const inv = m.map((r) => r.slice(k, 2 * k))
  const ssr = rows.reduce((a, r, n) => a + (ys[n]! - r.reduce((s2, x, j) => s2 + x * beta[j]!, 0)) ** 2, 0)
  return { beta, inv, ssr, k }
}

describe('ADF test', () => {
  it('MacKinnon 2010 critical values for large n are -3.43, -2.86, -2.57', () => {
    const c = mackinnonCrit(1e9)
    assert.equal(c['1%'].toFixed(2), '-3.43')
    assert.equal(c['5%'].toFixed(2), '-2.86')
    assert.equal(c['10%'].toFixed(2), '-2.57')
    assert.ok(mackinnonCrit(100)['5%'] < c['5%']) // small samples need a more negative statistic
  })
  it('MacKinnon p-values are near 1%, 5% and 10% at the asymptotic critical values', () => {
    assert.ok(Math.abs(mackinnonP(-3.43035) - 0.01) < 0.002)
    assert.ok(Math.abs(mackinnonP(-2.86154) - 0.05) < 0.005)
    assert.ok(Math.abs(mackinnonP(-2.56677) - 0.1) < 0.01)
    assert.equal(mackinnonP(3), 1)
    assert.equal(mackinnonP(-20), 0)
  })
  it('with lag 0 equals the t-ratio of a hand-rolled regression of dy on y_{t-1}', () => {
    const rng = new Rng(7)
    const y = new Float64Array(60)
    for (let i = 1; i < y.length; i++) y[i] = 0.7 * y[i - 1]! + rng.normal()
    const r = adfTest(y, { maxLag: 0, autolag: 'fixed' })
    // Closed form: b = Sxy / Sxx, se(b) = sqrt(s^2 / Sxx), s^2 = SSR / (n - 2).
    const xs = Array.from(y.subarray(0, -1))
    const ys = xs.map((_, i) => y[i + 1]! - y[i]!)
    const n = xs.length
    const mx = xs.reduce((a, b) => a + b) / n
    const my = ys.reduce((a, b) => a + b) / n
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0)
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0)
    const b = sxy / sxx
    const a0 = my - b * mx
    const ssr = xs.reduce((a, x, i) => a + (ys[i]! - a0 - b * x) ** 2, 0)
    const t = b / Math.sqrt(ssr / (n - 2) / sxx)
    assert.equal(r.nobs, 59)
    assert.ok(Math.abs(r.statistic - t) < 1e-9 * Math.abs(t), `${r.statistic} vs ${t}`)
  })
  it('with lags equals a regression solved independently (Gauss-Jordan on the explicit design)', () => {
    const rng = new Rng(21)
    const y = new Float64Array(120)
    let dy = 0
    for (let i = 1; i < y.length; i++) {
      dy = 0.4 * dy + rng.normal()
      y[i] = 0.9 * y[i - 1]! + dy
    }
    const { rows, ys } = adfDesign(y, 2, 3)
    const fit = handOls(rows, ys)
    const se1 = Math.sqrt((fit.ssr / (rows.length - fit.k)) * fit.inv[1]![1]!)
    const r = adfTest(y, { maxLag: 2, autolag: 'fixed' })
    assert.equal(r.usedLag, 2)
    assert.equal(r.nobs, rows.length)
    const t = fit.beta[1]! / se1
    assert.ok(Math.abs(r.statistic - t) < 1e-8 * Math.abs(t), `${r.statistic} vs ${t}`)
  })
  it('selects the lag with the lowest AIC on the common sample, as statsmodels does', () => {
    const rng = new Rng(33)
    const y = new Float64Array(300)
    let d1 = 0
    let d2 = 0
    for (let i = 1; i < y.length; i++) {
      const d = 0.5 * d1 - 0.3 * d2 + rng.normal()
      d2 = d1
      d1 = d
      y[i] = y[i - 1]! + d
    }
    const maxLag = 6
    const aic = Array.from({ length: maxLag + 1 }, (_, p) => {
      const { rows, ys } = adfDesign(y, p, maxLag + 1)
      const n = rows.length
      return n * (Math.log(2 * Math.PI) + Math.log(handOls(rows, ys).ssr / n) + 1) + 2 * (p + 2)
    })
    const best = aic.indexOf(Math.min(...aic))
    const chosen = adfTest(y, { maxLag })
    assert.equal(chosen.usedLag, best)
    assert.ok(Math.abs(chosen.aic - aic[best]!) < 1e-8 * Math.abs(aic[best]!))
    assert.ok(best >= 2, `AR(2) differences want 2 lags, AIC chose ${best}`)
  })
  it('calls a seeded random walk non-stationary and white noise stationary with p < 0.01', () => {
    const rng = new Rng(11)
    const walk = new Float64Array(1000)
    const noise = new Float64Array(1000)
    for (let i = 0; i < walk.length; i++) {
      noise[i] = rng.normal()
      walk[i] = (i > 0 ? walk[i - 1]! : 0) + rng.normal()
    }
    assert.ok(adfTest(walk).pValue > 0.1)
    const wn = adfTest(noise)
    assert.ok(wn.pValue < 0.01, `p = ${wn.pValue}`)
    assert.ok(wn.statistic < wn.critical['1%'])
  })
  it('picks a longer lag by AIC when the differences are autocorrelated', () => {
    const rng = new Rng(4)
    const y = new Float64Array(800)
    let dy = 0
    for (let i = 1; i < y.length; i++) {
      dy = 0.6 * dy + rng.normal()
      y[i] = y[i - 1]! + dy
    }
    const r = adfTest(y, { maxLag: 8 })
    assert.ok(r.usedLag >= 1, `lag ${r.usedLag}`)
    assert.ok(r.pValue > 0.05)
  })
  it('rejects NaN input with the index', () => {
    assert.throws(
      () => adfTest(Float64Array.from([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10, 11])),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /value 2/.test(e.message),
    )
  })
})

describe('minimum d search', () => {
  it('finds 0 < d < 1 that makes SPY_1d log prices pass ADF at 95% while d = 0 fails', () => {
    const r = minFfdD(logClose('SPY_1d'), { threshold: 1e-3, maxLag: 5 })
    assert.ok(r.passed)
    assert.ok(r.d > 0 && r.d < 1, `d = ${r.d}`)
    assert.ok(r.table[0]!.adf.pValue > 0.05)
    const at = r.table.find((x) => x.d === r.d)!
    assert.ok(at.adf.pValue < 0.05)
    assert.ok(at.correlation > 0.5, `memory kept: corr ${at.correlation}`)
  })
})
