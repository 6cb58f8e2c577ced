import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ichimoku } from './ichimoku.ts'
import { close, loadBundled } from '../test-data.ts'

describe('ichimoku', () => {
  const d = loadBundled('SPY_1d')

  it('agrees with technicalindicators IchimokuCloud, its cloud drawn displacement bars later', () => {
    const { IchimokuCloud } = createRequire(import.meta.url)('technicalindicators') as {
      IchimokuCloud: {
        calculate(i: Record<string, unknown>): { conversion: number; base: number; spanA: number; spanB: number }[]
      }
    }
    const ref = IchimokuCloud.calculate({
      high: Array.from(d.high),
      low: Array.from(d.low),
      conversionPeriod: 9,
      basePeriod: 26,
      spanPeriod: 52,
      displacement: 26,
    })
    const [t, k, a, b] = ichimoku(d.high, d.low)
    const first = d.length - ref.length // technicalindicators starts at bar 51
    assert.equal(first, 51)
    for (let j = 0; j < ref.length; j++) {
      const i = j + first
      assert.ok(close(t![i]!, ref[j]!.conversion), `tenkan at ${i}`)
      assert.ok(close(k![i]!, ref[j]!.base), `kijun at ${i}`)
      if (i + 26 < d.length) {
        assert.ok(close(a![i + 26]!, ref[j]!.spanA), `senkou A drawn at ${i + 26}`)
        assert.ok(close(b![i + 26]!, ref[j]!.spanB), `senkou B drawn at ${i + 26}`)
      }
    }
    // lookbacks of each line
    assert.ok(Number.isNaN(t![7]!) && !Number.isNaN(t![8]!))
    assert.ok(Number.isNaN(k![24]!) && !Number.isNaN(k![25]!))
    assert.ok(Number.isNaN(a![50]!) && !Number.isNaN(a![51]!))
    assert.ok(Number.isNaN(b![76]!) && !Number.isNaN(b![77]!))
  })

  it('never looks ahead: every output at t is the same on data cut at t', () => {
    const full = ichimoku(d.high, d.low)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: d.length - 1 }), (t) => {
        const cut = ichimoku(d.high.subarray(0, t + 1), d.low.subarray(0, t + 1))
        for (let k = 0; k < 4; k++) {
          const x = cut[k]![t]!
          const y = full[k]![t]!
          if (!(Number.isNaN(x) && Number.isNaN(y)) && x !== y) return false
        }
        return true
      }),
      { seed: 42, numRuns: 60 },
    )
  })

  it('rejects invalid periods', () => {
    assert.throws(() => ichimoku(d.high, d.low, 0), /ichimoku\(tenkan\): expected integer ≥ 1, got 0/)
  })
})
