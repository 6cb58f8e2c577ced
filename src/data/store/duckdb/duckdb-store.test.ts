import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { isKestrelError, seriesLength, toBarSeries } from '../../../core/index.ts'
import { runStoreConformance, sampleSeries } from '../conformance.ts'
import { DuckDbStore } from './duckdb-store.ts'

runStoreConformance('duckdb (in memory)', async () => ({ store: new DuckDbStore(':memory:') }), { propertyRuns: 15 })

runStoreConformance(
  'duckdb (file)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-'))
    return {
      store: new DuckDbStore(join(dir, 'sub', 'k.duckdb')),
      dispose: () => rm(dir, { recursive: true, force: true }),
    }
  },
  { propertyRuns: 5 },
)

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
    await assert.rejects(
      () => store.readBars('X', '1m'),
      (e) => isKestrelError(e, 'STATE_INVALID'),
    )
  })
})

runStoreConformance(
  'duckdb (declared primary key)',
  async () => ({ store: new DuckDbStore(':memory:', { primaryKey: true }) }),
  {
    propertyRuns: 15,
  },
)

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
      const n = (
        await c.runAndReadAll(
          `SELECT count(*)::INTEGER FROM (SELECT open_time FROM bars GROUP BY ALL HAVING count(*) > 1)`,
        )
      ).getRows()
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
      ts.map((t) => ({
        instrumentId: 'TS.T',
        timeframe: '1m',
        openTime: t,
        closeTime: t + 60_000,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      })),
    )
    assert.equal(await store.writeBars(s), 6)
    const got = await store.readBars('TS.T', '1m')
    assert.deepEqual([...got.openTime], ts)
    assert.deepEqual(
      [...got.closeTime],
      ts.map((t) => t + 60_000),
    )
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

  it('declares no key by default and still never duplicates a bar, in one write or across writes', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    assert.equal(await store.writeBars(sampleSeries([0, 1, 2, 2], 'D.T')), 3)
    assert.equal(await store.writeBars(sampleSeries([1, 2, 3], 'D.T')), 1)
    assert.equal(await store.writeBars(sampleSeries([3, 4, 4, 0], 'D.T')), 1)
    assert.equal(await keyCount(store), 0)
    const c = await store.connection()
    const dup = await c.runAndReadAll(
      `SELECT count(*)::INTEGER FROM (SELECT series_id, open_time FROM bars GROUP BY ALL HAVING count(*) > 1)`,
    )
    assert.equal(dup.getRows()[0]![0], 0)
    assert.equal(seriesLength(await store.readBars('D.T', '1m')), 5)
    await store.close()
  })

  it('with primaryKey, declares the key after the first bulk write of a new file, and the key rejects a duplicate insert', async () => {
    const store = new DuckDbStore(':memory:', { primaryKey: true })
    await store.init()
    assert.equal(await keyCount(store), 0)
    assert.equal(await store.writeBars(sampleSeries([0, 1, 2], 'K.T')), 3)
    assert.equal(await keyCount(store), 1)
    const c = await store.connection()
    await assert.rejects(c.run(`INSERT INTO bars SELECT * FROM bars LIMIT 1`), (e) =>
      /Constraint Error|Duplicate key|PRIMARY KEY/i.test(String(e)),
    )
    assert.equal(await store.writeBars(sampleSeries([2, 3], 'K.T')), 1)
    await store.close()
  })

  it('with primaryKey, declares the key on close when nothing was written, and on open of a file made without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-'))
    try {
      const path = join(dir, 'k.duckdb')
      const a = new DuckDbStore(path, { primaryKey: true })
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
      const d = new DuckDbStore(nokey, { primaryKey: true })
      await d.init()
      assert.equal(await keyCount(d), 1)
      assert.equal(seriesLength(await d.readBars('N.T', '1m')), 2)
      await d.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('DuckDbStore series ids', () => {
  it('migrates a file written with instrument_id/timeframe columns in bars, keeping every bar and the declared key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-'))
    try {
      const path = join(dir, 'old.duckdb')
      const inst = await DuckDBInstance.create(path)
      const c = await inst.connect()
      await c.run(`CREATE TABLE bars (instrument_id VARCHAR NOT NULL, timeframe VARCHAR NOT NULL, open_time TIMESTAMP NOT NULL,
        close_time TIMESTAMP NOT NULL, open DOUBLE NOT NULL, high DOUBLE NOT NULL, low DOUBLE NOT NULL, close DOUBLE NOT NULL,
        volume DOUBLE NOT NULL, PRIMARY KEY (instrument_id, timeframe, open_time))`)
      await c.run(`INSERT INTO bars VALUES ('B.T', '1m', epoch_ms(60000), epoch_ms(120000), 2, 3, 1, 2.5, 10),
        ('A.T', '1m', epoch_ms(0), epoch_ms(60000), 1, 2, 0.5, 1.5, 5), ('A.T', '1d', epoch_ms(0), epoch_ms(86400000), 1, 2, 0.5, 1.5, 7)`)
      c.closeSync()
      inst.closeSync()
      const store = new DuckDbStore(path)
      await store.init()
      const a = await store.readBars('A.T', '1m')
      assert.deepEqual([[...a.openTime], [...a.close], [...a.volume]], [[0], [1.5], [5]])
      assert.deepEqual([...(await store.readBars('B.T', '1m')).high], [3])
      assert.deepEqual(
        (await store.summary()).map((s) => [s.instrumentId, s.timeframe, s.rows]),
        [
          ['A.T', '1d', 1],
          ['A.T', '1m', 1],
          ['B.T', '1m', 1],
        ],
      )
      const t0 = sampleSeries([0], 'A.T').openTime[0]!
      await store.deleteBars('A.T', '1m')
      assert.equal(await store.writeBars(sampleSeries([0, 1], 'A.T')), 2)
      assert.equal(await store.writeBars(sampleSeries([1, 2], 'A.T')), 1) // the migrated key still refuses duplicates
      assert.deepEqual([...(await store.readBars('A.T', '1m')).openTime], [t0, t0 + 60_000, t0 + 120_000])
      const conn = await store.connection()
      const view = await conn.runAndReadAll(
        `SELECT instrument_id, timeframe, count(*)::INTEGER FROM bars_by_symbol GROUP BY ALL ORDER BY ALL`,
      )
      assert.deepEqual(view.getRows(), [
        ['A.T', '1d', 1],
        ['A.T', '1m', 3],
        ['B.T', '1m', 1],
      ])
      const key = await conn.runAndReadAll(
        `SELECT count(*)::INTEGER FROM duckdb_constraints() WHERE table_name = 'bars' AND constraint_type = 'PRIMARY KEY'`,
      )
      assert.equal(key.getRows()[0]![0], 1)
      await store.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('keeps series apart: the same open times under two instruments and two timeframes', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    assert.equal(await store.writeBars(sampleSeries([0, 1, 2], 'X.T')), 3)
    assert.equal(await store.writeBars(sampleSeries([0, 1, 2], 'Y.T')), 3)
    assert.equal(await store.writeBars(sampleSeries([0, 1], 'X.T', '5m')), 2)
    assert.equal(await store.deleteBars('Y.T', '1m'), 3)
    assert.deepEqual(
      (await store.summary()).map((s) => [s.instrumentId, s.timeframe, s.rows]),
      [
        ['X.T', '1m', 3],
        ['X.T', '5m', 2],
      ],
    )
    assert.equal(seriesLength(await store.readBars('Z.T', '1m')), 0)
    await store.close()
  })
})

describe('DuckDbStore and another process holding the file', () => {
  /** Starts a plain-JS child that opens `path` with DuckDB and keeps it `ms`; resolves once it holds it. */
  const hold = (path: string, ms: number) =>
    new Promise<{ pid: number; exited: Promise<void> }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '-e',
          `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(${JSON.stringify(path)}); console.log('held'); setTimeout(() => i.closeSync(), ${ms}) })`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      child.stdout.once('data', () => resolve({ pid: child.pid!, exited }))
      child.once('error', reject)
    })

  it('waits with a message naming the holder, then opens the file once it is free', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-lock-'))
    try {
      const path = join(dir, 'k.duckdb')
      const h = await hold(path, 700)
      const told: string[] = []
      const store = new DuckDbStore(path, { onLockWait: (m) => told.push(m) })
      await store.init()
      assert.equal(told.length, 1)
      assert.match(told[0]!, new RegExp(`in use by process ${h.pid}; waiting up to 30 s`))
      assert.equal(await store.writeBars(sampleSeries([0, 1], 'L.T')), 2)
      await store.close()
      await h.exited
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gives up after lockWaitMs with SERVICE_UNAVAILABLE naming the holder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-duckdb-lock-'))
    try {
      const path = join(dir, 'k.duckdb')
      const h = await hold(path, 1500)
      const store = new DuckDbStore(path, { lockWaitMs: 200 })
      await assert.rejects(
        store.init(),
        (e) => isKestrelError(e, 'SERVICE_UNAVAILABLE') && e.message.includes(`in use by process ${h.pid}`),
      )
      await h.exited
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
