import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import fc from 'fast-check'
import { allocBarSeries, makeInstrument } from '../../core/index.ts'
import { MemoryStore } from '../store/memory.ts'
import { importCsvFile } from './import-csv.ts'
import { importParquetFile, inspectParquetFile } from './import-series.ts'
import { inspectSeries } from './inspect-series.ts'
import type { ParsedSeries } from './inspect-series.ts'

const AAPL = join(import.meta.dirname, '../../../data/bundled/AAPL_1d.csv')
const SPY = join(import.meta.dirname, '../../../data/bundled/SPY_1m.csv')
const CSV_COLS = `header = true, columns = {'timestamp': 'TIMESTAMPTZ', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'}`

describe('importParquetFile', () => {
  let dir: string
  const file = (n: string) => join(dir, n)
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-import-series-'))
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    await c.run(
      `COPY (SELECT * FROM read_csv('${AAPL}', ${CSV_COLS})) TO '${file('AAPL_1d.parquet')}' (FORMAT parquet)`,
    )
    // SPY minutes: row 11 duplicated at the end, the close of the bar at file row 21 null.
    await c.run(
      `COPY (SELECT timestamp, open, high, low, CASE WHEN n = 20 THEN NULL ELSE close END AS close, volume
             FROM (SELECT *, row_number() OVER () - 1 AS n FROM read_csv('${SPY}', ${CSV_COLS}))
             UNION ALL SELECT * EXCLUDE (n) FROM (SELECT *, row_number() OVER () - 1 AS n FROM read_csv('${SPY}', ${CSV_COLS})) WHERE n = 10)
       TO '${file('SPY_1m.parquet')}' (FORMAT parquet)`,
    )
    c.closeSync()
    db.closeSync()
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('stores the same bars as the CSV import and quarantines the three bad AAPL lows with their raw rows', async () => {
    const fromPq = new MemoryStore()
    const fromCsv = new MemoryStore()
    const r = await importParquetFile(fromPq, file('AAPL_1d.parquet'), { venue: 'NASDAQ' })
    await importCsvFile(fromCsv, AAPL, { venue: 'NASDAQ' })
    assert.deepEqual(
      [r.instrumentId, r.timeframe, r.rowsRead, r.rowsAccepted, r.rowsInserted, r.rowsQuarantined],
      ['AAPL.NASDAQ', '1d', 5849, 5846, 5846, 3],
    )
    assert.equal(
      r.fileHash,
      createHash('sha256')
        .update(readFileSync(file('AAPL_1d.parquet')))
        .digest('hex'),
    )
    const a = await fromPq.readBars('AAPL.NASDAQ', '1d')
    const b = await fromCsv.readBars('AAPL.NASDAQ', '1d')
    for (const k of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const)
      assert.deepEqual([...a[k]], [...b[k]], k)
    const q = await fromPq.quarantine()
    assert.deepEqual(
      q.map((x) => [x.reason, x.line, x.field, new Date(x.timestamp!).toISOString().slice(0, 10)]),
      [
        ['OUTLIER_RANGE', 2948, 'low', '2009-09-21'],
        ['OUTLIER_RANGE', 3186, 'low', '2010-08-31'],
        ['OUTLIER_RANGE', 3272, 'low', '2011-01-03'],
      ],
    )
    assert.deepEqual(JSON.parse(q[1]!.raw), {
      row: 3186,
      timestamp: '2010-08-31T00:00:00Z',
      open: 241.88,
      high: 244.56,
      low: 25.3,
      close: 243.37,
      volume: 13182733,
    })
    const [log] = await fromPq.ingestions()
    assert.deepEqual(
      [log!.source, log!.rowsRead, log!.rowsAccepted, log!.rowsQuarantined, log!.ingestion],
      [file('AAPL_1d.parquet'), 5849, 5846, 3, 1],
    )
    const again = await importParquetFile(fromPq, file('AAPL_1d.parquet'), { venue: 'NASDAQ' })
    assert.equal(again.skipped, true)
    assert.equal((await fromPq.ingestions()).length, 1)
  })

  it('quarantines a null field and a duplicated row, and every row read is either accepted or quarantined', async () => {
    const ins = await inspectParquetFile(file('SPY_1m.parquet'), { venue: 'ARCA' })
    const rows = readFileSync(SPY, 'utf8').trim().split('\n').length - 1
    assert.equal(ins.rowsRead, rows + 1)
    assert.deepEqual(
      ins.quarantine.map((x) => [x.reason, x.line, x.field]),
      [
        ['NULL_VALUE', 21, 'close'],
        ['DUPLICATE_TIMESTAMP', rows + 1, 'timestamp'],
      ],
    )
    assert.equal(ins.accepted.openTime.length + ins.quarantine.length, ins.rowsRead)
    assert.equal(ins.findings.filter((f) => f.reason === 'ROW_COUNT_MISMATCH').length, 0)
  })
})

describe('inspectSeries', () => {
  const inst = makeInstrument({ symbol: 'SYN', venue: 'T', assetClass: 'crypto' })

  /** A clean rising 1m series of `n` bars with the bars at `bad` given high < low. */
  function parsed(n: number, bad: readonly number[]): ParsedSeries {
    const s = allocBarSeries(inst.id, '1m', n)
    for (let i = 0; i < n; i++) {
      s.openTime[i] = 1_700_000_000_000 + i * 60_000
      s.closeTime[i] = s.openTime[i]! + 60_000
      s.open[i] = s.close[i] = 100 + i * 0.01
      s.high[i] = s.open[i]! + 0.05
      s.low[i] = s.open[i]! - 0.05
      s.volume[i] = 10
    }
    for (const i of bad) [s.high[i], s.low[i]] = [s.low[i]!, s.high[i]!]
    const lines = Int32Array.from({ length: n }, (_, i) => i + 2)
    return {
      source: 'mem',
      fileHash: 'h',
      instrument: inst,
      series: s,
      lines,
      raw: (i) => `raw ${i}`,
      rejected: [],
      rowsRead: n,
      format: {},
    }
  }

  it('quarantines exactly the inconsistent bars, with their line and raw text, and accounts for every row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 300 }), fc.uniqueArray(fc.nat(299), { maxLength: 20 }), (n, picks) => {
        const bad = picks.filter((i) => i < n).sort((a, b) => a - b)
        const ins = inspectSeries(parsed(n, bad))
        assert.deepEqual(
          ins.quarantine.map((q) => [q.line, q.raw]),
          bad.map((i) => [i + 2, `raw ${i}`]),
        )
        assert.equal(ins.accepted.openTime.length, n - bad.length)
        assert.equal(ins.findings.filter((f) => f.stage === 'transform').length, 0)
      }),
      { seed: 42, numRuns: 60 },
    )
  })
})
