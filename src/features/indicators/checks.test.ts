import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { smaDef } from './average/sma.ts'
import { intParam, resolveParams } from './checks.ts'

describe('indicator parameter validation', () => {
  it('names the indicator and parameter: rsi(timeperiod): expected integer ≥ 2, got 0', () => {
    assert.throws(
      () => intParam('rsi', 'timeperiod', 0, 2),
      (e) => isKestrelError(e, 'PARAM_INVALID') && e.message === 'rsi(timeperiod): expected integer ≥ 2, got 0',
    )
  })
  it('rejects non-integers, too many params and out-of-range values through a def', () => {
    assert.throws(
      () => smaDef.compute({ close: new Float64Array(5) }, [2.5]),
      /sma\(timeperiod\): expected integer ≥ 2, got 2.5/,
    )
    assert.throws(() => smaDef.compute({ close: new Float64Array(5) }, [2, 3]), /sma: expected at most 1 parameter/)
    assert.throws(() => smaDef.stream([1]), /sma\(timeperiod\)/)
  })
  it('fills omitted trailing params with TA-Lib defaults', () => {
    assert.deepEqual(resolveParams('sma', smaDef.params, []), [30])
  })
  it('reports a missing input series', () => {
    assert.throws(
      () => smaDef.compute({}, []),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /input close is missing/.test(e.message),
    )
  })
})
