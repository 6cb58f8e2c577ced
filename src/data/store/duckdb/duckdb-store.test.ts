import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { isKestrelError, seriesLength, toBarSeries } from '../../../core/index.ts'
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

runStoreConformance('duckdb (no declared primary key)', async () => ({ store: new DuckDbStore(':memory:', { primaryKey: false }) }), {
  propertyRuns: 15,
})

describe('DuckDbStore write paths', () => {
  for (const primaryKey of [true, false]) {
    it(`keeps the first of duplicate open times within one batch and never duplicates a key (primaryKey ${primaryKey})`, async () => {
      const store = new DuckDbStore(':memory:', { primaryKey })
      await store.init()
      assert.equal(await store.writeBars(sampleSeries([0, 1, 2], 'D.T')), 3) // direct append
      const dup = sampleSeries([3, 3, 1, 4], 'D.T', '1m', 500) // staging: not increasing, overlaps
      assert.equal(await store.writeBars(dup), 2)
      const got = await store.readBars('D.T', '1m')
      assert.equal(seriesLength(got), 5)
      assert.equal(got.open[3], sampleSeries([3], 'D.T', '1m', 500).open[0])
      const c = await store.connection()
      const n = (await c.runAndReadAll(`SELECT count(*)::INTEGER FROM (SELECT open_time FROM bars GROUP BY ALL HAVING count(*) > 1)`)).getRows()
      assert.equal(n[0]![0], 0)
      await store.close()
    })
  }
})

describe('DuckDbStore timestamps', () => {
  it('round-trips pre-1970, millisecond and far-future open times exactly through the direct append path', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    const ts = [Date.UTC(1960, 0, 1, 0, 0, 0, 1), -1, 0, 1, Date.UTC(2024, 0, 2, 14, 30, 0, 123), Date.UTC(2262, 0, 1)]
    const s = toBarSeries(
      ts.map((t) => ({ instrumentId: 'TS.T', timeframe: '1m', openTime: t, closeTime: t + 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 })),
    )
    assert.equal(await store.writeBars(s), 6)
    const got = await store.readBars('TS.T', '1m')
    assert.deepEqual([...got.openTime], ts)
    assert.deepEqual([...got.closeTime], ts.map((t) => t + 60_000))
    await store.close()
  })
})

describe('DuckDbStore primary key', () => {
  const keyCount = async (store: DuckDbStore) =>
    Number(
      (
        await (
          await store.connection()
        ).runAndReadAll(
          `SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'bars' AND constraint_type = 'PRIMARY KEY'`,
        )
      ).getRows()[0]![0],
    )

  it('declares the key after the first bulk write of a new file, and the key rejects a duplicate insert', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    assert.equal(await keyCount(store), 0)
    assert.equal(await store.writeBars(sampleSeries([0, 1, 2], 'K.T')), 3)
    assert.equal(await keyCount(store), 1)
    const c = await store.connection()
    await assert.rejects(
      c.run(`INSERT INTO bars SELECT * FROM bars LIMIT 1`),
      (e) => /Constraint Error|Duplicate key|PRIMARY KEY/i.test(String(e)),
    )
    assert.equal(await store.writeBars(sampleSeries([2, 3], 'K.T')), 1)
    await store.close()
  })

  it('declares the key on close when nothing was written, and on open of a file made without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-'))
    try {
      const path = join(dir, 'k.duckdb')
      const a = new DuckDbStore(path)
      await a.init()
      await a.close()
      const b = new DuckDbStore(path)
      await b.init()
      assert.equal(await keyCount(b), 1)
      await b.close()
      const nokey = join(dir, 'n.duckdb')
      const c = new DuckDbStore(nokey, { primaryKey: false })
      await c.writeBars(sampleSeries([0, 1], 'N.T'))
      await c.close()
      const d = new DuckDbStore(nokey)
      await d.init()
      assert.equal(await keyCount(d), 1)
      assert.equal(seriesLength(await d.readBars('N.T', '1m')), 2)
      await d.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
