import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { allocBarSeries, isKestrelError, seriesLength } from '../../../core/index.ts'
import { needService } from '../../../../test/helpers/services.ts'
import { runStoreConformance, sampleSeries } from '../conformance.ts'
import { PostgresStore, redact } from './postgres-store.ts'

const skip = await needService('postgres')
const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres'
const URL_TEST = 'postgres://postgres@127.0.0.1:5432/kestrel_test'
let schemaSeq = 0
const runId = `${process.pid}_${Date.now().toString(36)}`

/** Creates the kestrel_test database when missing (once per process). */
let ensured: Promise<void> | undefined
function ensureDatabase(): Promise<void> {
  ensured ??= (async () => {
    const c = new pg.Client({ connectionString: ADMIN })
    await c.connect()
    try {
      const r = await c.query(`select 1 from pg_database where datname = 'kestrel_test'`)
      if (r.rowCount === 0) {
        await c.query('create database kestrel_test').catch((e: { code?: string }) => {
          if (e.code !== '42P04') throw e // created meanwhile by another test file
        })
      }
    } finally {
      await c.end()
    }
  })()
  return ensured
}

async function freshStore(
  opts: { batchSize?: number } = {},
): Promise<{ store: PostgresStore; dispose: () => Promise<void> }> {
  await ensureDatabase()
  const schema = `kt_${runId}_${++schemaSeq}`
  const store = new PostgresStore({ connectionString: URL_TEST, schema, ...opts })
  return {
    store,
    dispose: async () => {
      const c = new pg.Client({ connectionString: URL_TEST })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
    },
  }
}

runStoreConformance('postgres', () => freshStore({ batchSize: 7 }), { skip, propertyRuns: 15 })

describe('PostgresStore specifics', { skip }, () => {
  let store: PostgresStore
  let dispose: () => Promise<void>
  before(async () => {
    ;({ store, dispose } = await freshStore({ batchSize: 5000 }))
    await store.init()
  })
  after(async () => {
    await store?.close()
    await dispose?.()
  })

  it('records whether bars are a TimescaleDB hypertable or a plain table', async () => {
    const c = new pg.Client({ connectionString: URL_TEST })
    await c.connect()
    try {
      const ext = await c.query(`select 1 from pg_available_extensions where name = 'timescaledb'`)
      const meta = await c.query(`select value from ${store.schema}.store_meta where key = 'bars_storage'`)
      const expected = ext.rowCount ? 'hypertable' : 'plain'
      assert.equal(store.storage, expected)
      assert.equal(meta.rows[0]?.value, expected)
    } finally {
      await c.end()
    }
  })

  it('writes 50 000 bars in batches, once, and streams them back in bounded chunks', async () => {
    const n = 50_000
    const s = allocBarSeries('BULK.TEST', '1m', n)
    for (let i = 0; i < n; i++) {
      s.openTime[i] = 1_700_000_000_000 + i * 60_000
      s.closeTime[i] = s.openTime[i]! + 60_000
      s.open[i] = 100 + (i % 97) / 7
      s.high[i] = s.open[i]! + 1
      s.low[i] = s.open[i]! - 1
      s.close[i] = s.open[i]! + 0.5
      s.volume[i] = i
    }
    assert.equal(await store.writeBars(s), n)
    assert.equal(await store.writeBars(s), 0)
    let total = 0
    let chunks = 0
    let prev = -Infinity
    let sumVol = 0
    for await (const c of store.streamBars('BULK.TEST', '1m', undefined, 12_000)) {
      assert.ok(seriesLength(c) <= 12_000)
      assert.ok(c.openTime[0]! > prev)
      prev = c.openTime[seriesLength(c) - 1]!
      for (const v of c.volume) sumVol += v
      total += seriesLength(c)
      chunks++
    }
    assert.equal(total, n)
    assert.equal(chunks, 5)
    assert.equal(sumVol, (n * (n - 1)) / 2)
    const one = await store.readBars('BULK.TEST', '1m', { from: s.openTime[777], to: s.openTime[778] })
    assert.equal(one.open[0], s.open[777])
  })

  it('falls back to on-conflict inserts when a fresh batch collides (duplicate open times in one write)', async () => {
    const s = sampleSeries([0, 1, 1, 2, 0], 'DUP.TEST')
    assert.equal(await store.writeBars(s), 3)
    assert.deepEqual(
      [...(await store.readBars('DUP.TEST', '1m')).openTime],
      [0, 1, 2].map((i) => s.openTime[0]! + i * 60_000),
    )
  })

  it('rejects times that are not whole milliseconds, naming the bar', async () => {
    const s = sampleSeries([0, 1], 'FRAC.TEST')
    s.openTime[1] = s.openTime[1]! + 0.5
    await assert.rejects(
      () => store.writeBars(s),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && /FRAC\.TEST bar 1/.test(e.message),
    )
  })

  it('says SERVICE_UNAVAILABLE, without the password, when the server cannot be reached', async () => {
    const bad = new PostgresStore({ connectionString: 'postgres://u:s3cret@127.0.0.1:1/x', schema: 'k' })
    await assert.rejects(
      () => bad.init(),
      (e) =>
        isKestrelError(e, 'SERVICE_UNAVAILABLE') && !e.message.includes('s3cret') && e.message.includes('127.0.0.1:1'),
    )
    await bad.close()
    assert.equal(redact('postgres://u:pw@h:5/db'), 'postgres://u:***@h:5/db')
  })

  it('refuses a schema name that is not a plain identifier', () => {
    assert.throws(
      () => new PostgresStore({ connectionString: URL_TEST, schema: 'x; drop table y' }),
      (e) => isKestrelError(e, 'CONFIG_INVALID'),
    )
  })
})
