import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { SuperTrend, supertrend } from './supertrend.ts'
import { atr } from '../volatility/atr.ts'
import { ORACLE_FILES, loadBundled } from '../test-data.ts'

interface TsSuperTrend {
  update(
    c: { high: number; low: number; close: number },
    replace: boolean,
  ): { supertrend: number; trend: string } | null
}
const ts = createRequire(import.meta.url)('trading-signals') as {
  SuperTrend: new (o: { interval: number; multiplier: number }) => TsSuperTrend
}

describe('supertrend', () => {
  it('follows the band rules on a hand-checked series', () => {
    // flat bars of range 2 (ATR 2 with period 1 after bar 0), multiplier 1: bands at hl2 ± 2
    const high = Float64Array.from([11, 11, 11, 15, 15, 8])
    const low = Float64Array.from([9, 9, 9, 13, 13, 6])
    const c = Float64Array.from([10, 10, 10, 14, 14, 7])
    const [st, dir] = supertrend(high, low, c, 1, 1)
    const tr = atr(high, low, c, 1)
    assert.deepEqual(Array.from(tr).slice(1), [2, 2, 5, 2, 8])
    // bar 1: upper 12, lower 8, close 10 ≤ 12 → down, line 12
    // bar 2: same bands → down, 12
    // bar 3: basic upper 14+5 = 19 > 12 and prev close 10 ≤ 12 → upper stays 12; close 14 > 12 → up; lower =
    //        max(basic 9, 8) = 9 → line 9
    // bar 4: basic lower 12 > 9 → 12; close 14 ≥ 12 → still up, line 12
    // bar 5: basic lower 7−8 = −1 < 12, prev close 14 ≥ 12 → lower stays 12; close 7 < 12 → down; upper: basic
    //        7+8 = 15, the previous upper (12) was broken by prev close 14 > 12 → 15 → line 15
    assert.ok(Number.isNaN(st[0]!) && Number.isNaN(dir[0]!))
    assert.deepEqual(Array.from(st).slice(1), [12, 12, 9, 12, 15])
    assert.deepEqual(Array.from(dir).slice(1), [-1, -1, 1, 1, -1])
  })

  it('agrees with trading-signals SuperTrend once the ATR seeds have decayed', () => {
    for (const name of ORACLE_FILES) {
      const d = loadBundled(name)
      const [st, dir] = supertrend(d.high, d.low, d.close, 10, 3)
      const ref = new ts.SuperTrend({ interval: 10, multiplier: 3 })
      let checked = 0
      for (let i = 0; i < d.length; i++) {
        const r = ref.update({ high: d.high[i]!, low: d.low[i]!, close: d.close[i]! }, false)
        if (i < 400 || r === null) continue
        // trading-signals seeds its ATR one bar earlier (TR of bar 0 = H − L); by bar 400 that is < 1e-15
        assert.ok(
          Math.abs(st[i]! - r.supertrend) <= 1e-6 * Math.abs(r.supertrend),
          `${name} at ${i}: ${st[i]} vs ${r.supertrend}`,
        )
        assert.equal(dir[i], r.trend === 'BULLISH' ? 1 : -1, `${name} direction at ${i}`)
        checked++
      }
      assert.ok(checked > 1000)
    }
  })

  it('streams the same values, also when the last bar is replaced', () => {
    const d = loadBundled('SPY_1m')
    const [st, dir] = supertrend(d.high, d.low, d.close)
    const s = new SuperTrend()
    for (let i = 0; i < d.length; i++) {
      const b = { high: d.high[i]!, low: d.low[i]!, close: d.close[i]! }
      s.update({ ...b, close: b.close * 0.95 })
      const v = s.update(b, true)
      if (i < 10) assert.equal(v, undefined)
      else assert.deepEqual(v, [st[i], dir[i]])
    }
  })
})
