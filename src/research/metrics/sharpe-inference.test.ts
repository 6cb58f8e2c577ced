import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import {
  deflatedSharpeRatio,
  expectedMaxSharpe,
  minTrackRecordLength,
  probabilisticSharpeRatio,
} from './sharpe-inference.ts'
import { assertClose } from './test-vectors.ts'

describe('Sharpe ratio inference (Bailey & López de Prado)', () => {
  it('reproduces the deflated Sharpe ratio paper’s example: SR0 ≈ 0.1132, DSR ≈ 0.9004', () => {
    // 2014 paper, numerical example: annualised SR 2.5 over T = 1250 daily observations, N = 100 trials with
    // annualised Sharpe variance 1/2, skew −3, kurtosis 10 (250 observations a year).
    const sr = 2.5 / Math.sqrt(250)
    const v = 0.5 / 250
    const sr0 = expectedMaxSharpe(100, v)
    assert.equal(sr0.toFixed(4), '0.1132')
    assertClose(sr0, 0.11317200186513214, 1e-15, 'SR0 (scipy)')
    const dsr = deflatedSharpeRatio(sr, 1250, -3, 10, 100, v)
    assert.equal(dsr.toFixed(4), '0.9004')
    assertClose(dsr, 0.9003968344493903, 1e-14, 'DSR (scipy)')
  })
  it('PSR matches a hand computation with scipy.stats.norm', () => {
    // Φ(0.1·√249 / √(1 + 0.5·0.1 + (5 − 1)/4·0.01))
    assertClose(probabilisticSharpeRatio(0.1, 250, -0.5, 5, 0), 0.937320574390259, 1e-14)
    assertClose(probabilisticSharpeRatio(0.1, 250, 0, 3, 0.05), 0.7843653865209808, 1e-14)
    assertClose(probabilisticSharpeRatio(0, 250, 0, 3, 0), 0.5, 1e-15)
    assertClose(probabilisticSharpeRatio(0.1, 1, 0, 3, 0), NaN)
  })
  it('the minimum track record length is where PSR reaches the confidence', () => {
    const n = minTrackRecordLength(0.1, -0.5, 5, 0, 0.95)
    assertClose(n, 287.78760613411384, 1e-10)
    assertClose(probabilisticSharpeRatio(0.1, n, -0.5, 5, 0), 0.95, 1e-12)
    assertClose(minTrackRecordLength(0.1, 0, 3, 0.05, 0.95), 1088.628468546356, 1e-9)
    assert.equal(minTrackRecordLength(0.04, 0, 3, 0.05), Infinity)
  })
  it('with one trial the deflated Sharpe ratio is PSR(0)', () => {
    assert.equal(expectedMaxSharpe(1, 0.3), 0)
    assert.equal(deflatedSharpeRatio(0.1, 250, -0.5, 5, 1, 0), probabilisticSharpeRatio(0.1, 250, -0.5, 5, 0))
  })
  it('more trials raise the bar: expected max Sharpe grows with N and DSR falls', () => {
    let prev = 0
    for (const n of [2, 10, 100, 1000]) {
      const e = expectedMaxSharpe(n, 1)
      assert.ok(e > prev)
      prev = e
    }
    assert.ok(deflatedSharpeRatio(0.1, 500, 0, 3, 1000, 0.001) < deflatedSharpeRatio(0.1, 500, 0, 3, 10, 0.001))
  })
  it('rejects a non-integer trial count', () => {
    assert.throws(
      () => expectedMaxSharpe(2.5, 1),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
