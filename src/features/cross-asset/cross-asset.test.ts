import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { assertArraysClose, finiteCount, maxScaledDiff } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import {
  RelativeStrength,
  RollingBeta,
  SectorMomentumStream,
  relativeStrength,
  rollingBeta,
  rollingCorrelation,
  sectorMomentum,
} from './index.ts'

function prices(rets: Float64Array): Float64Array {
  const p = new Float64Array(rets.length + 1)
  p[0] = 100
  for (let i = 0; i < rets.length; i++) p[i + 1] = p[i]! * Math.exp(rets[i]!)
  return p
}

describe('cross-asset', () => {
  const rng = new Rng(8)
  const rb = Float64Array.from({ length: 500 }, () => 0.01 * rng.normal())
  const ra = rb.map((r) => 1.5 * r + 0.002 * rng.normal())
  const bench = prices(rb)
  const asset = prices(ra)
  it('beta of an asset built as 1.5 x benchmark + noise is 1.5', () => {
    const b = rollingBeta(asset, bench, 400)
    assert.ok(Math.abs(b[500]! - 1.5) < 0.03, `${b[500]}`)
    assert.ok(Number.isNaN(b[399]!) && Number.isFinite(b[400]!))
  })
  it('correlation is exactly 1 against itself scaled and near the construction otherwise', () => {
    const twice = asset.map((p) => p * p)
    const c = rollingCorrelation(twice, asset, 50)
    assert.ok(Math.abs(c[500]! - 1) < 1e-12)
    const sdA = 1.5 * 0.01
    const expected = sdA / Math.sqrt(sdA ** 2 + 0.002 ** 2)
    assert.ok(Math.abs(rollingCorrelation(asset, bench, 400)[500]! - expected) < 0.01)
  })
  it('relative strength is the difference of window log returns', () => {
    const rs = relativeStrength(Float64Array.from([100, 110, 121]), Float64Array.from([50, 50, 55]), 2)
    assert.ok(Math.abs(rs[2]! - (Math.log(1.21) - Math.log(1.1))) < 1e-15)
    assert.ok(Number.isNaN(rs[1]!))
  })
  it('sector momentum averages members and compares each symbol with its sector', () => {
    const r = sectorMomentum(
      {
        AAA: Float64Array.from([100, 110]),
        BBB: Float64Array.from([100, 90]),
        CCC: Float64Array.from([10, 12]),
      },
      { AAA: 'tech', BBB: 'tech', CCC: 'energy' },
      1,
    )
    assert.ok(Math.abs(r.sectors.tech![1]! - (Math.log(1.1) + Math.log(0.9)) / 2) < 1e-15)
    assert.equal(r.sectorOf.CCC![1], Math.log(1.2))
    assert.equal(r.relative.CCC![1], 0)
    assert.ok(Math.abs(r.relative.AAA![1]! - (Math.log(1.1) - r.sectors.tech![1]!)) < 1e-15)
  })
  it('rejects a symbol missing from the sector map, naming it', () => {
    assert.throws(
      () => sectorMomentum({ ZZZ: new Float64Array(3) }, {}, 1),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /ZZZ/.test(e.message),
    )
  })
  it('beta and correlation twins agree with a direct windowed computation on IBM vs SPY 1m', () => {
    const n = 2000
    const w = 60
    const a = loadBundled('IBM_1m').close.subarray(0, n)
    const b = loadBundled('SPY_1m').close.subarray(0, n)
    const s = new RollingBeta(w)
    const beta = new Float64Array(n)
    const corr = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const v = s.update(a[i]!, b[i]!)
      corr[i] = v[0]!
      beta[i] = v[1]!
    }
    const ra = (i: number) => Math.log(a[i]! / a[i - 1]!)
    const rb = (i: number) => Math.log(b[i]! / b[i - 1]!)
    const refBeta = new Float64Array(n).fill(NaN)
    const refCorr = new Float64Array(n).fill(NaN)
    for (let t = w; t < n; t++) {
      const idx = Array.from({ length: w }, (_, k) => t - w + 1 + k)
      const mx = idx.reduce((acc, i) => acc + rb(i), 0) / w
      const my = idx.reduce((acc, i) => acc + ra(i), 0) / w
      const sxy = idx.reduce((acc, i) => acc + (rb(i) - mx) * (ra(i) - my), 0)
      const sxx = idx.reduce((acc, i) => acc + (rb(i) - mx) ** 2, 0)
      const syy = idx.reduce((acc, i) => acc + (ra(i) - my) ** 2, 0)
      refBeta[t] = sxx > 0 ? sxy / sxx : NaN
      refCorr[t] = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN
    }
    assert.ok(maxScaledDiff(beta, refBeta) < 1e-9, `beta ${maxScaledDiff(beta, refBeta)}`)
    assert.ok(maxScaledDiff(corr, refCorr) < 1e-9, `corr ${maxScaledDiff(corr, refCorr)}`)
    assert.ok(finiteCount(refBeta) > n / 2)
    assertArraysClose(beta, refBeta, 1e-9, 'beta')
    assertArraysClose(corr, refCorr, 1e-9, 'corr')
    assertArraysClose(rollingBeta(a, b, w), beta, 0)
  })
  it('relative strength and sector momentum twins agree with the batch on bundled 1m closes', () => {
    const n = 2000
    const closes = {
      SPY: loadBundled('SPY_1m').close.subarray(0, n),
      IBM: loadBundled('IBM_1m').close.subarray(0, n),
      BAC: loadBundled('BAC_1m').close.subarray(0, n),
      AAPL: loadBundled('AAPL_1m').close.subarray(0, n),
    }
    const map = { SPY: 'index', IBM: 'tech', AAPL: 'tech', BAC: 'banks' }
    const batch = sectorMomentum(closes, map, 30)
    const st = new SectorMomentumStream(map, 30)
    const rs = new RelativeStrength(30)
    const live: Record<string, Float64Array> = {
      index: new Float64Array(n),
      tech: new Float64Array(n),
      banks: new Float64Array(n),
    }
    const liveRs = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const v = st.update({ SPY: closes.SPY[i]!, IBM: closes.IBM[i]!, BAC: closes.BAC[i]!, AAPL: closes.AAPL[i]! })
      for (const k of Object.keys(live)) live[k]![i] = v[k]!
      liveRs[i] = rs.update(closes.IBM[i]!, closes.SPY[i]!)
    }
    for (const k of Object.keys(live)) assertArraysClose(live[k]!, batch.sectors[k]!, 1e-12, k)
    assertArraysClose(liveRs, relativeStrength(closes.IBM, closes.SPY, 30), 1e-12, 'rs')
  })
})
