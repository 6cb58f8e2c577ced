import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { checkReturns, cumulativeReturns, returnsFromEquity, totalReturn } from './returns.ts'

describe('returns', () => {
  it('turns an equity curve into simple returns', () => {
    const r = returnsFromEquity({ time: new Float64Array([1, 2, 3]), value: new Float64Array([100, 110, 99]) })
    assert.deepEqual([...r], [110 / 100 - 1, 99 / 110 - 1])
  })
  it('compounds cumulative and total returns like empyrical cum_returns (mixed_returns: 0.03893)', () => {
    const mixed = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100)
    const c = cumulativeReturns(mixed)
    // empyrical test_cum_returns literals, asserted there to 4 decimals
    const expected = [0.0, 0.01, 0.111, 0.066559, 0.08789, 0.12052, 0.14293, 0.15436, 0.03893]
    expected.forEach((x, i) => assert.ok(Math.abs(c[i]! - x) < 1.5e-4, `cum[${i}] ${c[i]} vs ${x}`))
    assert.equal(totalReturn(mixed), c[8])
    assert.ok(Number.isNaN(totalReturn([])))
  })
  it('names the bad point: infinite return, non-positive equity, unsorted or repeated times, length mismatch', () => {
    assert.throws(
      () => checkReturns([0.1, Infinity], 'r'),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /r\[1\]/.test(e.message),
    )
    const eq = (t: number[], v: number[]) =>
      returnsFromEquity({ time: new Float64Array(t), value: new Float64Array(v) })
    assert.throws(
      () => eq([1, 2], [100, -5]),
      (e) => isKestrelError(e, 'STATE_INVALID') && /equity\.value\[1\]/.test(e.message),
    )
    assert.throws(
      () => eq([1, 1], [100, 101]),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /equity\.time\[1\]/.test(e.message),
    )
    assert.throws(
      () => eq([1, 2, 3], [100, 101]),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
