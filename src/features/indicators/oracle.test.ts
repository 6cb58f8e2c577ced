/**
 * Every registered indicator that TA-Lib has, against TA-Lib itself (npm `talib`, the C library through its
 * binding) on the bundled real data, with the default parameters and each def's `testParams`: every output at
 * every index, relative error ≤ 1e-9, NaN exactly inside TA-Lib's lookback.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { indicatorRegistry } from './registry.ts'
import { ORACLE_FILES, close, loadBundled, type Bundled } from './test-data.ts'
import type { IndicatorDef } from './types.ts'

interface TalibInput {
  name: string
  type: string
  flags?: Record<string, string>
}
interface TalibExplain {
  inputs: TalibInput[]
  optInputs: { name: string }[]
  outputs: { name: string }[]
}
interface Talib {
  explain(name: string): TalibExplain
  execute(args: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
  functions: { name: string }[]
}

const talib = createRequire(import.meta.url)('talib') as Talib
const talibNames = new Set(talib.functions.map((f) => f.name))

/** Runs TA-Lib's `name` on the data set; returns full-length outputs (NaN before begIndex) in TA-Lib's order. */
function runTalib(def: IndicatorDef, data: Bundled, params: readonly number[]): number[][] {
  const upper = def.name.toUpperCase()
  const ex = talib.explain(upper)
  const n = data.length
  const args: Record<string, unknown> = { name: upper, startIdx: 0, endIdx: n - 1 }
  const reals = def.inputs.filter(
    (x) => !ex.inputs.some((i) => i.type === 'price' && Object.values(i.flags ?? {}).includes(x)),
  )
  let r = 0
  for (const input of ex.inputs) {
    if (input.type === 'price') {
      for (const field of Object.values(input.flags ?? {}))
        args[field] = Array.from(data[field as keyof Bundled] as Float64Array)
    } else {
      const field = reals[r++]
      args[input.name] = Array.from(data[field as 'close'] as Float64Array)
    }
  }
  ex.optInputs.forEach((o, i) => (args[o.name] = params[i]))
  const res = talib.execute(args)
  return ex.outputs.map((o) => {
    const full = new Array<number>(n).fill(NaN)
    const vals = res.result[o.name] ?? []
    for (let i = 0; i < res.nbElement; i++) full[res.begIndex + i] = vals[i]
    return full
  })
}

const defs = [...indicatorRegistry.values()].filter((d) => talibNames.has(d.name.toUpperCase()))

describe('indicators agree with TA-Lib to 1e-9 on the bundled data', () => {
  it('covers at least the moving averages', () => {
    assert.ok(defs.some((d) => d.name === 'sma'))
  })
  for (const def of defs) {
    const sets = [def.params.map((p) => p.default), ...(def.testParams ?? [])]
    for (const params of sets) {
      it(`${def.name}(${params.join(',')}) matches TA-Lib at every index`, () => {
        for (const file of ORACLE_FILES) {
          const data = loadBundled(file)
          const want = runTalib(def, data, params)
          const got = def.compute(data, params)
          assert.equal(got.length, want.length, `${def.name}: number of outputs`)
          const lb = def.lookback(params)
          for (let k = 0; k < want.length; k++) {
            const firstWant = want[k].findIndex((v) => !Number.isNaN(v))
            assert.equal(lb, firstWant === -1 ? lb : firstWant, `${file} ${def.name} lookback`)
            for (let i = 0; i < data.length; i++) {
              if (!close(got[k][i], want[k][i])) {
                assert.fail(
                  `${file} ${def.name}(${params}).${def.outputs[k]}[${i}]: got ${got[k][i]}, TA-Lib ${want[k][i]}`,
                )
              }
            }
          }
        }
      })
    }
  }
})
