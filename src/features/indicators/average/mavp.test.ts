import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../../core/index.ts'
import { close, loadBundled } from '../test-data.ts'
import { Mavp, mavp, mavpPeriod } from './mavp.ts'

interface Talib {
  execute(args: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
}
const talib = createRequire(import.meta.url)('talib') as Talib

/** Seeded periods in [−3, 45): below, inside and above [min, max], fractional (C truncates), and a few non-ints. */
function periodsFor(n: number, seed: number): Float64Array {
  let s = seed
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = (s / 4294967296) * 48 - 3
  }
  // values C's (int) cast turns into INT_MIN, so the minimum period
  out.set([NaN, Infinity, 1e12, -1e12], 100)
  return out
}

describe('mavp', () => {
  const data = loadBundled('SPY_1d')
  const values = data.close
  const periods = periodsFor(values.length, 7)
  for (const [minP, maxP] of [
    [2, 30],
    [5, 12],
  ] as const) {
    for (let maType = 0; maType <= 8; maType++) {
      it(`equals TA-Lib at every bar (min ${minP}, max ${maxP}, matype ${maType}), and so does the stream`, () => {
        const r = talib.execute({
          name: 'MAVP',
          startIdx: 0,
          endIdx: values.length - 1,
          inReal: Array.from(values),
          inPeriods: Array.from(periods),
          optInMinPeriod: minP,
          optInMaxPeriod: maxP,
          optInMAType: maType,
        })
        const got = mavp(values, periods, minP, maxP, maType)
        for (let i = 0; i < r.begIndex; i++) assert.ok(Number.isNaN(got[i]), `NaN at ${i}`)
        for (let j = 0; j < r.nbElement; j++) {
          const i = r.begIndex + j
          if (!close(got[i]!, r.result.outReal![j]!)) assert.fail(`[${i}]: ${got[i]} vs TA-Lib ${r.result.outReal![j]}`)
        }
        const s = new Mavp(minP, maxP, maType)
        for (let i = 0; i < values.length; i++) {
          if (i % 9 === 4) s.update([values[i]! * 1.01, periods[i]! + 3])
          const v = s.update([values[i]!, periods[i]!], i % 9 === 4)
          if (i < r.begIndex) assert.equal(v, undefined)
          else if (!close(v!, got[i]!)) assert.fail(`stream [${i}]: ${v} vs batch ${got[i]}`)
        }
      })
    }
  }
  it('truncates and clamps periods as C does', () => {
    assert.deepEqual(
      [2.9, 3.9, -1, 100, NaN, Infinity, 1e12].map((x) => mavpPeriod(x, 2, 30)),
      [2, 3, 2, 30, 2, 2, 2],
    )
  })
  it('rejects a maximum period below the minimum with PARAM_INVALID', () => {
    assert.throws(
      () => mavp(values, periods, 10, 5),
      (e) =>
        isKestrelError(e, 'PARAM_INVALID') &&
        /mavp\(maxperiod\): expected at least minperiod 10, got 5/.test(e.message),
    )
    assert.throws(
      () => new Mavp(10, 5),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
  it('rejects a minimum period below 2 with PARAM_INVALID', () => {
    assert.throws(
      () => mavp(values, periods, 1),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /mavp\(minperiod\)/.test(e.message),
    )
  })
})
