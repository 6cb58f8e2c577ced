import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isoUtc } from '../../core/index.ts'
import { DuckDbStore } from '../store/duckdb/index.ts'
import { hintsFromFileName, importCsvFile, inspectCsvFile, type ImportProgress } from './index.ts'

describe('importCsvFile', () => {
  let dir: string
  let store: DuckDbStore
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kestrel-ingest-'))
    store = new DuckDbStore(join(dir, 'k.duckdb'))
    await store.init()
  })
  after(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('imports AAPL_1d: 5849 read = 5846 stored + 3 quarantined bad ticks, with raw rows and a log entry', async () => {
    const phases = new Set<ImportProgress['phase']>()
    const r = await importCsvFile(store, 'data/bundled/AAPL_1d.csv', {
      venue: 'NASDAQ',
      onProgress: (p) => phases.add(p.phase),
    })
    assert.equal(r.instrumentId, 'AAPL.NASDAQ')
    assert.equal(r.timeframe, '1d')
    assert.deepEqual([r.rowsRead, r.rowsAccepted, r.rowsInserted, r.rowsQuarantined], [5849, 5846, 5846, 3])
    assert.deepEqual(r.errorsByReason, { OUTLIER_RANGE: 3 })
    assert.equal(r.warningsByReason.SUSPECTED_UNADJUSTED_SPLIT, 4)
    assert.deepEqual([...phases], ['parse', 'validate', 'store', 'done'])
    const q = await store.quarantine({ instrumentId: 'AAPL.NASDAQ' })
    assert.equal(q.length, 3)
    assert.equal(q[0]!.raw, '2009-09-21T00:00:00Z,184.44,185.16,10.59,184.02,15396281')
    assert.equal(q[0]!.line, 2949)
    assert.equal(q[0]!.reason, 'OUTLIER_RANGE')
    const log = await store.findIngestion(r.fileHash, 'AAPL.NASDAQ', '1d')
    assert.equal(log?.rowsAccepted, 5846)
    assert.equal(log?.ingestion, 1)
    const sum = (await store.summary()).find((s) => s.instrumentId === 'AAPL.NASDAQ')!
    assert.deepEqual(
      [sum.rows, isoUtc(sum.first), isoUtc(sum.last), sum.quarantined],
      [5846, '1998-01-02T00:00:00Z', '2021-03-31T00:00:00Z', 3],
    )
  })

  it('adds nothing when the same file is imported again (hash check)', async () => {
    const r = await importCsvFile(store, 'data/bundled/AAPL_1d.csv', { venue: 'NASDAQ' })
    assert.equal(r.skipped, true)
    assert.equal(r.rowsInserted, 0)
    assert.equal((await store.quarantine({ instrumentId: 'AAPL.NASDAQ' })).length, 3)
    assert.equal((await store.ingestions()).filter((x) => x.instrumentId === 'AAPL.NASDAQ').length, 1)
  })

  it('does not duplicate bars from an overlapping file, and numbers the ingestions', async () => {
    const text = await readFile('data/bundled/SPY_1d.csv', 'utf8')
    const lines = text.trimEnd().split('\n')
    const a = join(dir, 'SPY_1d.csv')
    const b = join(dir, 'b', 'SPY_1d.csv')
    await writeFile(a, lines.slice(0, 3001).join('\n'))
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'b')))
    await writeFile(b, [lines[0], ...lines.slice(2001, 4001)].join('\n'))
    const r1 = await importCsvFile(store, a, { venue: 'ARCA' })
    const r2 = await importCsvFile(store, b, { venue: 'ARCA' })
    assert.deepEqual([r1.rowsInserted, r2.rowsAccepted, r2.rowsInserted], [3000, 2000, 1000])
    assert.deepEqual([r1.ingestion, r2.ingestion], [1, 2])
    const sum = (await store.summary()).find((s) => s.instrumentId === 'SPY.ARCA')!
    assert.equal(sum.rows, 4000)
  })

  it('accounts for every row of a file with garbage: read = accepted + quarantined', async () => {
    const f = join(dir, 'JUNK_1m.csv')
    await writeFile(
      f,
      [
        'timestamp,open,high,low,close,volume',
        '2024-01-02T14:30:00Z,10,11,9,10.5,100',
        '2024-01-02T14:31:00Z,10,11,9',
        'garbage',
        '2024-01-02T14:32:00Z,10,9,9,10.5,100',
        '2024-01-02T14:32:00Z,10,11,9,10.5,100',
        '2024-01-02T14:33:00Z,10,11,9,10.5,100',
      ].join('\n'),
    )
    const r = await importCsvFile(store, f)
    assert.equal(r.instrumentId, 'JUNK.CSV')
    assert.deepEqual([r.rowsRead, r.rowsAccepted, r.rowsQuarantined], [6, 3, 3])
    assert.deepEqual(r.errorsByReason, { BAD_COLUMN_COUNT: 2, HIGH_BELOW_OPEN_CLOSE: 1 })
    const q = await store.quarantine({ source: f })
    assert.deepEqual(
      q.map((x) => [x.line, x.reason]),
      [
        [3, 'BAD_COLUMN_COUNT'],
        [4, 'BAD_COLUMN_COUNT'],
        [5, 'HIGH_BELOW_OPEN_CLOSE'],
      ],
    )
    assert.equal(q[2]!.raw, '2024-01-02T14:32:00Z,10,9,9,10.5,100')
  })

  it('reports a file with no valid row (timeframe unknown) with every row quarantined, not a crash', async () => {
    const f = join(dir, 'ALLBAD.csv')
    await writeFile(f, 'timestamp,open,high,low,close,volume\nfoo,1,2,3,4,5\nbar,1,2\n')
    const r = await importCsvFile(store, f)
    assert.deepEqual([r.rowsRead, r.rowsAccepted, r.rowsQuarantined, r.timeframe], [2, 0, 2, 'unknown'])
    assert.deepEqual(r.errorsByReason, { BAD_TIMESTAMP: 1, BAD_COLUMN_COUNT: 1 })
  })

  it('quarantines every row of a file appended to itself as a duplicate, with its raw text', async () => {
    const text = await readFile('data/bundled/BTC-USD_1m.csv', 'utf8')
    const rows = text.trimEnd().split('\n')
    const f = join(dir, 'TWICE_1m.csv')
    await writeFile(f, [...rows, ...rows.slice(1)].join('\n') + '\n')
    const r = await importCsvFile(store, f, { assetClass: 'crypto' })
    assert.deepEqual([r.rowsRead, r.rowsAccepted, r.rowsQuarantined], [7774, 3887, 3887])
    assert.deepEqual(r.errorsByReason, { DUPLICATE_TIMESTAMP: 3887 }) // each an exact repeat of a row of the first copy
    assert.match(r.findings.find((f) => f.line === 3889)!.message, /line 3889: duplicate of line 2 /)
    const q = await store.quarantine({ source: f })
    assert.equal(q.length, 3887)
    assert.deepEqual(
      q.map((x) => x.raw),
      rows.slice(1),
    )
    assert.deepEqual([q[0]!.line, q.at(-1)!.line], [3889, 7775])
  })

  it('checks NYSE minute data with extended hours against NYSE_EXT, regular-hours data against NYSE', async () => {
    assert.equal((await inspectCsvFile('data/bundled/SPY_1m.csv')).calendar, 'NYSE_EXT')
    assert.equal((await inspectCsvFile('data/bundled/IBM_1m.csv')).calendar, 'NYSE')
    assert.equal((await inspectCsvFile('data/bundled/BTC-USD_1m.csv')).calendar, '24/7')
  })
})

describe('hintsFromFileName', () => {
  it('reads symbol, timeframe and asset class from names like SPY_1m.csv and BTC-USD_1d.csv', () => {
    assert.deepEqual(hintsFromFileName('data/bundled/SPY_1m.csv'), {
      symbol: 'SPY',
      timeframe: '1m',
      assetClass: 'equity',
    })
    assert.deepEqual(hintsFromFileName('/x/BTC-USD_1d.csv'), {
      symbol: 'BTC-USD',
      timeframe: '1d',
      assetClass: 'crypto',
    })
    assert.deepEqual(hintsFromFileName('eurusd.csv'), { symbol: 'EURUSD', timeframe: undefined, assetClass: 'equity' })
    assert.deepEqual(hintsFromFileName('ES_F_5min.csv'), { symbol: 'ES_F', timeframe: '5m', assetClass: 'equity' })
  })
})
