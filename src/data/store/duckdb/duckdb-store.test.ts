import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { isKestrelError, seriesLength } from '../../../core/index.ts'
import { runStoreConformance, sampleSeries } from '../conformance.ts'
import { DuckDbStore } from './duckdb-store.ts'

runStoreConformance('duckdb (in memory)', async () => ({ store: new DuckDbStore(':memory:') }), { propertyRuns: 15 })

runStoreConformance('duckdb (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-'))
  return { store: new DuckDbStore(join(dir, 'sub', 'k.duckdb')), dispose: () => rm(dir, { recursive: true, force: true }) }
}, { propertyRuns: 5 })

describe('DuckDbStore', () => {
  it('keeps bars, quarantine and the ingestion log across close and reopen of the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-'))
    try {
      const path = join(dir, 'k.duckdb')
      const a = new DuckDbStore(path)
      await a.init()
      assert.equal(await a.writeBars(sampleSeries([0, 1, 2], 'X.T')), 3)
      await a.writeQuarantine([{ source: 'f', reason: 'R', message: 'm', severity: 'error', raw: 'r' }])
      await a.close()
      const b = new DuckDbStore(path)
      await b.init()
      assert.equal(seriesLength(await b.readBars('X.T', '1m')), 3)
      assert.equal(await b.writeBars(sampleSeries([2, 3], 'X.T')), 1)
      await b.writeQuarantine([{ source: 'f', reason: 'S', message: 'm', severity: 'error', raw: 'r' }])
      assert.deepEqual(
        (await b.quarantine({ source: 'f' })).map((q) => q.reason),
        ['R', 'S'],
      )
      await b.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('writes and reads 100k bars through the chunked appender exactly (partial last chunk included)', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    const is = Array.from({ length: 100_003 }, (_, i) => i)
    const s = sampleSeries(is, 'BIG.T')
    assert.equal(await store.writeBars(s), 100_003)
    const got = await store.readBars('BIG.T', '1m')
    assert.deepEqual(got.openTime, s.openTime)
    assert.deepEqual(got.volume, s.volume)
    assert.deepEqual(got.close, s.close)
    await store.close()
  })

  it('refuses to work after close', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    await store.close()
    await assert.rejects(() => store.readBars('X', '1m'), (e) => isKestrelError(e, 'STATE_INVALID'))
  })
})
