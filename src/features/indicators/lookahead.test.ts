/**
 * No look-ahead: for every registered indicator, the value at bar t computed on data truncated after t equals the
 * value at t computed on the full data (property test over seeded random OHLCV walks).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { indicatorRegistry } from './registry.ts'
import type { IndicatorInputs } from './types.ts'

/** A random-walk OHLCV series of `n` bars from `steps` (returns in [-3%, 3%]) and `wig` (wick sizes). */
function walk(steps: number[], wig: number[]): IndicatorInputs & { n: number } {
  const n = steps.length
  const open = new Float64Array(n)
  const high = new Float64Array(n)
  const low = new Float64Array(n)
  const close = new Float64Array(n)
  const volume = new Float64Array(n)
  const time = new Float64Array(n)
  let px = 100
  for (let i = 0; i < n; i++) {
    open[i] = px
    px *= 1 + steps[i]
    close[i] = px
    high[i] = Math.max(open[i], px) * (1 + wig[i])
    low[i] = Math.min(open[i], px) * (1 - wig[i])
    volume[i] = 1000 + Math.round(wig[i] * 1e5)
    time[i] = Date.UTC(2024, 0, 2, 14, 30) + i * 60_000
  }
  // MAVP's periods: from the steps, so they vary bar by bar over its whole range
  const periods = Float64Array.from(steps, (x) => 2 + Math.abs(x) * 1000)
  return { n, open, high, low, close, volume, time, periods }
}

function prefix(d: IndicatorInputs, t: number): IndicatorInputs {
  const out: Record<string, Float64Array> = {}
  for (const [k, v] of Object.entries(d)) if (v instanceof Float64Array) out[k] = v.subarray(0, t)
  return out
}

describe('indicators never look ahead', () => {
  for (const def of indicatorRegistry.values()) {
    it(`${def.name}: value at t is the same on data truncated after t`, () => {
      const params = def.params.map((p) => p.default)
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -0.03, max: 0.03, noNaN: true }), { minLength: 120, maxLength: 160 }),
          fc.array(fc.double({ min: 0, max: 0.01, noNaN: true }), { minLength: 160, maxLength: 160 }),
          fc.integer({ min: 1, max: 119 }),
          (steps, wig, t) => {
            const d = walk(steps, wig)
            const full = def.compute(d, params)
            const cut = def.compute(prefix(d, t), params)
            for (let k = 0; k < full.length; k++) {
              for (let i = 0; i < t; i++) {
                assert.ok(Object.is(cut[k][i], full[k][i]), `${def.name}.${def.outputs[k]}[${i}] with data cut at ${t}`)
              }
            }
          },
        ),
        { seed: 11, numRuns: 25 },
      )
    })
  }
})
