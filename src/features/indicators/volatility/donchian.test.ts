import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { Donchian, donchian } from './donchian.ts'
import { ORACLE_FILES, loadBundled } from '../test-data.ts'

const talib = createRequire(import.meta.url)('talib') as {
  execute(a: Record<string, unknown>): { begIndex: number; nbElement: number; result: { outReal: number[] } }
}

describe('donchian', () => {
  it('has TA-Lib MAX(high) and MIN(low) as its bands on the bundled data', () => {
    for (const name of ORACLE_FILES) {
      const d = loadBundled(name)
      for (const p of [20, 5, 1]) {
        const [u, m, l] = donchian(d.high, d.low, p)
        const n = d.length
        const max = talib.execute({
          name: 'MAX',
          startIdx: 0,
          endIdx: n - 1,
          inReal: Array.from(d.high),
          optInTimePeriod: Math.max(p, 2),
        })
        const min = talib.execute({
          name: 'MIN',
          startIdx: 0,
          endIdx: n - 1,
          inReal: Array.from(d.low),
          optInTimePeriod: Math.max(p, 2),
        })
        if (p === 1) {
          assert.deepEqual(Array.from(u), Array.from(d.high))
          continue
        }
        assert.equal(max.begIndex, p - 1)
        for (let i = 0; i < p - 1; i++) assert.ok(Number.isNaN(u[i]!) && Number.isNaN(m[i]!) && Number.isNaN(l[i]!))
        for (let j = 0; j < max.nbElement; j++) {
          const i = j + p - 1
          assert.equal(u[i], max.result.outReal[j], `${name} upper at ${i}`)
          assert.equal(l[i], min.result.outReal[j], `${name} lower at ${i}`)
          assert.equal(m[i], (u[i]! + l[i]!) / 2)
        }
      }
    }
  })

  it('computes a hand-checked channel', () => {
    const high = Float64Array.from([10, 12, 11, 9, 13])
    const low = Float64Array.from([8, 9, 7, 8, 10])
    const [u, m, l] = donchian(high, low, 3)
    assert.deepEqual(Array.from(u).slice(2), [12, 12, 13])
    assert.deepEqual(Array.from(l).slice(2), [7, 7, 7])
    assert.deepEqual(Array.from(m).slice(2), [9.5, 9.5, 10])
    const s = new Donchian(3)
    for (let i = 0; i < 5; i++) s.update({ high: high[i]!, low: low[i]! })
    assert.deepEqual(s.value, [13, 10, 7])
  })

  it('rejects a zero period', () => {
    assert.throws(
      () => donchian(new Float64Array(3), new Float64Array(3), 0),
      /donchian\(timeperiod\): expected integer ≥ 1, got 0/,
    )
  })
})
