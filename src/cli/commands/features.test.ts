import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { after, describe, it } from 'node:test'
import { DuckDbStore, readCsvFile } from '../../data/index.ts'
import { main } from '../main.ts'

describe('kestrel features build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-features-cli-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const spec = join(dir, 'spec.yaml')
  writeFileSync(
    spec,
    'name: t\nfeatures:\n  ret: logret(close, 1)\n  vol: ewmavol(ret)\n  c: candle()\noutput: [ret, vol, c.gap]\n',
  )

  it('writes timestamp then one column per feature, empty inside the warm-up, full precision after', async () => {
    const out = join(dir, 'out.csv')
    const code = await main(['features', 'build', spec, '--data', 'data/bundled/SPY_1d.csv', '--out', out, '--json'])
    assert.equal(code, 0)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    assert.equal(lines[0], 'timestamp,ret,vol,c.gap')
    assert.equal(lines[1], '1998-01-02T00:00:00Z,,,')
    // SPY_1d: 97.36 then 97.75 (open 97.84)
    assert.equal(
      lines[2],
      `1998-01-05T00:00:00Z,${Math.log(97.75 / 97.36)},${Math.abs(Math.log(97.75 / 97.36))},${Math.log(97.84 / 97.36)}`,
    )
    assert.equal(lines.length, 5850)
  })
  it('reads a stored symbol from a DuckDB store and writes the same CSV as from the file', async () => {
    const db = join(dir, 'k.duckdb')
    const store = new DuckDbStore(db)
    await store.init()
    const parsed = await readCsvFile('data/bundled/SPY_1d.csv', { timeframe: '1d' })
    await store.writeBars({ ...parsed.series, instrumentId: 'SPY', timeframe: '1d' })
    await store.close()
    const a = join(dir, 'a.csv')
    const b = join(dir, 'b.csv')
    assert.equal(await main(['features', 'build', spec, '--data', 'data/bundled/SPY_1d.csv', '--out', a]), 0)
    assert.equal(
      await main(['features', 'build', spec, '--db', db, '--instrument', 'SPY', '--timeframe', '1d', '--out', b]),
      0,
    )
    assert.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'))
    const c = join(dir, 'c.csv')
    const args = ['--db', db, '--instrument', 'SPY', '--timeframe', '1d', '--from', '1998-01-05', '--to', '1998-01-07']
    assert.equal(await main(['features', 'build', spec, ...args, '--out', c]), 0)
    assert.deepEqual(
      readFileSync(c, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.slice(0, 10)),
      ['timestamp,', '1998-01-05', '1998-01-06', '1998-01-07'],
    )
    assert.equal(await main(['features', 'build', spec, '--db', db, '--instrument', 'QQQ', '--timeframe', '1d']), 1)
  })
  it('reads Parquet and gzip CSV bars as backtest --data does: the same features, bit for bit, as from the CSV', async () => {
    const db = join(dir, 'pq.duckdb')
    assert.equal(await main(['data', 'import', 'data/bundled/SPY_1d.csv', '--db', db]), 0)
    const pq = join(dir, 'SPY_1d.parquet')
    assert.equal(await main(['data', 'export', 'SPY', '--timeframe', '1d', '--out', pq, '--db', db]), 0)
    const gz = join(dir, 'SPY_1d.csv.gz')
    writeFileSync(gz, gzipSync(readFileSync('data/bundled/SPY_1d.csv')))
    const outs = []
    for (const [k, data] of ['data/bundled/SPY_1d.csv', pq, gz].entries()) {
      const out = join(dir, `from-${k}.parquet`)
      assert.equal(await main(['features', 'build', spec, '--data', data, '--out', out]), 0)
      outs.push(readFileSync(out))
    }
    assert.ok(outs[0]!.length > 1000)
    assert.ok(outs[1]!.equals(outs[0]!), 'Parquet input')
    assert.ok(outs[2]!.equals(outs[0]!), 'gzip CSV input')
  })
  it('exits 1 with SPEC_INVALID for an unknown feature', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'name: t\nfeatures:\n  x: nosuch(3)\n')
    assert.equal(await main(['features', 'build', bad, '--data', 'data/bundled/SPY_1d.csv']), 1)
  })
  it('exits 2 without data', async () => {
    assert.equal(await main(['features', 'build', spec]), 2)
  })
})
