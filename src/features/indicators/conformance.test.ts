/**
 * Every registered indicator against TA-Lib (the npm `talib` binding of TA-Lib's C) on the bundled real data, and
 * each streaming twin against its batch kernel (including `update(x, true)` replacing the last bar).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { indicatorRegistry } from './registry.ts'
import type { BarInput, IndicatorDef } from './types.ts'
import { NOT_IN_TALIB, loadBundled, testPeriods, type Bundled } from './test-data.ts'

const require = createRequire(import.meta.url)
interface TalibResult {
  begIndex: number
  nbElement: number
  result: Record<string, number[]>
}
interface Talib {
  execute(args: Record<string, unknown>): TalibResult
  explain(name: string): {
    inputs: { name: string; type: string; flags?: Record<string, string> }[]
    optInputs: { name: string }[]
  }
}
const talib = require('talib') as Talib

const DATA = ['SPY_1d', 'AAPL_1d', 'SPY_1m', 'BTC-USD_1m'].map((name) => ({ name, d: loadBundled(name) }))

type Data = Bundled

/**
 * Generated edge cases (seeded): flat bars (zero range, so STOCH/WILLR/BOP/CCI divide by zero), zero-volume
 * stretches (MFI/OBV/AD/ADOSC), price gaps up and down (true range from the previous close), constant closes.
 */
function edgeData(): Data {
  const n = 700
  let seed = 12345
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const d = {
    name: 'edge',
    length: n,
    timestamp: [] as string[],
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    periods: testPeriods(n, 3),
  }
  let c = 100
  for (let i = 0; i < n; i++) {
    const flat = i >= 100 && i < 140
    const o = flat ? c : c * (1 + (rnd() - 0.5) * 0.01)
    if (i === 300)
      c *= 1.1 // gap up
    else if (i === 400)
      c *= 0.9 // gap down
    else if (!flat && !(i >= 450 && i < 470)) c = c * (1 + (rnd() - 0.5) * 0.02)
    d.open[i] = i === 300 || i === 400 ? c : o
    d.close[i] = c
    d.high[i] = flat ? c : Math.max(d.open[i]!, c) * (1 + rnd() * 0.005)
    d.low[i] = flat ? c : Math.min(d.open[i]!, c) * (1 - rnd() * 0.005)
    d.volume[i] = flat || (i >= 200 && i < 230) ? 0 : Math.round(rnd() * 1000)
    d.time[i] = Date.UTC(2024, 0, 2) + i * 60_000
  }
  return d
}

/** SPY_1d with one bar of NaN in every field (TA-Lib's C propagates NaN through its arithmetic; so do we). */
function nanData(): Data {
  const s = loadBundled('SPY_1d')
  const copy = (a: Float64Array): Float64Array => {
    const b = Float64Array.from(a)
    b[500] = NaN
    return b
  }
  return {
    ...s,
    open: copy(s.open),
    high: copy(s.high),
    low: copy(s.low),
    close: copy(s.close),
    volume: copy(s.volume),
  }
}

const EDGE = [
  { name: 'edge cases', d: edgeData() },
  { name: 'NaN at bar 500', d: nanData() },
]

/** Parameter sets checked besides the defaults (TA-Lib order). */
const EXTRA: Record<string, number[][]> = {
  rsi: [[2], [9], [30]],
  cmo: [[2], [9]],
  mom: [[1], [25]],
  roc: [[1], [25]],
  rocp: [[3]],
  rocr: [[3]],
  rocr100: [[3]],
  atr: [[1], [2], [30]],
  natr: [[1], [5]],
  plus_dm: [[1], [2], [7]],
  minus_dm: [[1], [2], [7]],
  plus_di: [[1], [2], [7]],
  minus_di: [[1], [2], [7]],
  dx: [[2], [7]],
  adx: [[2], [7]],
  adxr: [[2], [7]],
  stoch: [
    [14, 3, 0, 3, 0],
    [9, 1, 0, 1, 0],
    [14, 3, 1, 3, 1],
    [10, 5, 2, 4, 0],
    [14, 3, 3, 3, 4],
    [14, 5, 5, 4, 6],
    [14, 3, 8, 3, 7],
  ],
  stochf: [
    [14, 3, 0],
    [9, 1, 0],
    [14, 3, 1],
    [5, 4, 2],
    [5, 3, 6],
    [5, 3, 7],
    [5, 3, 8],
  ],
  stochrsi: [
    [14, 14, 3, 0],
    [9, 5, 1, 0],
    [14, 5, 3, 1],
    [14, 5, 3, 4],
    [14, 5, 3, 7],
  ],
  willr: [[2], [30]],
  aroon: [[2], [25]],
  aroonosc: [[2], [25]],
  cci: [[2], [20]],
  mfi: [[2], [20]],
  trix: [[2], [9]],
  ultosc: [
    [28, 14, 7],
    [3, 3, 3],
    [1, 5, 2],
  ],
  adosc: [
    [10, 3],
    [2, 2],
    [5, 20],
  ],
}

/** Indicators with no TA-Lib counterpart (checked by their own tests). */

function talibInputs(def: IndicatorDef, d: Data): Record<string, number[]> {
  const ex = talib.explain(def.name.toUpperCase())
  const m: Record<string, number[]> = {}
  const reals = def.inputs.filter(
    (x) => !ex.inputs.some((i) => i.type === 'price' && Object.values(i.flags ?? {}).includes(x)),
  )
  let r = 0
  for (const input of ex.inputs) {
    if (input.type === 'price') {
      for (const field of Object.values(input.flags ?? {})) m[field] = Array.from(d[field as 'close'] as Float64Array)
    } else m[input.name] = Array.from(d[reals[r++] as 'close'] as Float64Array)
  }
  return m
}

function close(a: number, b: number): boolean {
  // a === b: an infinity (EXP, COSH of a large price) equals only itself
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
}

function paramSets(def: IndicatorDef): number[][] {
  return [def.params.map((p) => p.default), ...(EXTRA[def.name] ?? [])]
}

function bars(d: Data, i: number): BarInput {
  return {
    open: d.open[i]!,
    high: d.high[i]!,
    low: d.low[i]!,
    close: d.close[i]!,
    volume: d.volume[i]!,
    time: d.time[i]!,
    periods: d.periods[i]!,
  }
}

describe('every registered indicator', () => {
  for (const def of indicatorRegistry.values()) {
    describe(def.name, () => {
      if (!NOT_IN_TALIB.has(def.name)) {
        it('matches TA-Lib at every index on the bundled data, default and other params', () => {
          const explain = talib.explain(def.name.toUpperCase())
          for (const params of paramSets(def)) {
            for (const { name, d } of [...DATA, ...EDGE]) {
              const opt: Record<string, number> = {}
              params.forEach((v, i) => (opt[explain.optInputs[i]!.name] = v))
              const r = talib.execute({
                name: def.name.toUpperCase(),
                startIdx: 0,
                endIdx: d.length - 1,
                ...talibInputs(def, d),
                ...opt,
              })
              const ours = def.compute(d, params)
              const lb = def.lookback(params)
              assert.equal(r.begIndex, lb, `${def.name}(${params}) lookback on ${name}`)
              const keys = Object.keys(r.result)
              assert.equal(ours.length, keys.length)
              keys.forEach((key, k) => {
                const ref = r.result[key]!
                const out = ours[k]!
                assert.equal(out.length, d.length)
                for (let i = 0; i < lb; i++)
                  assert.ok(Number.isNaN(out[i]), `${def.name}(${params}).${def.outputs[k]} NaN at ${i} on ${name}`)
                for (let j = 0; j < r.nbElement; j++) {
                  const a = out[lb + j]!
                  const b = ref[j]!
                  if (!(Number.isNaN(a) && Number.isNaN(b)) && !close(a, b)) {
                    assert.fail(
                      `${def.name}(${params}).${def.outputs[k]} on ${name} at ${lb + j}: ${out[lb + j]} vs talib ${ref[j]}`,
                    )
                  }
                }
              })
            }
          }
        })
      }

      it('rejects each parameter below its minimum with PARAM_INVALID naming indicator and parameter', () => {
        const d = DATA[0]!.d
        def.params.forEach((p, k) => {
          if (p.min === undefined || p.min - 0.5 === p.min) return // no number below it (TA-Lib's −3e37)
          const params = def.params.map((q) => q.default)
          params[k] = p.integer ? p.min - 1 : p.min - 0.5
          const where = `${def.name}(${p.name})`
          const check = (e: unknown): boolean => {
            const err = e as { code?: string; message?: string }
            return err.code === 'PARAM_INVALID' && (err.message ?? '').startsWith(`${where}: expected`)
          }
          assert.throws(() => def.compute(d, params), check, `${where} = ${params[k]} in compute`)
          assert.throws(() => def.stream(params), check, `${where} = ${params[k]} in stream`)
        })
      })

      it('starts over after reset', () => {
        const d = DATA[1]!.d
        const params = def.params.map((p) => p.default)
        const batch = def.compute(d, params)
        const s = def.stream(params)
        for (let i = 0; i < 300; i++) s.update(bars(d, 1000 + i))
        s.reset()
        assert.equal(s.value, undefined)
        assert.equal(s.isStable, false)
        for (let i = 0; i < 300; i++) s.update(bars(d, i))
        assert.ok(s.isStable)
        assert.deepEqual(
          s.value,
          batch.map((o) => o[299]),
        )
      })

      it('streams the same values as the batch kernel, also after replacing a bar', () => {
        for (const params of paramSets(def)) {
          for (const { name, d } of [...DATA, ...EDGE]) {
            const batch = def.compute(d, params)
            const lb = def.lookback(params)
            const s = def.stream(params)
            for (let i = 0; i < d.length; i++) {
              const b = bars(d, i)
              if (i % 7 === 3) {
                // a forming bar first, then the real one replaces it
                s.update({ ...b, close: b.close * 1.01, high: b.high * 1.02, volume: b.volume + 5 }, false)
                s.update(b, true)
              } else s.update(b, false)
              const v = s.value
              if (i < lb) {
                assert.equal(v, undefined, `${def.name} streaming inside lookback at ${i}`)
                continue
              }
              assert.ok(v, `${def.name}(${params}) streaming value at ${i} on ${name}`)
              for (let k = 0; k < batch.length; k++) {
                const want = batch[k]![i]!
                if (!(Number.isNaN(want) && Number.isNaN(v[k]!)) && !close(v[k]!, want)) {
                  assert.fail(
                    `${def.name}(${params}).${def.outputs[k]} stream on ${name} at ${i}: ${v[k]} vs batch ${want}`,
                  )
                }
              }
            }
          }
        }
      })
    })
  }
})
