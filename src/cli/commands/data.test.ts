import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-data-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const db = join(dir, 'k.duckdb')

/** Runs the CLI in a child process and captures its output. */
function run(argv: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/kestrel.mjs', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

describe('kestrel data import | ls | export', () => {
  it('imports with symbol and timeframe from the file name, then adds nothing the second time', () => {
    const a = run(['data', 'import', 'data/bundled/AAPL_1d.csv', '--venue', 'NASDAQ', '--db', db, '--json'])
    assert.equal(a.code, 0, a.err)
    const [r] = JSON.parse(a.out)
    assert.deepEqual(
      [r.instrumentId, r.timeframe, r.rowsRead, r.rowsInserted, r.rowsQuarantined],
      ['AAPL.NASDAQ', '1d', 5849, 5846, 3],
    )
    const b = run(['data', 'import', 'data/bundled/AAPL_1d.csv', '--venue', 'NASDAQ', '--db', db])
    assert.equal(b.code, 0, b.err)
    assert.match(b.out, /already imported \(same file hash\): nothing added/)
    const ls = run(['data', 'ls', '--db', db, '--json'])
    assert.deepEqual(
      JSON.parse(ls.out).map((s: { instrumentId: string; rows: number; quarantined: number }) => [
        s.instrumentId,
        s.rows,
        s.quarantined,
      ]),
      [['AAPL.NASDAQ', 5846, 3]],
    )
  })

  it('exports a range as CSV that reads back as the original rows', () => {
    const out = join(dir, 'aapl.csv')
    const r = run([
      'data',
      'export',
      'AAPL',
      '--timeframe',
      '1d',
      '--from',
      '2020-08-28',
      '--to',
      '2020-08-31',
      '--out',
      out,
      '--db',
      db,
    ])
    assert.equal(r.code, 0, r.err)
    assert.equal(
      readFileSync(out, 'utf8'),
      'timestamp,open,high,low,close,volume\n' +
        '2020-08-28T00:00:00Z,504.0,505.77,498.31,499.23,44109029.0\n' +
        '2020-08-31T00:00:00Z,127.67,131.0,126.25,129.04,210024091.0\n',
    )
  })

  it('exports back-adjusted bars with their lineage (actions hash, raw data version)', () => {
    const out = join(dir, 'aapl_adj.csv')
    const r = run([
      'data',
      'export',
      'AAPL.NASDAQ',
      '--timeframe',
      '1d',
      '--from',
      '2020-08-28',
      '--to',
      '2020-08-31',
      '--adjust',
      'test/fixtures/data/AAPL_corporate_actions.csv',
      '--out',
      out,
      '--db',
      db,
    ])
    assert.equal(r.code, 0, r.err)
    assert.match(
      r.out,
      /back-adjusted for 4 corporate actions .* \(sha256 [0-9a-f]{12}\), raw data version [0-9a-f]{12}\n/,
    )
    assert.equal(
      readFileSync(out, 'utf8'),
      'timestamp,open,high,low,close,volume\n' +
        `2020-08-28T00:00:00Z,${504 / 4},${505.77 / 4},${498.31 / 4},${499.23 / 4},${44109029 * 4}\n` +
        '2020-08-31T00:00:00Z,127.67,131,126.25,129.04,210024091\n',
    )
  })

  it('names an unknown symbol on export (exit 1) and a bad option value (exit 2)', () => {
    const a = run(['data', 'export', 'MSFT', '--timeframe', '1d', '--out', join(dir, 'x.csv'), '--db', db])
    assert.equal(a.code, 1)
    assert.match(a.err, /DATA_NOT_FOUND.*"MSFT"/)
    const b = run(['data', 'import', 'data/bundled/SPY_1d.csv', '--stamped-at', 'middle', '--db', db])
    assert.equal(b.code, 2)
    assert.match(b.err, /--stamped-at "middle": expected open or close/)
  })
})

describe('kestrel data validate', () => {
  it('exits 1 and names the corrupt AAPL split bar with its line', () => {
    const r = run(['data', 'validate', 'data/bundled/AAPL_1m.csv'])
    assert.equal(r.code, 1)
    assert.match(r.out, /errors: {3}OUTLIER_RANGE 1/)
    assert.match(r.out, /line 1471: bad tick: range high 645\.57 \/ low 92\.23/)
  })

  it('exits 0 on a clean file and reports warnings in JSON', () => {
    const r = run(['data', 'validate', 'data/bundled/BTC-USD_1m.csv', '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.equal(j.errors, 0)
    assert.deepEqual(
      j.gaps.map((g: { count: number }) => g.count),
      [1, 432],
    )
  })

  it('reports malformed rows by line without a stack trace, and an unknown time zone by name', () => {
    const f = join(dir, 'BAD_1m.csv')
    writeFileSync(
      f,
      'Date,Open,High,Low,Close,Vol\n20240102 09:30,1,2,0.5,1.5,10\n20240102 09:31,1,2,x,1.5,10\n20240102 09:32,1,2,0.5,1.5,10\n',
    )
    const r = run(['data', 'validate', f, '--timezone', 'America/New_York'])
    assert.equal(r.code, 1)
    assert.match(r.out, /rows: 3 read, 2 valid, 1 rejected; 2024-01-02T14:30:00Z → 2024-01-02T14:32:00Z/)
    assert.match(r.out, /line 3: low "x" is not a finite number/)
    assert.doesNotMatch(r.err, /at .*\.ts:\d+/)
    const z = run(['data', 'validate', f, '--timezone', 'Nowhere/Land'])
    assert.equal(z.code, 1)
    assert.match(z.err, /TIMEZONE_UNKNOWN.*"Nowhere\/Land"/)
  })
})

/** Writes `csv` (a bundled file) to Parquet with DuckDB, as a user's export from elsewhere would look. */
async function csvToParquet(csv: string, out: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const inst = await DuckDBInstance.create(':memory:')
  const c = await inst.connect()
  await c.run(
    `COPY (SELECT timestamp::TIMESTAMP AS "Date", open AS "Open", high AS "High", low AS "Low", close AS "Close", volume AS "Volume"
           FROM read_csv('${csv}', header = true, columns = {'timestamp': 'TIMESTAMPTZ', 'open': 'DOUBLE', 'high': 'DOUBLE',
           'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'})) TO '${out}' (FORMAT parquet)`,
  )
  c.closeSync()
  inst.closeSync()
}

describe('kestrel data import | validate of a Parquet file', () => {
  const pq = join(dir, 'pq', 'AAPL_1d.parquet')
  const pdb = join(dir, 'pq', 'k.duckdb')

  it('validates through the same checks as the CSV: the three bad AAPL lows, by file row', async () => {
    mkdirSync(join(dir, 'pq'), { recursive: true })
    await csvToParquet('data/bundled/AAPL_1d.csv', pq)
    const r = run(['data', 'validate', pq, '--limit', '3'])
    assert.equal(r.code, 1, r.err)
    assert.match(r.out, /AAPL\.CSV 1d, Parquet, time column Date \(timestamp\)/)
    assert.match(r.out, /rows: 5849 read, 5846 valid, 3 rejected; 1998-01-02T00:00:00Z → 2021-03-31T00:00:00Z/)
    assert.match(r.out, /errors: {3}OUTLIER_RANGE 3/)
    // Parquet row numbers are the CSV's line numbers minus its header line (3187 → 3186).
    assert.match(r.out, /AAPL_1d\.parquet line 3186: bad tick: range high 244\.56 \/ low 25\.3/)
    assert.match(r.out, /AAPL_1d\.parquet line 3272: bad tick: range high 330\.26 \/ low 32\.65/)
  })

  it('imports with the same counts as the CSV and adds nothing the second time', () => {
    const a = run(['data', 'import', pq, '--venue', 'NASDAQ', '--db', pdb, '--json'])
    assert.equal(a.code, 0, a.err)
    const [r] = JSON.parse(a.out)
    assert.deepEqual(
      [r.instrumentId, r.timeframe, r.rowsRead, r.rowsAccepted, r.rowsInserted, r.rowsQuarantined, r.ingestion],
      ['AAPL.NASDAQ', '1d', 5849, 5846, 5846, 3, 1],
    )
    assert.deepEqual(r.errorsByReason, { OUTLIER_RANGE: 3 })
    const b = run(['data', 'import', pq, '--venue', 'NASDAQ', '--db', pdb])
    assert.equal(b.code, 0, b.err)
    assert.match(b.out, /already imported \(same file hash\): nothing added/)
    const ls = JSON.parse(run(['data', 'ls', '--db', pdb, '--json']).out)
    assert.deepEqual(
      ls.map((s: { instrumentId: string; rows: number; quarantined: number }) => [
        s.instrumentId,
        s.rows,
        s.quarantined,
      ]),
      [['AAPL.NASDAQ', 5846, 3]],
    )
    // The same bars as the CSV import: the 2020-08-28/31 rows export identically.
    const out = join(dir, 'pq', 'aapl.csv')
    const e = run([
      'data',
      'export',
      'AAPL',
      '--timeframe',
      '1d',
      '--from',
      '2020-08-28',
      '--to',
      '2020-08-31',
      '--out',
      out,
      '--db',
      pdb,
    ])
    assert.equal(e.code, 0, e.err)
    assert.equal(
      readFileSync(out, 'utf8'),
      'timestamp,open,high,low,close,volume\n' +
        '2020-08-28T00:00:00Z,504.0,505.77,498.31,499.23,44109029.0\n' +
        '2020-08-31T00:00:00Z,127.67,131.0,126.25,129.04,210024091.0\n',
    )
  })
})

describe('kestrel data archive | restore with ls and export over both tiers', () => {
  const ldb = join(dir, 'tier', 'k.duckdb')
  const lake = join(dir, 'tier', 'cold')
  const spyRows = readFileSync('data/bundled/SPY_1m.csv', 'utf8').trim().split('\n').slice(1)
  const before9 = spyRows.filter((l) => l < '2013-10-09').length
  const tiers = () =>
    JSON.parse(run(['data', 'ls', '--db', ldb, '--lake', lake, '--json']).out).map(
      (s: { instrumentId: string; rows: number; hotRows: number; lakeRows: number }) => [
        s.instrumentId,
        s.rows,
        s.hotRows,
        s.lakeRows,
      ],
    )
  const exportAll = (name: string) => {
    const out = join(dir, 'tier', name)
    const r = run(['data', 'export', 'SPY', '--timeframe', '1m', '--out', out, '--db', ldb, '--lake', lake])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, new RegExp(`wrote ${spyRows.length} 1m bars of SPY.ARCA`))
    return readFileSync(out, 'utf8')
  }

  it('archives bars before a date into the lake; ls shows the split and export reads both tiers as the original', () => {
    assert.equal(
      run(['data', 'import', 'data/bundled/SPY_1m.csv', '--venue', 'ARCA', '--db', ldb, '--lake', lake]).code,
      0,
    )
    const original = exportAll('before.csv')
    assert.equal(original.trim().split('\n').length, spyRows.length + 1)
    assert.ok(before9 > 0 && before9 < spyRows.length)
    const a = run([
      'data',
      'archive',
      '--before',
      '2013-10-09',
      '--symbol',
      'SPY',
      '--db',
      ldb,
      '--lake',
      lake,
      '--json',
    ])
    assert.equal(a.code, 0, a.err)
    const rep = JSON.parse(a.out)
    assert.equal(rep.cutoff, Date.UTC(2013, 9, 9))
    assert.deepEqual(
      rep.series.map((s: { instrumentId: string; moved: number; newInLake: number }) => [
        s.instrumentId,
        s.moved,
        s.newInLake,
      ]),
      [['SPY.ARCA', before9, before9]],
    )
    assert.deepEqual(tiers(), [['SPY.ARCA', spyRows.length, spyRows.length - before9, before9]])
    assert.equal(exportAll('tiered.csv'), original)
    // Re-importing the file after the archive writes nothing hot again (the lake already holds those bars).
    const again = run(['data', 'import', 'data/bundled/SPY_1m.csv', '--venue', 'ARCA', '--db', ldb, '--lake', lake])
    assert.match(again.out, /already imported/)
  })

  it('restores a range, then the rest, with no duplicates and the same export', () => {
    const original = readFileSync(join(dir, 'tier', 'before.csv'), 'utf8')
    const day7 = spyRows.filter((l) => l.startsWith('2013-10-07')).length
    const r = run([
      'data',
      'restore',
      '--symbol',
      'SPY',
      '--from',
      '2013-10-07',
      '--to',
      '2013-10-07',
      '--db',
      ldb,
      '--lake',
      lake,
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(JSON.parse(r.out), [{ instrument: 'SPY.ARCA', timeframe: '1m', restored: day7 }])
    assert.deepEqual(tiers(), [['SPY.ARCA', spyRows.length, spyRows.length - before9 + day7, before9 - day7]])
    const all = run(['data', 'restore', '--symbol', 'SPY.ARCA', '--db', ldb, '--lake', lake])
    assert.equal(all.code, 0, all.err)
    assert.deepEqual(tiers(), [['SPY.ARCA', spyRows.length, spyRows.length, 0]])
    assert.equal(exportAll('restored.csv'), original)
  })

  it('takes the hot window from --older-than-days or the config file (storage.hotWindowDays, storage.lakePath)', () => {
    const cdb = join(dir, 'cfg', 'k.duckdb')
    const clake = join(dir, 'cfg', 'lake-from-config')
    const cfg = join(dir, 'cfg', 'kestrel.yaml')
    assert.equal(run(['data', 'import', 'data/bundled/AAPL_1d.csv', '--db', cdb]).code, 0)
    writeFileSync(cfg, `storage:\n  path: ${cdb}\n  lakePath: ${clake}\n  hotWindowDays: 1\n`)
    // 100 000 days back is before 1998: nothing leaves the hot store.
    const none = run(['data', 'archive', '--older-than-days', '100000', '--config', cfg])
    assert.equal(none.code, 0, none.err)
    assert.match(none.out, /nothing older than the hot window/)
    const all = run(['data', 'archive', '--config', cfg, '--json'])
    assert.equal(all.code, 0, all.err)
    const rep = JSON.parse(all.out)
    assert.equal(rep.lake, clake)
    assert.deepEqual(
      rep.series.map((s: { moved: number }) => s.moved),
      [5846],
    )
    const ls = JSON.parse(run(['data', 'ls', '--db', cdb, '--lake', clake, '--json']).out)
    assert.deepEqual(
      ls.map((s: { rows: number; hotRows: number; lakeRows: number }) => [s.rows, s.hotRows, s.lakeRows]),
      [[5846, 0, 5846]],
    )
  })

  it('names a conflicting option pair (exit 2) and an unknown symbol (exit 1)', () => {
    const a = run(['data', 'archive', '--before', '2013-10-09', '--older-than-days', '3', '--db', ldb, '--lake', lake])
    assert.equal(a.code, 2)
    assert.match(a.err, /either --before or --older-than-days/)
    const b = run(['data', 'restore', '--symbol', 'MSFT', '--db', ldb, '--lake', lake])
    assert.equal(b.code, 1)
    assert.match(b.err, /DATA_NOT_FOUND.*"MSFT"/)
  })
})
