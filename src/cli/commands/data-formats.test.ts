import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-formats-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const T0 = Date.UTC(2024, 0, 2, 0, 0)
const FIVE_MIN = 300_000

/** freqtrade's candle layout: rows [ms, open, high, low, close, volume], a wave so a moving-average cross trades. */
function candles(n: number, stepMs = FIVE_MIN): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const c = +(0.05 + 0.002 * Math.sin(i / 6)).toFixed(6)
    const o = +(0.05 + 0.002 * Math.sin((i - 1) / 6)).toFixed(6)
    return [T0 + i * stepMs, o, +(Math.max(o, c) + 0.0001).toFixed(6), +(Math.min(o, c) - 0.0001).toFixed(6), c, 10 + i]
  })
}

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, content)
  return p
}

const cli = (argv: string[]) => runCliCaptured(argv)

describe('kestrel data import / validate / backtest --data: files users bring', () => {
  const rows = candles(300)
  const json = write('binance/ETH_BTC-5m.json', JSON.stringify(rows))
  const db = join(dir, 'k.duckdb')

  it('imports freqtrade JSON as ETH/BTC 5m on the 24/7 calendar, bar for bar', async () => {
    const r = await cli(['data', 'import', json, '--db', db, '--json'])
    assert.equal(r.code, 0, r.err)
    const [rep] = JSON.parse(r.out)
    assert.deepEqual(
      [rep.instrumentId, rep.symbol, rep.timeframe, rep.rowsRead, rep.rowsInserted, rep.rowsQuarantined, rep.calendar],
      ['ETH/BTC.CSV', 'ETH/BTC', '5m', 300, 300, 0, '24/7'],
    )
    const out = join(dir, 'eth.csv')
    const e = await cli(['data', 'export', 'ETH/BTC', '--timeframe', '5m', '--out', out, '--db', db])
    assert.equal(e.code, 0, e.err)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    assert.equal(lines.length, 301)
    const [t, ...v] = rows[7]!
    const [ts, ...vals] = lines[8]!.split(',')
    assert.equal(ts, new Date(t!).toISOString().replace('.000Z', 'Z'))
    assert.deepEqual(vals.map(Number), v)
  })

  it('reads the same candles gzipped (.json.gz) as the same bars: nothing new to store', async () => {
    const gz = write('ETH_BTC-5m.json.gz', gzipSync(JSON.stringify(rows)))
    const r = await cli(['data', 'import', gz, '--db', db, '--json'])
    assert.equal(r.code, 0, r.err)
    const [rep] = JSON.parse(r.out)
    assert.deepEqual([rep.instrumentId, rep.rowsRead, rep.rowsAccepted, rep.rowsInserted], ['ETH/BTC.CSV', 300, 300, 0])
  })

  it('quarantines JSON rows that are not six numbers, with reason and raw row, and keeps the rest', async () => {
    const bad: unknown[] = candles(50)
    bad[10] = [T0 + 10 * FIVE_MIN, null, 1, 1, 1, 1]
    bad[20] = [T0 + 20 * FIVE_MIN, 1, 1, 1, '1.0', 1]
    bad[30] = [T0 + 30 * FIVE_MIN, 1, 1]
    bad[40] = { date: 1 }
    const f = write('XRP_ETH-5m.json', JSON.stringify(bad))
    const r = await cli(['data', 'validate', f, '--json'])
    assert.equal(r.code, 1)
    const v = JSON.parse(r.out)
    assert.equal(v.rowsRead, 50)
    assert.equal(v.rowsValid, 46)
    assert.deepEqual(
      v.quarantine.map((q: { line: number; reason: string; field?: string; raw: string }) => [
        q.line,
        q.reason,
        q.field,
        q.raw,
      ]),
      [
        [11, 'NULL_VALUE', 'open', JSON.stringify(bad[10])],
        [21, 'NOT_A_NUMBER', 'close', JSON.stringify(bad[20])],
        [31, 'BAD_ROW', undefined, JSON.stringify(bad[30])],
        [41, 'BAD_ROW', undefined, JSON.stringify(bad[40])],
      ],
    )
  })

  it('refuses JSON that is not an array of rows, and JSON that is not JSON, quoting little of it', async () => {
    const obj = write('BTC_USDT-1h.json', JSON.stringify({ data: candles(2000) }))
    const a = await cli(['data', 'import', obj, '--db', join(dir, 'never.duckdb')])
    assert.equal(a.code, 1)
    assert.match(a.err, /expected a JSON array of \[time ms, open, high, low, close, volume\] rows .*got an object/)
    const broken = write('BTC_USDT-4h.json', JSON.stringify(candles(2000)).slice(0, -3))
    const b = await cli(['data', 'validate', broken])
    assert.equal(b.code, 1)
    assert.match(b.err, /not JSON/)
    assert.ok(b.err.length < 600, b.err)
    assert.equal(existsSync(join(dir, 'never.duckdb')), false)
  })

  it('never prints a whole file as a CSV header: JSON named .csv fails with a short message and a hint', async () => {
    const f = write('ETH_BTC_5m.csv', JSON.stringify(candles(3000)))
    const r = await cli(['data', 'validate', f])
    assert.equal(r.code, 1)
    assert.match(r.err, /characters\) has no column for timestamp/)
    assert.match(r.err, /looks like JSON/)
    assert.ok(r.err.length < 800, `${r.err.length} characters of error`)
  })

  it('reads .csv.gz like the CSV inside, raw text of a quarantined row included', async () => {
    const lines = ['timestamp,open,high,low,close,volume']
    for (let i = 0; i < 200; i++) {
      const t = new Date(Date.UTC(2024, 0, 2, 14, 30 + i)).toISOString()
      lines.push(i === 150 ? `${t},10,9,11,10,5` : `${t},10,11,9,10.5,${100 + i}`)
    }
    const f = write('SPY_1m.csv.gz', gzipSync(`${lines.join('\n')}\n`))
    const r = await cli(['data', 'validate', f, '--json'])
    const v = JSON.parse(r.out)
    assert.equal(v.instrument.id, 'SPY.CSV')
    assert.equal(v.rowsRead, 200)
    assert.equal(v.rowsValid, 199)
    assert.deepEqual(
      v.quarantine.map((q: { line: number; raw: string }) => [q.line, q.raw]),
      [[152, lines[151]]],
    )
  })

  it('takes ORCL from a backtrader/Yahoo name (orcl-1995-2014.txt), daily from the spacing', async () => {
    const lines = ['Date,Open,High,Low,Close,Adj Close,Volume']
    for (let i = 0; i < 30; i++) {
      const d = new Date(Date.UTC(1995, 0, 3 + i)).toISOString().slice(0, 10)
      lines.push(`${d},${10 + i},${11 + i},${9 + i},${10.5 + i},${10 + i},${1000 + i}`)
    }
    const f = write('datas/orcl-1995-2014.txt', `${lines.join('\n')}\n`)
    const r = await cli(['data', 'import', f, '--db', db, '--json'])
    assert.equal(r.code, 0, r.err)
    const [rep] = JSON.parse(r.out)
    assert.deepEqual([rep.instrumentId, rep.timeframe, rep.rowsRead], ['ORCL.CSV', '1d', 30])
  })

  it('reads a futures name as the perpetual ETH/USDT:USDT, and refuses mark, funding and trades files', async () => {
    const fut = write('futures/ETH_USDT_USDT-1h-futures.json', JSON.stringify(candles(48, 3_600_000)))
    const r = await cli(['data', 'import', fut, '--db', db, '--json'])
    assert.equal(r.code, 0, r.err)
    assert.equal(JSON.parse(r.out)[0].instrumentId, 'ETH/USDT:USDT.CSV')
    const funding = write('futures/ETH_USDT_USDT-8h-funding_rate.json', JSON.stringify(candles(9, 8 * 3_600_000)))
    const f = await cli(['data', 'import', funding, '--db', db])
    assert.equal(f.code, 2)
    assert.match(f.err, /funding rates of ETH\/USDT:USDT, not its traded prices; pass --symbol/)
    const named = await cli(['data', 'import', funding, '--db', db, '--symbol', 'ETH-FUNDING', '--json'])
    assert.equal(named.code, 0, named.err)
    assert.equal(JSON.parse(named.out)[0].instrumentId, 'ETH-FUNDING.CSV')
    const trades = write('ETH_BTC-trades.json', '[]')
    const t = await cli(['data', 'import', trades, '--db', db])
    assert.equal(t.code, 2)
    assert.match(t.err, /trades file/)
  })

  it('backtests freqtrade JSON directly: ETH/BTC, 5m, every bar seen', async () => {
    const r = await cli([
      'backtest',
      '--data',
      json,
      '--strategy',
      'sma-cross',
      '--param',
      'fast=3',
      '--param',
      'slow=12',
      '--size',
      '1',
      '--currency',
      'BTC',
      '--cash',
      '10',
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    const out = JSON.parse(r.out)
    assert.deepEqual(
      out.instruments.map((i: { id: string }) => i.id),
      ['ETH/BTC.SIM'],
    )
    assert.equal(out.periodsPerYear, 365 * 288) // 5m bars around the clock
    assert.ok(out.fills.length > 0)
    for (const f of out.fills as { time: string; price: number }[]) {
      const bar = rows.find((row) => row[0] === Date.parse(f.time))
      assert.equal(f.price, bar?.[1], `fill at ${f.time} is at that bar's open`)
    }
  })
})
