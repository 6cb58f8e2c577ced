import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { Stoch, stoch, stochf } from './stoch.ts'
import { willr } from './willr.ts'
import { stochrsi } from './stochrsi.ts'

const talib = createRequire(import.meta.url)('talib') as {
  execute(a: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
}

const f = (xs: number[]): Float64Array => Float64Array.from(xs)

describe('stochastics on a flat window', () => {
  // five flat bars, then a rise: the first windows have zero range
  const high = f([5, 5, 5, 5, 5, 5, 7, 8])
  const low = f([5, 5, 5, 5, 5, 5, 6, 6])
  const close = f([5, 5, 5, 5, 5, 5, 7, 7])
  const ta = (name: string, opt: Record<string, number>): Record<string, number[]> =>
    talib.execute({
      name,
      startIdx: 0,
      endIdx: 7,
      high: Array.from(high),
      low: Array.from(low),
      close: Array.from(close),
      ...opt,
    }).result

  it('gives fast %K = 0 where high = low, as TA-Lib does', () => {
    const [k, d] = stochf(high, low, close, 3, 2, 0)
    assert.deepEqual(Array.from(k).slice(3), [0, 0, 0, 100, 200 / 3])
    assert.deepEqual(
      Array.from(k).slice(3),
      ta('STOCHF', { optInFastK_Period: 3, optInFastD_Period: 2, optInFastD_MAType: 0 }).outFastK,
    )
    assert.deepEqual(Array.from(d).slice(3), [0, 0, 0, 50, (100 + 200 / 3) / 2])
  })

  it('gives WILLR = 0 where high = low, as TA-Lib does', () => {
    const w = willr(high, low, close, 3)
    assert.deepEqual(Array.from(w).slice(2), [0, 0, 0, 0, -0, -100 / 3])
    assert.deepEqual(Array.from(w).slice(2), ta('WILLR', { optInTimePeriod: 3 }).outReal)
  })

  it('gives STOCHRSI fast %K = 0 while the RSI is flat', () => {
    const x = f([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const [k] = stochrsi(x, 3, 3, 1, 0)
    // a steady rise: RSI = 100 throughout, so max = min and %K = 0
    assert.deepEqual(Array.from(k).slice(5), [0, 0, 0, 0, 0, 0, 0])
  })

  it('replaces a forming bar in the streaming twin, with an EMA smoothing', () => {
    const s = new Stoch(3, 2, 1, 2, 1)
    const [sk, sd] = stoch(high, low, close, 3, 2, 1, 2, 1)
    for (let i = 0; i < 8; i++) {
      s.update({ high: high[i]! + 3, low: low[i]! - 1, close: close[i]! + 2 })
      const v = s.update({ high: high[i]!, low: low[i]!, close: close[i]! }, true)
      if (i < 4) assert.equal(v, undefined)
      else assert.deepEqual(v, [sk[i], sd[i]])
    }
  })

  it('rejects invalid parameters naming the indicator and parameter', () => {
    assert.throws(() => stoch(high, low, close, 0), /stoch\(fastk_period\): expected integer ≥ 1, got 0/)
    assert.throws(() => stoch(high, low, close, 5, 3, 9), /stoch\(slowk_matype\)/)
    assert.throws(() => willr(high, low, close, 1), /willr\(timeperiod\): expected integer ≥ 2, got 1/)
  })
})
