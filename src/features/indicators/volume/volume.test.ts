/** Zero-volume and gap behaviour of the volume indicators (MFI, OBV, AD, ADOSC) against TA-Lib. */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { ad, adosc } from './ad.ts'
import { mfi } from './mfi.ts'
import { obv } from './obv.ts'
import { trange } from '../volatility/atr.ts'

const talib = createRequire(import.meta.url)('talib') as {
  execute(a: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
}
const f = (xs: number[]): Float64Array => Float64Array.from(xs)

describe('volume indicators with zero volume', () => {
  const high = f([11, 12, 13, 12, 14, 15, 14, 13])
  const low = f([9, 10, 11, 10, 12, 13, 12, 11])
  const close = f([10, 11.5, 12, 11, 13.5, 14, 12.5, 12])
  const zero = new Float64Array(8)
  const some = f([100, 0, 0, 50, 0, 0, 0, 10])
  const ta = (name: string, volume: Float64Array, opt: Record<string, number> = {}): number[] =>
    talib.execute({
      name,
      startIdx: 0,
      endIdx: 7,
      high: Array.from(high),
      low: Array.from(low),
      close: Array.from(close),
      inReal: Array.from(close),
      volume: Array.from(volume),
      ...opt,
    }).result.outReal!

  it('MFI is 0 when the window has no money flow (sum below 1), like TA-Lib', () => {
    const m = mfi(high, low, close, zero, 3)
    assert.deepEqual(Array.from(m).slice(3), [0, 0, 0, 0, 0])
    assert.deepEqual(Array.from(m).slice(3), ta('MFI', zero, { optInTimePeriod: 3 }))
    const m2 = mfi(high, low, close, some, 3)
    assert.deepEqual(Array.from(m2).slice(3), ta('MFI', some, { optInTimePeriod: 3 }))
    // bars 4..6 have volume 0 but bar 3 (a fall, TP 11 · 50) is in the window until bar 5: 0 % up
    assert.equal(m2[4], 0)
  })

  it('OBV and AD do not move on zero-volume bars', () => {
    const o = obv(close, some)
    assert.deepEqual(Array.from(o), [100, 100, 100, 50, 50, 50, 50, 40])
    assert.deepEqual(Array.from(o), ta('OBV', some))
    const a = ad(high, low, close, some)
    assert.deepEqual(Array.from(a), ta('AD', some))
    assert.equal(a[1], a[2])
    assert.deepEqual(Array.from(ad(high, low, close, zero)), Array.from(zero))
  })

  it('ADOSC is 0 throughout with no volume and follows TA-Lib with some', () => {
    assert.deepEqual(Array.from(adosc(high, low, close, zero, 2, 4)).slice(3), [0, 0, 0, 0, 0])
    const x = adosc(high, low, close, some, 2, 4)
    const r = ta('ADOSC', some, { optInFastPeriod: 2, optInSlowPeriod: 4 })
    r.forEach((v, j) => assert.ok(Math.abs(x[j + 3]! - v) <= 1e-9 * Math.max(1, Math.abs(v))))
  })

  it('true range spans a gap from the previous close', () => {
    // gap up: previous close 10, bar 20..22 → TR 12; gap down: previous close 22, bar 5..6 → TR 17
    const tr = trange(f([11, 22, 6]), f([9, 20, 5]), f([10, 22, 5.5]))
    assert.deepEqual(Array.from(tr).slice(1), [12, 17])
  })
})
