import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { Keltner, keltner } from './keltner.ts'
import { ORACLE_FILES, close, loadBundled } from '../test-data.ts'

const talib = createRequire(import.meta.url)('talib') as {
  execute(a: Record<string, unknown>): { begIndex: number; nbElement: number; result: { outReal: number[] } }
}

describe('keltner', () => {
  it('is TA-Lib EMA(typical price) ± k·TA-Lib ATR on the bundled data', () => {
    for (const name of ORACLE_FILES) {
      const d = loadBundled(name)
      const n = d.length
      for (const [p, k, ap] of [
        [20, 2, 10],
        [10, 1.5, 20],
      ] as const) {
        const [u, m, l] = keltner(d.high, d.low, d.close, p, k, ap)
        const tp = Array.from(d.high, (h, i) => (h + d.low[i]! + d.close[i]!) / 3)
        const e = talib.execute({ name: 'EMA', startIdx: 0, endIdx: n - 1, inReal: tp, optInTimePeriod: p })
        const a = talib.execute({
          name: 'ATR',
          startIdx: 0,
          endIdx: n - 1,
          high: Array.from(d.high),
          low: Array.from(d.low),
          close: Array.from(d.close),
          optInTimePeriod: ap,
        })
        const lb = Math.max(p - 1, ap)
        for (let i = 0; i < lb; i++) assert.ok(Number.isNaN(u[i]!) && Number.isNaN(m[i]!) && Number.isNaN(l[i]!))
        for (let i = lb; i < n; i++) {
          const mid = e.result.outReal[i - e.begIndex]!
          const atr = a.result.outReal[i - a.begIndex]!
          assert.ok(close(m[i]!, mid), `${name} middle at ${i}`)
          assert.ok(close(u[i]!, mid + k * atr), `${name} upper at ${i}`)
          assert.ok(close(l[i]!, mid - k * atr), `${name} lower at ${i}`)
        }
      }
    }
  })

  it('computes a hand-checked channel', () => {
    // typical prices 10, 11, 12, 13; EMA(2): seed (10+11)/2 = 10.5, then 10.5 + (12−10.5)·2/3 = 11.5, then 12.5
    // true ranges (bar 1..3): 2, 2, 2 → ATR(1) = 2; bands = mid ± 2·2
    const high = Float64Array.from([11, 12, 13, 14])
    const low = Float64Array.from([9, 10, 11, 12])
    const c = Float64Array.from([10, 11, 12, 13])
    const [u, m, l] = keltner(high, low, c, 2, 2, 1)
    assert.ok(Number.isNaN(m[0]!))
    assert.deepEqual(Array.from(m).slice(1), [10.5, 11.5, 12.5])
    assert.deepEqual(Array.from(u).slice(1), [14.5, 15.5, 16.5])
    assert.deepEqual(Array.from(l).slice(1), [6.5, 7.5, 8.5])
    const s = new Keltner(2, 2, 1)
    for (let i = 0; i < 4; i++) s.update({ high: high[i]!, low: low[i]!, close: c[i]! })
    assert.deepEqual(s.value, [16.5, 12.5, 8.5])
  })
})
