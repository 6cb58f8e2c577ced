import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-store-flags-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const db = join(dir, 'k.duckdb')
const typo = join(dir, 'kk.duckdb')

const cli = (argv: string[]) => runCliCaptured(argv)

/** Column types and rows of a Parquet file, read back with DuckDB. */
async function readParquet(path: string): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const inst = await DuckDBInstance.create(':memory:')
  const conn = await inst.connect()
  try {
    const lit = `'${path.replace(/'/g, "''")}'`
    const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit})`)).getRowObjectsJS()
    const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet(${lit})`)).getRowObjectsJS()
    return {
      types: Object.fromEntries(desc.map((d) => [String(d.column_name), String(d.column_type)])),
      rows: rows as Record<string, unknown>[],
    }
  } finally {
    conn.closeSync()
    inst.closeSync()
  }
}

before(async () => {
  const r = await cli(['data', 'import', 'data/bundled/SPY_1m.csv', '--venue', 'ARCA', '--db', db])
  assert.equal(r.code, 0, r.err)
  assert.match(r.err, /note: created a new store at .*k\.duckdb/)
})

describe('a mistyped --db: every data command says the store does not exist and creates nothing', () => {
  const cases: [string, string[]][] = [
    ['data ls', ['data', 'ls', '--db', typo]],
    ['data export', ['data', 'export', 'SPY', '--timeframe', '1m', '--out', join(dir, 'x.csv'), '--db', typo]],
    ['data archive', ['data', 'archive', '--before', '2013-10-09', '--db', typo]],
    ['data restore', ['data', 'restore', '--symbol', 'SPY', '--db', typo]],
    [
      'data fetch --resume',
      [
        'data',
        'fetch',
        '--provider',
        'yahoo',
        '--symbol',
        'SPY',
        '--timeframe',
        '1d',
        '--from',
        '2020-01-01',
        '--to',
        '2020-02-01',
        '--resume',
        '--db',
        typo,
      ],
    ],
    [
      'features build --db',
      [
        'features',
        'build',
        'examples/features.yaml',
        '--db',
        typo,
        '--instrument',
        'SPY',
        '--timeframe',
        '1m',
        '--out',
        join(dir, 'f.csv'),
      ],
    ],
  ]
  for (const [name, argv] of cases) {
    it(`${name}`, async () => {
      const before = readdirSync(dir).sort()
      const r = await cli(argv)
      assert.equal(r.code, 1, r.err)
      assert.match(r.err, /kk\.duckdb(: no such store \(the file does not exist\)| does not exist).*check (the )?--db/)
      assert.equal(existsSync(typo), false)
      assert.deepEqual(readdirSync(dir).sort(), before)
    })
  }

  it('data import of a file it cannot read creates no store', async () => {
    const bad = join(dir, 'BAD_1m.csv')
    writeFileSync(bad, 'when,what\n1,2\n')
    const r = await cli(['data', 'import', bad, '--db', typo])
    assert.equal(r.code, 1)
    assert.match(r.err, /no column for/)
    assert.equal(existsSync(typo), false)
    rmSync(bad)
  })

  it('data fetch that stores nothing (provider unreachable) removes the store it created', async () => {
    const r = await cli([
      'data',
      'fetch',
      '--provider',
      'yahoo',
      '--symbol',
      'SPY',
      '--timeframe',
      '1d',
      '--from',
      '2020-01-01',
      '--to',
      '2020-02-01',
      '--base-url',
      'http://127.0.0.1:9',
      '--retries',
      '1',
      '--timeout',
      '2000',
      '--db',
      typo,
    ])
    assert.notEqual(r.code, 0)
    assert.equal(existsSync(typo), false, r.err)
    assert.equal(existsSync(`${typo}.wal`), false)
  })
})

describe('--out x.parquet writes Parquet with TIMESTAMP columns', () => {
  it('data export: the extension picks Parquet; open and close times are TIMESTAMPs, equal to the CSV export', async () => {
    const pq = join(dir, 'spy.parquet')
    const r = await cli(['data', 'export', 'SPY', '--timeframe', '1m', '--to', '2013-10-08', '--out', pq, '--db', db])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /\(parquet\)/)
    const { types, rows } = await readParquet(pq)
    assert.deepEqual(types, {
      open_time: 'TIMESTAMP',
      close_time: 'TIMESTAMP',
      open: 'DOUBLE',
      high: 'DOUBLE',
      low: 'DOUBLE',
      close: 'DOUBLE',
      volume: 'DOUBLE',
    })
    const csv = join(dir, 'spy.csv')
    assert.equal(
      (await cli(['data', 'export', 'SPY', '--timeframe', '1m', '--to', '2013-10-08', '--out', csv, '--db', db])).code,
      0,
    )
    const lines = readFileSync(csv, 'utf8').trim().split('\n').slice(1)
    assert.equal(rows.length, lines.length)
    const [t, o, , , c] = lines[5]!.split(',')
    const row = rows[5]!
    assert.equal(new Date(row.open_time as Date).toISOString().replace('.000Z', 'Z'), t)
    assert.equal(
      (row.close_time as Date).getTime() - (row.open_time as Date).getTime(),
      60_000,
      'close time one minute after the open',
    )
    assert.deepEqual([row.open, row.close], [Number(o), Number(c)])
  })

  it('data export: --format csv wins over the extension', async () => {
    const out = join(dir, 'really-csv.parquet')
    const r = await cli(['data', 'export', 'SPY', '--timeframe', '1m', '--format', 'csv', '--out', out, '--db', db])
    assert.equal(r.code, 0, r.err)
    const text = readFileSync(out, 'utf8')
    assert.ok(text.startsWith('timestamp,open,high,low,close,volume\n2013-10-04T08:06:00Z,167.65,'), text.slice(0, 80))
  })

  it('features build: TIMESTAMP timestamp and label t1, NULL where undefined, never NaN; CSV writes t1 as ISO too', async () => {
    const spec = join(dir, 'spec.yaml')
    writeFileSync(
      spec,
      'name: t\nfeatures:\n  ret: logret(close, 1)\n  vol: ewmavol(ret, 0.94)\n  tb: triplebarrier(vol, 2, 2, 30)\n',
    )
    const pq = join(dir, 'f.parquet')
    const r = await cli(['features', 'build', spec, '--data', 'data/bundled/SPY_1m.csv', '--out', pq, '--json'])
    assert.equal(r.code, 0, r.err)
    assert.equal(JSON.parse(r.out).format, 'parquet')
    const { types, rows } = await readParquet(pq)
    assert.equal(types.timestamp, 'TIMESTAMP')
    assert.equal(types['tb.t1'], 'TIMESTAMP')
    assert.equal(types.ret, 'DOUBLE')
    assert.equal(types['tb.ret'], 'DOUBLE')
    assert.equal(rows[0]!.ret, null, 'the first return is undefined: NULL')
    for (const row of rows) for (const v of Object.values(row)) assert.ok(!(typeof v === 'number' && Number.isNaN(v)))
    const last = rows.at(-1)!
    assert.equal(last['tb.t1'], null, 'no touch after the last bar')

    const csv = join(dir, 'f.csv')
    assert.equal((await cli(['features', 'build', spec, '--data', 'data/bundled/SPY_1m.csv', '--out', csv])).code, 0)
    const lines = readFileSync(csv, 'utf8').trim().split('\n')
    const header = lines[0]!.split(',')
    const k = header.indexOf('tb.t1')
    const withT1 = lines
      .slice(1)
      .find((l) => l.split(',')[k] !== '')!
      .split(',')
    assert.match(withT1[k]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/)
    const i = lines.indexOf(withT1.join(','))
    const pqRow = rows[i - 1]!
    assert.equal((pqRow['tb.t1'] as Date).toISOString().replace('.000Z', 'Z'), withT1[k])
  })

  it('features build --db reads a symbol stored once, like data export', async () => {
    const spec = join(dir, 'spec2.yaml')
    writeFileSync(spec, 'name: t\nfeatures:\n  ret: logret(close, 1)\n')
    const out = join(dir, 'f2.csv')
    const r = await cli([
      'features',
      'build',
      spec,
      '--db',
      db,
      '--instrument',
      'SPY',
      '--timeframe',
      '1m',
      '--out',
      out,
    ])
    assert.equal(r.code, 0, r.err)
    const text = readFileSync(out, 'utf8')
    assert.ok(
      text.startsWith('timestamp,ret\n2013-10-04T08:06:00Z,\n2013-10-04T08:09:00Z,-0.000178960241477'),
      text.slice(0, 80),
    )
  })
})
