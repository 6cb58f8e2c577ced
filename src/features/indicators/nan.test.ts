/**
 * NaN and infinity in the input: Kestrel's kernels propagate them through the same arithmetic as TA-Lib's C code,
 * so the output equals TA-Lib's output on the same input (NaN and ±Infinity exactly where TA-Lib has them). Checked
 * against TA-Lib for every registered TA-Lib indicator on SPY_1d with NaN closes (and highs/lows) at four bars and +Infinity at
 * one.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { indicatorRegistry } from './registry.ts'
import { NOT_IN_TALIB, close, loadBundled } from './test-data.ts'
import type { IndicatorDef, IndicatorInputs } from './types.ts'

interface Talib {
  explain(n: string): {
    inputs: { name: string; type: string; flags?: Record<string, string> }[]
    optInputs: { name: string }[]
    outputs: { name: string }[]
  }
  execute(a: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
}
const talib = createRequire(import.meta.url)('talib') as Talib

const base = loadBundled('SPY_1d')
const NAN_AT = [300, 301, 1500, 4000]
const INF_AT = 2500
function withNaN(a: Float64Array): Float64Array {
  const b = Float64Array.from(a)
  for (const i of NAN_AT) b[i] = NaN
  b[INF_AT] = Infinity
  return b
}
const data: IndicatorInputs & { length: number } = {
  length: base.length,
  open: base.open,
  high: withNaN(base.high),
  low: withNaN(base.low),
  close: withNaN(base.close),
  volume: base.volume,
  time: base.time,
  periods: base.periods,
}

function talibOut(def: IndicatorDef, params: readonly number[]): number[][] {
  const name = def.name.toUpperCase()
  const ex = talib.explain(name)
  const n = data.length
  const args: Record<string, unknown> = { name, startIdx: 0, endIdx: n - 1 }
  let r = 0
  for (const inp of ex.inputs) {
    if (inp.type === 'price') for (const f of Object.values(inp.flags ?? {})) args[f] = Array.from(data[f as 'close']!)
    else args[inp.name] = Array.from(data[def.inputs[r++]]!)
  }
  ex.optInputs.forEach((o, i) => (args[o.name] = params[i]))
  const res = talib.execute(args)
  return ex.outputs.map((o) => {
    const full = new Array<number>(n).fill(NaN)
    for (let i = 0; i < res.nbElement; i++) full[res.begIndex + i] = res.result[o.name][i]
    return full
  })
}

describe('NaN and infinite inputs propagate as in TA-Lib', () => {
  for (const def of indicatorRegistry.values()) {
    if (NOT_IN_TALIB.has(def.name)) continue
    const params = def.params.map((p) => p.default)
    it(`${def.name}: NaN exactly where TA-Lib has NaN, equal values elsewhere`, () => {
      const want = talibOut(def, params)
      const got = def.compute(data, params)
      for (let k = 0; k < want.length; k++) {
        for (let i = 0; i < data.length; i++) {
          if (!close(got[k][i], want[k][i]))
            assert.fail(`${def.name}.${def.outputs[k]}[${i}]: got ${got[k][i]}, TA-Lib ${want[k][i]}`)
        }
      }
    })
  }
})
