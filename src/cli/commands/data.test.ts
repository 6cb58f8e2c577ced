import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
      '2020-09-01',
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
      '2020-09-01',
      '--adjust',
      'test/fixtures/data/AAPL_corporate_actions.csv',
      '--out',
      out,
      '--db',
      db,
    ])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /back-adjusted for 4 corporate actions .* \(sha256 [0-9a-f]{12}\), raw data version 1/)
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
