/**
 * Every registered indicator's streaming twin against its batch kernel on the bundled real data: undefined
 * inside the lookback, equal to 1e-9 from the lookback on, and `update(x, true)` after a wrong value gives
 * exactly what feeding the right value in the first place gives.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { indicatorRegistry } from './registry.ts'
import { barAt, close, loadBundled } from './test-data.ts'
import type { BarInput } from './types.ts'

const FILES = ['SPY_1d', 'BTC-USD_1m'] as const

/** A deliberately wrong version of a bar (every price scaled, volume changed), still a valid bar. */
function wrong(b: BarInput, i: number): BarInput {
  const f = 1 + ((i % 7) - 3) / 50
  return { ...b, open: b.open * f, high: b.high * f, low: b.low * f, close: b.close * f, volume: b.volume * 1.5 + 1 }
}

describe('streaming twins agree with the batch kernels', () => {
  for (const def of indicatorRegistry.values()) {
    const sets = [def.params.map((p) => p.default), ...(def.testParams ?? [])]
    for (const params of sets) {
      it(`${def.name}(${params.join(',')}) streams what the batch gives, with and without replace`, () => {
        for (const file of FILES) {
          const data = loadBundled(file)
          const batch = def.compute(data, params)
          const lb = def.lookback(params)
          const plain = def.stream(params)
          const replaced = def.stream(params)
          for (let i = 0; i < data.length; i++) {
            const bar = barAt(data, i)
            const a = plain.update(bar)
            replaced.update(wrong(bar, i))
            const b = replaced.update(bar, true)
            if (i < lb) {
              assert.equal(a, undefined, `${file} ${def.name}[${i}] inside the lookback ${lb}`)
              assert.equal(plain.isStable, false)
            } else {
              assert.ok(a !== undefined, `${file} ${def.name}[${i}] after the lookback ${lb}`)
              assert.equal(plain.isStable, true, `${file} ${def.name}[${i}] isStable after the lookback`)
              for (let k = 0; k < batch.length; k++) {
                if (!close(a[k], batch[k][i])) {
                  assert.fail(
                    `${file} ${def.name}(${params}).${def.outputs[k]}[${i}]: stream ${a[k]}, batch ${batch[k][i]}`,
                  )
                }
              }
            }
            assert.deepEqual(b, a, `${file} ${def.name}[${i}]: replace differs`)
          }
          assert.deepEqual(
            plain.value,
            batch.length > 0 && data.length > lb ? batch.map((o) => o[data.length - 1]) : undefined,
          )
        }
      })
    }
  }
})
