import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, isKestrelError } from '../../core/index.ts'
import { assertArraysClose } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import { RollingBeta, relativeStrength, rollingBeta, rollingCorrelation, sectorMomentum } from './index.ts'

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
  it('streaming twin agrees on IBM vs SPY 1m closes (first 2000 bars)', () => {
    const a = loadBundled('IBM_1m').close.subarray(0, 2000)
    const b = loadBundled('SPY_1m').close.subarray(0, 2000)
    const s = new RollingBeta(60)
    const live = new Float64Array(2000)
    for (let i = 0; i < 2000; i++) live[i] = s.update(a[i]!, b[i]!)[1]!
    assertArraysClose(live, rollingBeta(a, b, 60))
  })
})
