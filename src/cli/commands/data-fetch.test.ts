import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MS, isoUtc, seriesLength } from '../../core/index.ts'
import { DuckDbStore } from '../../data/index.ts'
import { ALPACA_KEY, ALPACA_SECRET, alpacaHandler } from '../../../test/fixtures/providers/alpaca.ts'
import { binanceHandler } from '../../../test/fixtures/providers/binance.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { startProviderServer } from '../../../test/fixtures/providers/server.ts'
import type { ProviderServer } from '../../../test/fixtures/providers/server.ts'
import { runCliCaptured } from '../testing.ts'

/** Runs the CLI in this process, capturing what it writes (a spawned tsx process takes seconds to start). */
async function kestrel(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCliCaptured(args, { env: { ...process.env, CI: '1', ...env } })
  return { code: r.code, stdout: r.out, stderr: r.err }
}

const AAPL = bundledBars('AAPL_1m', 300)
const BTC = bundledBars('BTC-USD_1m', 120)

describe('kestrel data fetch', () => {
  let dir: string
  let alpaca: ProviderServer
  let binance: ProviderServer
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-cli-fetch-'))
    alpaca = await startProviderServer(alpacaHandler('AAPL', AAPL))
    binance = await startProviderServer(binanceHandler('BTC', 'USDT', BTC))
  })
  after(async () => {
    await Promise.all([alpaca.close(), binance.close()])
    rmSync(dir, { recursive: true, force: true })
  })

  it('downloads Alpaca bars into a DuckDB file and never prints the secret', async () => {
    const db = join(dir, 'a.duckdb')
    const r = await kestrel(
      [
        'data',
        'fetch',
        '--provider',
        'alpaca',
        '--symbol',
        'AAPL',
        '--from',
        isoUtc(AAPL[0]!.t),
        '--to',
        isoUtc(AAPL.at(-1)!.t + MS.minute),
      ].concat(['--base-url', alpaca.baseUrl, '--db', db, '--instrument', 'AAPL.NASDAQ', '--json']),
      { APCA_API_KEY_ID: ALPACA_KEY, APCA_API_SECRET_KEY: ALPACA_SECRET },
    )
    assert.equal(r.code, 0, r.stderr)
    assert.ok(!r.stdout.includes(ALPACA_SECRET) && !r.stderr.includes(ALPACA_SECRET))
    const rep = JSON.parse(r.stdout)
    assert.equal(rep.instrumentId, 'AAPL.NASDAQ')
    assert.equal(rep.rowsRead, AAPL.length)
    assert.equal(rep.rowsInserted + rep.rowsQuarantined, AAPL.length)
    const store = new DuckDbStore(db)
    await store.init()
    try {
      assert.equal(seriesLength(await store.readBars('AAPL.NASDAQ', '1m')), rep.rowsInserted)
      assert.equal((await store.ingestions()).length, 1)
    } finally {
      await store.close()
    }
  })

  it('downloads ccxt binance klines to CSV', async () => {
    const out = join(dir, 'btc.csv')
    const r = await kestrel(
      [
        'data',
        'fetch',
        '--provider',
        'ccxt',
        '--exchange',
        'binance',
        '--market-types',
        'spot',
        '--symbol',
        'BTC/USDT',
      ].concat([
        '--from',
        isoUtc(BTC[0]!.t),
        '--to',
        isoUtc(BTC.at(-1)!.t + MS.minute),
        '--base-url',
        binance.baseUrl,
        '--out',
        out,
      ]),
    )
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /ccxt:binance\s+BTC-USDT\.BINANCE\s+1m/)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    assert.equal(lines[0], 'timestamp,open,high,low,close,volume')
    assert.equal(lines[1], `${isoUtc(BTC[0]!.t)},${BTC[0]!.o},${BTC[0]!.h},${BTC[0]!.l},${BTC[0]!.c},${BTC[0]!.v}`)
  })

  it('resumes an interrupted ccxt download with --resume: every bar stored once', async () => {
    const all = bundledBars('BTC-USD_1m')
    const handler = binanceHandler('BTC', 'USDT', all)
    let klines = 0
    // the second klines page fails once: with --retries 1 the first run stops there
    const flaky = await startProviderServer((req) =>
      req.path === '/api/v3/klines' && ++klines === 2 ? { status: 503, json: {} } : handler(req),
    )
    const db = join(dir, 'btc.duckdb')
    const args = [
      'data',
      'fetch',
      '--provider',
      'ccxt',
      '--market-types',
      'spot',
      '--symbol',
      'BTC/USDT',
      '--page-limit',
      '1000',
    ].concat([
      '--from',
      isoUtc(all[0]!.t),
      '--to',
      isoUtc(all.at(-1)!.t + MS.minute),
      '--base-url',
      flaky.baseUrl,
      '--db',
      db,
      '--retries',
      '1',
      '--json',
    ])
    try {
      const first = await kestrel(args)
      assert.equal(first.code, 3)
      assert.match(
        first.stderr,
        /run again with --resume to continue \(checkpoint .*checkpoints\/ccxt_binance-BTC_USDT-1m\.json\)/,
      )
      const second = await kestrel([...args, '--resume'])
      assert.equal(second.code, 0, second.stderr)
      const rep = JSON.parse(second.stdout)
      assert.equal(rep.resumedFrom, all[999]!.t + MS.minute)
      const store = new DuckDbStore(db)
      await store.init()
      try {
        const bars = await store.readBars('BTC-USDT.BINANCE', '1m')
        const q = await store.quarantine({ instrumentId: 'BTC-USDT.BINANCE' })
        assert.equal(seriesLength(bars) + q.length, all.length)
        assert.equal(new Set(bars.openTime).size, seriesLength(bars))
      } finally {
        await store.close()
      }
    } finally {
      await flaky.close()
    }
  })

  it('exits 3 with a one-line PROVIDER_ERROR (no stack) when the provider is down, and says how to resume', async () => {
    const r = await kestrel(
      ['data', 'fetch', '--provider', 'yahoo', '--symbol', 'SPY', '--from', '2014-06-05', '--to', '2014-06-06'].concat([
        '--base-url',
        'http://127.0.0.1:1',
        '--db',
        join(dir, 'y.duckdb'),
        '--retries',
        '2',
        '--timeout',
        '500',
      ]),
    )
    assert.equal(r.code, 3)
    assert.match(
      r.stderr,
      /error \[PROVIDER_ERROR\]: yahoo: GET \/v8\/finance\/chart\/SPY failed \(network error: .*\) after 2 attempts/,
    )
    assert.match(r.stderr, /nothing was stored, so .*y\.duckdb \(created for this download\) was removed; run again/)
    assert.equal(existsSync(join(dir, 'y.duckdb')), false)
    assert.doesNotMatch(r.stderr, /\n\s+at /)
  })

  it('exits 2 on a bad provider and 1 without Alpaca keys', async () => {
    const bad = await kestrel([
      'data',
      'fetch',
      '--provider',
      'nope',
      '--symbol',
      'X',
      '--from',
      '2024-01-01',
      '--out',
      join(dir, 'x.csv'),
    ])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /--provider "nope": expected one of ccxt, alpaca, yahoo/)
    const nokey = await kestrel(
      [
        'data',
        'fetch',
        '--provider',
        'alpaca',
        '--symbol',
        'AAPL',
        '--from',
        '2024-01-01',
        '--out',
        join(dir, 'x.csv'),
      ],
      {
        APCA_API_KEY_ID: '',
        APCA_API_SECRET_KEY: '',
      },
    )
    assert.equal(nokey.code, 1)
    assert.match(nokey.stderr, /CONFIG_INVALID.*APCA_API_KEY_ID/)
  })
})
