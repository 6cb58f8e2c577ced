import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../../core/index.ts'
import { ema } from '../average/ema.ts'
import { macd, macdDef } from './macd.ts'
import { loadBundled } from '../test-data.ts'

describe('MACD (TA-Lib semantics)', () => {
  const x = loadBundled('SPY_1d').close.subarray(0, 200)
  it('seeds the fast EMA where the slow lookback ends, not at bar 0 (a TA-Lib particularity)', () => {
    const [m] = macd(x, 12, 26, 9)
    const slow = ema(x, 26)
    const lateFast = ema(x.subarray(26 - 12), 12)
    const earlyFast = ema(x, 12)
    const i = 26 - 1 + 8
    assert.equal(m[i], lateFast[i - 14] - slow[i])
    assert.notEqual(m[i], earlyFast[i] - slow[i])
  })
  it('has NaN in all three outputs up to the lookback (slow − 1) + (signal − 1)', () => {
    const out = macd(x, 12, 26, 9)
    for (const o of out) {
      assert.ok(Number.isNaN(o[32]))
      assert.ok(!Number.isNaN(o[33]))
    }
    assert.equal(macdDef.lookback([12, 26, 9]), 33)
  })
  it('histogram is macd − signal', () => {
    const [m, s, h] = macd(x, 12, 26, 9)
    for (let i = 33; i < x.length; i++) assert.equal(h[i], m[i] - s[i])
  })
  it('rejects fast ≥ slow (TA-Lib would silently swap them)', () => {
    assert.throws(
      () => macdDef.compute({ close: x }, [26, 12, 9]),
      (e) =>
        isKestrelError(e, 'PARAM_INVALID') &&
        /macd\(fastperiod\): expected fastperiod < slowperiod \(12\), got 26/.test(e.message),
    )
  })
})
