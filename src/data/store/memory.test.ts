import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { runStoreConformance, sampleSeries } from './conformance.ts'
import { MemoryStore } from './memory.ts'

runStoreConformance('memory', async () => ({ store: new MemoryStore() }))

describe('MemoryStore', () => {
  it('rejects a series whose columns differ in length, naming the column', async () => {
    const store = new MemoryStore()
    const s = sampleSeries([0, 1, 2], 'X.TEST')
    const bad = { ...s, volume: s.volume.subarray(0, 2) }
    await assert.rejects(
      () => store.writeBars(bad),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /column volume has 2 values, openTime has 3/.test(e.message),
    )
  })

  it('refuses to work after close', async () => {
    const store = new MemoryStore()
    await store.close()
    await assert.rejects(
      () => store.readBars('X', '1m'),
      (e) => isKestrelError(e, 'STATE_INVALID'),
    )
  })
})
