/**
 * freqtrade's Feather files through `data import`, `data validate` and `backtest --data`: the name gives the pair
 * and timeframe (ETH_BTC-5m.feather → ETH/BTC, 5m, crypto on the 24/7 calendar), and the bars are those of the same
 * candles in freqtrade's JSON. The fixtures are written here with apache-arrow, uncompressed and LZ4-compressed.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { writeFeather, type Candle } from '../../data/sources/feather-testing.ts'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-feather-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const T0 = Date.UTC(2024, 0, 2)
const STEP = 300_000
const rows: Candle[] = Array.from({ length: 400 }, (_, i) => {
  const c = +(0.05 + 0.002 * Math.sin(i / 6)).toFixed(6)
  const o = +(0.05 + 0.002 * Math.sin((i - 1) / 6)).toFixed(6)
  return [T0 + i * STEP, o, +(Math.max(o, c) + 0.0001).toFixed(6), +(Math.min(o, c) - 0.0001).toFixed(6), c, 10 + i]
})
const path = (name: string) => {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), { recursive: true })
  return p
}
const lz4 = writeFeather(path('lz4/ETH_BTC-5m.feather'), rows, { compression: 'lz4' })
const plain = writeFeather(path('plain/ETH_BTC-5m.feather'), rows)
const json = path('json/ETH_BTC-5m.json')
writeFileSync(json, JSON.stringify(rows))

describe('Feather files: data import, data validate, backtest --data', () => {
  it('imports an LZ4-compressed ETH_BTC-5m.feather as ETH/BTC 5m on 24/7, bar for bar', async () => {
    const db = join(dir, 'k.duckdb')
    const r = await runCliCaptured(['data', 'import', lz4, '--db', db, '--json'])
    assert.equal(r.code, 0, r.err)
    const [rep] = JSON.parse(r.out)
    assert.deepEqual(
      [rep.instrumentId, rep.symbol, rep.timeframe, rep.rowsRead, rep.rowsInserted, rep.rowsQuarantined, rep.calendar],
      ['ETH/BTC.CSV', 'ETH/BTC', '5m', 400, 400, 0, '24/7'],
    )
    const out = join(dir, 'eth.csv')
    const e = await runCliCaptured(['data', 'export', 'ETH/BTC', '--timeframe', '5m', '--out', out, '--db', db])
    assert.equal(e.code, 0, e.err)
    const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1)
    assert.deepEqual(
      lines.map((l) => l.split(',').map((x, k) => (k === 0 ? Date.parse(x) : Number(x)))),
      rows.map((x) => [...x]),
    )
    // the uncompressed file holds the same bars: nothing new to store
    const again = await runCliCaptured(['data', 'import', plain, '--db', db, '--json'])
    assert.equal(again.code, 0, again.err)
    assert.deepEqual([JSON.parse(again.out)[0].rowsAccepted, JSON.parse(again.out)[0].rowsInserted], [400, 0])
  })

  it('validates it, naming the format and the time column', async () => {
    const r = await runCliCaptured(['data', 'validate', lz4])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /ETH\/BTC\.CSV 5m, Feather \(Arrow IPC\), time column date \(timestamp\), stamped at open/)
    assert.match(r.out, /rows: 400 read, 400 valid, 0 rejected/)
  })

  it('backtests it with the same fills as the same candles in JSON', async () => {
    const run = async (file: string) => {
      const r = await runCliCaptured([
        'backtest',
        '--data',
        file,
        ...['--param', 'fast=3', '--param', 'slow=12', '--size', '1', '--currency', 'BTC', '--cash', '10', '--json'],
      ])
      assert.equal(r.code, 0, r.err)
      return JSON.parse(r.out)
    }
    const [f, j] = [await run(lz4), await run(json)]
    assert.ok(f.fills.length > 10, String(f.fills.length))
    assert.deepEqual(f.fills, j.fills)
    assert.equal(f.finalEquity, j.finalEquity)
    assert.equal(f.instruments[0].id, 'ETH/BTC.SIM')
  })

  it('refuses a bad feather file with exit 1, naming it, and creates no store', async () => {
    const bad = path('bad/XRP_ETH-1m.feather')
    writeFileSync(bad, readFileSync(lz4).subarray(0, 500))
    const fresh = join(dir, 'never.duckdb')
    const r = await runCliCaptured(['data', 'import', bad, '--db', fresh])
    assert.equal(r.code, 1)
    assert.match(r.err, /DATA_BAD_FILE/)
    assert.ok(r.err.includes(`${bad}: a truncated Feather/Arrow IPC file`), r.err)
    assert.equal(existsSync(fresh), false)
    const b = await runCliCaptured(['backtest', '--data', bad])
    assert.equal(b.code, 1)
    assert.ok(b.err.includes(bad), b.err)
  })
})
