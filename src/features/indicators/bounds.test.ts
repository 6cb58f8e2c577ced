/**
 * Property tests (fast-check, seeded) over every registered indicator: the documented ranges of the bounded oscillators
 * hold on any valid bars, and a stream fed with random replaces of its last bar always equals the batch kernel
 * over the bars that remain.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { indicatorRegistry } from './registry.ts'
import type { BarInput, IndicatorInputs } from './types.ts'

/** Valid bars: low ≤ open, close ≤ high; positive prices and volumes (zero volume allowed). */
const barArb = fc
  .record({
    base: fc.double({ min: 1, max: 1000, noNaN: true }),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    up: fc.double({ min: 0, max: 0.05, noNaN: true }),
    down: fc.double({ min: 0, max: 0.05, noNaN: true }),
    volume: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })),
  })
  .map(({ base, a, b, up, down, volume }) => {
    const high = base * (1 + up)
    const low = base * (1 - down)
    return { open: low + (high - low) * a, high, low, close: low + (high - low) * b, volume }
  })

function columns(bars: readonly Omit<BarInput, 'time'>[]): IndicatorInputs {
  const col = (k: 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array => Float64Array.from(bars, (b) => b[k])
  return {
    open: col('open'),
    high: col('high'),
    low: col('low'),
    close: col('close'),
    volume: col('volume'),
    time: Float64Array.from(bars, (_, i) => 1_700_000_000_000 + i * 60_000),
    periods: Float64Array.from(bars, periodOf),
  }
}

/** MAVP's period of a bar, from its volume so it varies. */
function periodOf(b: Omit<BarInput, 'time'>): number {
  return 2 + (b.volume % 40)
}

/** Output ranges, by indicator and output index; slack for rounding. */
const RANGES: Record<string, [number, number]> = {
  rsi: [0, 100],
  stoch: [0, 100],
  stochf: [0, 100],
  stochrsi: [0, 100],
  willr: [-100, 0],
  cmo: [-100, 100],
  mfi: [0, 100],
  ultosc: [0, 100],
  adx: [0, 100],
  adxr: [0, 100],
  dx: [0, 100],
  plus_di: [0, 100],
  minus_di: [0, 100],
  aroon: [0, 100],
  aroonosc: [-100, 100],
  bop: [-1, 1],
}

describe('indicator properties', () => {
  it('keeps the bounded oscillators within their ranges on any valid bars', () => {
    fc.assert(
      fc.property(fc.array(barArb, { minLength: 1, maxLength: 120 }), (bars) => {
        const inp = columns(bars)
        for (const def of indicatorRegistry.values()) {
          const r = RANGES[def.name]
          if (!r) continue
          const params = def.params.map((p) => Math.min(p.default, 5))
          for (const out of def.compute(inp, params)) {
            for (const v of out) {
              if (Number.isNaN(v)) continue
              if (v < r[0] - 1e-9 || v > r[1] + 1e-9) return false
            }
          }
        }
        return true
      }),
      { seed: 7, numRuns: 60 },
    )
  })

  it('streams like the batch kernel under random replaces of the last bar', () => {
    const stepArb = fc.array(fc.record({ bar: barArb, replace: fc.boolean() }), { minLength: 1, maxLength: 60 })
    fc.assert(
      fc.property(stepArb, (steps) => {
        for (const def of indicatorRegistry.values()) {
          const params = def.params.map((p) => p.default)
          const s = def.stream(params)
          const kept: Omit<BarInput, 'time'>[] = []
          for (const { bar, replace } of steps) {
            if (replace && kept.length > 0) kept[kept.length - 1] = bar
            else kept.push(bar)
            const t = 1_700_000_000_000 + (kept.length - 1) * 60_000
            const got = s.update({ ...bar, time: t, periods: periodOf(bar) }, replace)
            const batch = def.compute(columns(kept), params)
            const i = kept.length - 1
            if (i < def.lookback(params)) {
              if (got !== undefined) return false
              continue
            }
            if (!got) return false
            for (let k = 0; k < batch.length; k++) {
              const a: number = got[k]!
              const b: number = batch[k]![i]!
              // a === b: an infinity (EXP of a large price) equals only itself
              if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue
              if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) {
                assert.fail(`${def.name}.${def.outputs[k]} at ${i}: stream ${a} vs batch ${b}`)
              }
            }
          }
        }
        return true
      }),
      { seed: 11, numRuns: 25 },
    )
  })
})
