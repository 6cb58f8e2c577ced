import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { isKestrelError, seriesLength } from '../../core/index.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { readParquetBars } from './parquet.ts'

const CSV = join(import.meta.dirname, '../../../data/bundled/SPY_1m.csv')
const SPY = bundledBars('SPY_1m')

describe('readParquetBars', () => {
  let dir: string
  const file = (name: string) => join(dir, name)
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-parquet-'))
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const src = `read_csv('${CSV}', header = true, columns = {'timestamp': 'TIMESTAMPTZ', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'})`
    // Yahoo-like names, TIMESTAMP time column
    await c.run(
      `COPY (SELECT timestamp::TIMESTAMP AS "Date", open AS "Open", high AS "High", low AS "Low", close AS "Close", volume AS "Vol" FROM ${src})
       TO '${file('named.parquet')}' (FORMAT parquet)`,
    )
    // epoch seconds, shuffled order, one null close
    await c.run(
      `COPY (SELECT epoch(timestamp)::BIGINT AS t, open AS o, high AS h, low AS l,
                    CASE WHEN epoch(timestamp) = ${SPY[5]!.t / 1000} THEN NULL ELSE close END AS c, volume AS v
             FROM ${src} ORDER BY hash(epoch(timestamp)))
       TO '${file('epoch.parquet')}' (FORMAT parquet)`,
    )
    await c.run(
      `COPY (SELECT timestamp AS time, open, high, low FROM ${src}) TO '${file('missing.parquet')}' (FORMAT parquet)`,
    )
    await c.run(
      `COPY (SELECT timestamp AS bucket, open, high, low, close, volume FROM ${src}) TO '${file('custom.parquet')}' (FORMAT parquet)`,
    )
    c.closeSync()
    db.closeSync()
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('maps aliased columns (Date, Open, Vol) and reads every bundled SPY bar exactly', async () => {
    const r = await readParquetBars(file('named.parquet'), { instrumentId: 'SPY.ARCA' })
    assert.equal(r.timeKind, 'timestamp')
    assert.deepEqual(r.columns, { time: 'Date', open: 'Open', high: 'High', low: 'Low', close: 'Close', volume: 'Vol' })
    assert.equal(r.bars.timeframe, '1m')
    assert.equal(seriesLength(r.bars), SPY.length)
    assert.deepEqual(
      [...r.bars.openTime],
      SPY.map((b) => b.t),
    )
    assert.deepEqual(
      [...r.bars.close],
      SPY.map((b) => b.c),
    )
    assert.deepEqual(
      [...r.bars.volume],
      SPY.map((b) => b.v),
    )
    assert.equal(r.bars.closeTime[0], SPY[0]!.t + 60_000)
    assert.equal(r.rejected.length, 0)
  })

  it('reads epoch seconds in any row order, sorts them, and keeps a null row aside with its file row', async () => {
    const r = await readParquetBars(file('epoch.parquet'), { instrumentId: 'SPY.ARCA', timeframe: '1m' })
    assert.equal(r.timeKind, 'epoch_s')
    assert.equal(r.rowsRead, SPY.length)
    assert.deepEqual(
      [...r.bars.openTime],
      SPY.filter((_, i) => i !== 5).map((b) => b.t),
    )
    assert.equal(r.rejected.length, 1)
    const q = r.rejected[0]!
    assert.equal(q.reason, 'NULL_VALUE')
    assert.equal(q.field, 'close')
    assert.equal(q.timestamp, SPY[5]!.t)
    assert.ok(q.line! >= 1 && q.line! <= SPY.length)
    assert.match(q.message, /row \d+: c is null/)
  })

  it('shifts bars stamped at their close back to their open', async () => {
    const r = await readParquetBars(file('named.parquet'), { instrumentId: 'SPY.ARCA', stampedAt: 'close' })
    assert.equal(r.bars.openTime[0], SPY[0]!.t - 60_000)
    assert.equal(r.bars.closeTime[0], SPY[0]!.t)
  })

  it('takes explicit column names over aliases', async () => {
    const r = await readParquetBars(file('custom.parquet'), { instrumentId: 'SPY.ARCA', columns: { time: 'bucket' } })
    assert.equal(seriesLength(r.bars), SPY.length)
  })

  it('names the missing columns, the file and a missing file', async () => {
    await assert.rejects(
      () => readParquetBars(file('missing.parquet'), { instrumentId: 'X' }),
      (e) => isKestrelError(e, 'DATA_BAD_FILE') && /missing\.parquet: no column for close, volume/.test(e.message),
    )
    await assert.rejects(
      () => readParquetBars(file('nope.parquet'), { instrumentId: 'X' }),
      (e) => isKestrelError(e, 'FILE_NOT_FOUND'),
    )
    await assert.rejects(
      () => readParquetBars(CSV, { instrumentId: 'X' }),
      (e) => isKestrelError(e, 'DATA_BAD_FILE') && /not a readable Parquet file/.test(e.message),
    )
  })
})
