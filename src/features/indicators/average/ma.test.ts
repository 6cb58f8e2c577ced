import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../../core/index.ts'
import { ema } from './ema.ts'
import { createMovingAverage, maLookback, movingAverage } from './ma.ts'
import { sma } from './sma.ts'
import { wma } from './wma.ts'

const f = (xs: number[]) => Float64Array.from(xs)
const nanEq = (a: Float64Array, b: number[]) => assert.deepEqual(Array.from(a), b)

describe('moving averages by hand', () => {
  it('SMA(3) of 1..6 is NaN, NaN, 2, 3, 4, 5', () => {
    nanEq(sma(f([1, 2, 3, 4, 5, 6]), 3), [NaN, NaN, 2, 3, 4, 5])
  })
  it('EMA(3) is seeded with the SMA of the first 3 values, then k = 0.5', () => {
    nanEq(ema(f([1, 2, 3, 5, 9]), 3), [NaN, NaN, 2, 3.5, 6.25])
  })
  it('WMA(3) weights the newest value 3/6', () => {
    nanEq(wma(f([1, 2, 3, 6]), 3), [NaN, NaN, 14 / 6, (2 + 6 + 18) / 6])
  })
  it('MA with period 1 copies the input for every type (TA-Lib)', () => {
    for (let t = 0; t <= 8; t++) {
      nanEq(movingAverage(f([3, 1, 4]), 1, t), [3, 1, 4])
      assert.equal(maLookback(1, t), 0)
      assert.equal(createMovingAverage(1, t).update(7), 7)
    }
  })
  it('has TA-Lib lookbacks per type (DEMA 2(p−1), TEMA 3(p−1), KAMA p, MAMA 32, T3 6(p−1))', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8].map((t) => maLookback(10, t)),
      [9, 9, 9, 18, 27, 9, 10, 32, 54],
    )
  })
  it('rejects an unknown MA type naming the parameter', () => {
    assert.throws(
      () => movingAverage(f([1, 2]), 2, 9),
      (e) => isKestrelError(e, 'PARAM_INVALID') && e.message === 'ma(matype): expected integer in [0, 8], got 9',
    )
  })
  it('writes into a caller-supplied array and refuses one that is too short', () => {
    const out = new Float64Array(4)
    assert.equal(sma(f([1, 2, 3, 4]), 2, out), out)
    assert.throws(() => sma(f([1, 2, 3, 4]), 2, new Float64Array(2)), /sma\(out\)/)
  })
  it('replace on a streaming MA gives the value of the corrected bar', () => {
    const s = createMovingAverage(3, 0)
    s.update(1)
    s.update(2)
    assert.equal(s.update(100), (1 + 2 + 100) / 3)
    assert.equal(s.update(3, true), 2)
    assert.equal(s.update(6), (2 + 3 + 6) / 3)
  })
})
