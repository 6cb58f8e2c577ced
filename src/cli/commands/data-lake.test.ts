import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import pg from 'pg'
import { needService } from '../../../test/helpers/services.ts'
import { sampleSeries } from '../../data/store/conformance.ts'
import { PostgresStore } from '../../data/index.ts'
import { makeInstrument } from '../../core/index.ts'
import { runCliCaptured } from '../testing.ts'

const repo = process.cwd()
const dir = mkdtempSync(join(tmpdir(), 'kestrel-data-lake-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const aapl = resolve(repo, 'data/bundled/AAPL_1d.csv')
const aaplRows = readFileSync(aapl, 'utf8').trim().split('\n').length - 1

/** Runs the CLI in this process with `cwd` as the working directory; captures stdout and stderr. */
const cli = (argv: string[], cwd: string) => runCliCaptured(argv, { cwd, env: { ...process.env, CI: '1' } })

describe('kestrel data archive: default paths', () => {
  it('puts the lake beside the store named by the config (paths relative to the config file), so ls and export still see every bar', async () => {
    const home = join(dir, 'home')
    const cwd = join(dir, 'elsewhere')
    mkdirSync(home, { recursive: true })
    mkdirSync(cwd, { recursive: true })
    const cfg = join(home, 'kestrel.yaml')
    writeFileSync(cfg, 'storage:\n  path: store/k.duckdb\n  hotWindowDays: 1\n')
    const db = join(home, 'store', 'k.duckdb')
    const imp = await cli(['data', 'import', aapl, '--db', db, '--json'], cwd)
    assert.equal(imp.code, 0, imp.err)
    const a = await cli(['data', 'archive', '--config', cfg, '--json'], cwd)
    assert.equal(a.code, 0, a.err)
    const rep = JSON.parse(a.out)
    assert.equal(rep.lake, join(home, 'store', 'lake'))
    assert.deepEqual(
      rep.series.map((s: { moved: number }) => s.moved),
      [aaplRows - 3],
    )
    assert.equal(existsSync(join(cwd, '.kestrel')), false, 'nothing written under the working directory')
    const ls = await cli(['data', 'ls', '--db', db, '--json'], cwd)
    assert.deepEqual(
      JSON.parse(ls.out).map((s: { rows: number; hotRows: number; lakeRows: number }) => [
        s.rows,
        s.hotRows,
        s.lakeRows,
      ]),
      [[aaplRows - 3, 0, aaplRows - 3]],
    )
    const lsCfg = await cli(['data', 'ls', '--config', cfg, '--json'], cwd)
    assert.equal(lsCfg.code, 0, lsCfg.err)
    assert.deepEqual(
      JSON.parse(lsCfg.out).map((s: { rows: number }) => s.rows),
      [aaplRows - 3],
    )
    const ex = await cli(['data', 'export', 'AAPL', '--timeframe', '1d', '--out', join(cwd, 'a.csv'), '--db', db], cwd)
    assert.equal(ex.code, 0, ex.err)
    assert.match(ex.out, new RegExp(`wrote ${aaplRows - 3} 1d bars`))
  })

  it('refuses to export a series that holds no bars (exit 1), instead of writing an empty file', async () => {
    const db = join(dir, 'empty', 'k.duckdb')
    const imp = await cli(['data', 'import', aapl, '--db', db], dir)
    assert.equal(imp.code, 0, imp.err)
    const out = join(dir, 'empty', 'none.csv')
    const r = await cli(['data', 'export', 'AAPL', '--timeframe', '1m', '--out', out, '--db', db], dir)
    assert.equal(r.code, 1, r.out)
    assert.match(r.err, /DATA_NOT_FOUND.*AAPL\.CSV 1m/)
    assert.equal(existsSync(out), false)
    const range = await cli(
      ['data', 'export', 'AAPL', '--timeframe', '1d', '--from', '2030-01-01', '--out', out, '--db', db],
      dir,
    )
    assert.equal(range.code, 1, range.out)
    assert.match(range.err, /DATA_NOT_FOUND.*no bars/)
  })
})

const skipPg = await needService('postgres')

describe('kestrel data archive with backend: postgres', { skip: skipPg }, () => {
  it('moves old bars from PostgreSQL into the lake (and leaves no DuckDB file behind)', async () => {
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' })
    await admin.connect()
    try {
      const r = await admin.query(`select 1 from pg_database where datname = 'kestrel_test'`)
      if (r.rowCount === 0) await admin.query('create database kestrel_test').catch(() => undefined)
    } finally {
      await admin.end()
    }
    const url = 'postgres://postgres@127.0.0.1:5432/kestrel_test'
    const schema = `kt_cli_${process.pid}_${Date.now().toString(36)}`
    const seed = new PostgresStore({ connectionString: url, schema, timescale: 'off' })
    await seed.init()
    const home = join(dir, 'pg')
    mkdirSync(home, { recursive: true })
    try {
      await seed.upsertInstrument(makeInstrument({ symbol: 'BTC-USD', venue: 'TEST', assetClass: 'crypto' }))
      const bars = sampleSeries(
        Array.from({ length: 50 }, (_, i) => i),
        'BTC-USD.TEST',
      )
      assert.equal(await seed.writeBars(bars), 50)
      const cfg = join(home, 'kestrel.yaml')
      writeFileSync(
        cfg,
        `storage:\n  backend: postgres\n  postgresUrl: ${url}\n  postgresSchema: ${schema}\n  lakePath: cold\n`,
      )
      const cut = new Date(bars.openTime[20]!).toISOString()
      const a = await cli(['data', 'archive', '--config', cfg, '--before', cut, '--json'], home)
      assert.equal(a.code, 0, a.err)
      const rep = JSON.parse(a.out)
      assert.equal(rep.lake, join(home, 'cold'))
      assert.deepEqual(
        rep.series.map((s: { instrumentId: string; moved: number }) => [s.instrumentId, s.moved]),
        [['BTC-USD.TEST', 20]],
      )
      assert.equal((await seed.readBars('BTC-USD.TEST', '1m')).openTime.length, 30)
      assert.equal(existsSync(join(home, '.kestrel')), false)
      const ls = await cli(['data', 'ls', '--config', cfg, '--json'], home)
      assert.deepEqual(
        JSON.parse(ls.out).map((s: { rows: number; hotRows: number; lakeRows: number }) => [
          s.rows,
          s.hotRows,
          s.lakeRows,
        ]),
        [[50, 30, 20]],
      )
    } finally {
      await seed.dropSchema()
      await seed.close()
    }
  })
})
