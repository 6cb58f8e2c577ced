import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MS, Rng, isKestrelError } from '../../core/index.ts'
import { binanceHandler } from '../../../test/fixtures/providers/binance.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { startProviderServer } from '../../../test/fixtures/providers/server.ts'
import type { ProviderServer } from '../../../test/fixtures/providers/server.ts'
import { CcxtSource, rewriteApiUrls } from './ccxt.ts'
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts'
import type { RetryPolicy } from './http.ts'
import type { SourceChunk } from './types.ts'

const BARS = bundledBars('BTC-USD_1m', 250)
const FROM = BARS[0]!.t
const TO = BARS.at(-1)!.t + MS.minute
const REQ = { symbol: 'BTC/USDT', timeframe: '1m', from: FROM, to: TO }

function retry(delays: number[] = [], extra: RetryPolicy = {}): RetryPolicy {
  const rng = new Rng(3)
  return {
    baseDelayMs: 5,
    maxDelayMs: 40,
    timeoutMs: 5000,
    random: () => rng.uniform(),
    sleep: async (ms) => {
      delays.push(ms)
      await new Promise((r) => setTimeout(r, ms))
    },
    ...extra,
  }
}

async function drain(it: AsyncIterable<SourceChunk>): Promise<SourceChunk[]> {
  const out: SourceChunk[] = []
  for await (const c of it) out.push(c)
  return out
}

function allStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  return v && typeof v === 'object' ? Object.values(v).flatMap(allStrings) : []
}

describe('CcxtSource (ccxt binance) against a local Binance server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(binanceHandler('BTC', 'USDT', BARS))
  })
  after(() => srv.close())

  const source = (r: RetryPolicy = retry(), rateLimitMs = 1) =>
    new CcxtSource({
      exchange: 'binance',
      baseUrl: srv.baseUrl,
      exchangeOptions: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
      pageLimit: 100,
      rateLimitMs,
      retry: r,
    })

  it('points every API URL of the exchange at the local server', () => {
    const urls = allStrings(source().exchange.urls.api)
    assert.ok(urls.length > 10)
    for (const u of urls) assert.ok(u.startsWith(`${srv.baseUrl}/`), u)
    assert.deepEqual(rewriteApiUrls({ a: 'https://api.x.com/api/v3', b: ['https://y.com'] }, 'http://127.0.0.1:9/'), {
      a: 'http://127.0.0.1:9/api/v3',
      b: { 0: 'http://127.0.0.1:9' },
    })
  })

  it('pages fetchOHLCV with since + limit and returns the bundled BTC bars exactly', async () => {
    srv.requests.length = 0
    const chunks = await drain(source().fetch(REQ))
    const klines = srv.requests.filter((r) => r.path === '/api/v3/klines')
    assert.equal(srv.requests[0]!.path, '/api/v3/exchangeInfo')
    assert.deepEqual(
      klines.map((r) => Number(r.query.get('startTime'))),
      [FROM, BARS[100]!.t, BARS[200]!.t],
    )
    assert.ok(klines.every((r) => r.query.get('limit') === '100' && r.query.get('symbol') === 'BTCUSDT'))
    assert.equal(Number(klines[0]!.query.get('endTime')), TO - 1)
    assert.deepEqual(
      chunks.flatMap((c) => [...c.bars.openTime]),
      BARS.map((b) => b.t),
    )
    assert.deepEqual(
      chunks.flatMap((c) => [...c.bars.volume]),
      BARS.map((b) => b.v),
    )
    assert.equal(chunks[0]!.bars.instrumentId, 'BTC-USDT.BINANCE')
    assert.equal(chunks.at(-1)!.progress.fraction, 1)
  })

  it("spaces requests by the exchange's rate limiter (enableRateLimit, cost × rateLimit)", async () => {
    srv.requests.length = 0
    const src = source(retry(), 100)
    const ex = src.exchange as unknown as { throttle: (cost?: number) => Promise<unknown> }
    const costs: number[] = []
    const throttle = ex.throttle.bind(ex)
    ex.throttle = (cost?: number) => {
      costs.push(cost ?? 1)
      return throttle(cost)
    }
    await drain(src.fetch(REQ))
    const at = srv.requests.map((r) => r.at)
    assert.equal(at.length, 4) // exchangeInfo + 3 pages
    assert.equal(costs.length, 4)
    // leaky bucket: the last request cannot start before the cost of the earlier ones has drained
    const owed = costs.slice(0, -1).reduce((a, c) => a + c, 0) * 100
    assert.ok(at.at(-1)! - at[0]! >= 0.9 * owed, `span ${at.at(-1)! - at[0]!} ms, owed ${owed} ms`)
  })

  it('resumes from a checkpoint after an interruption: no bar twice, none missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-ccxt-'))
    try {
      const cp = join(dir, 'btc.checkpoint.json')
      const got: number[] = []
      for await (const c of source().fetch(REQ)) {
        got.push(...c.bars.openTime)
        saveCheckpoint(cp, c.resume)
        break // interrupted after the first page
      }
      const state = loadCheckpoint(cp)
      assert.ok(state)
      assert.equal(state.nextFrom, BARS[99]!.t + MS.minute)
      assert.equal(state.barsFetched, 100)
      srv.requests.length = 0
      for await (const c of source().fetch(REQ, state)) {
        got.push(...c.bars.openTime)
        saveCheckpoint(cp, c.resume)
      }
      const first = srv.requests.find((r) => r.path === '/api/v3/klines')!
      assert.equal(Number(first.query.get('startTime')), state.nextFrom)
      assert.deepEqual(
        got,
        BARS.map((b) => b.t),
      )
      assert.equal(loadCheckpoint(cp)!.barsFetched, 250)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('waits out 429 Retry-After and retries 503, then completes', async () => {
    const delays: number[] = []
    srv.fail({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 503 })
    const t0 = Date.now()
    const chunks = await drain(source(retry(delays)).fetch(REQ))
    assert.ok(Date.now() - t0 >= 990)
    assert.equal(delays[0], 1000)
    assert.ok(delays[1]! >= 5 && delays[1]! < 10, `backoff ${delays[1]}`)
    assert.equal(chunks.flatMap((c) => [...c.bars.openTime]).length, 250)
  })

  it('raises PROVIDER_RATE_LIMITED with the klines path and attempts when 429 persists', async () => {
    srv.fail(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, retryAfter: '0' })))
    await assert.rejects(
      () => drain(source(retry([], { maxAttempts: 3 })).fetch(REQ)),
      (e) =>
        isKestrelError(e, 'PROVIDER_RATE_LIMITED') &&
        e.details.provider === 'ccxt:binance' &&
        e.details.attempts === 3 &&
        /^ccxt:binance: GET \/api\/v3\/(exchangeInfo|klines) still rate limited/.test(e.message),
    )
    srv.clearFaults()
  })

  it('raises PROVIDER_TIMEOUT when the exchange hangs', async () => {
    const src = source(retry([], { maxAttempts: 2, timeoutMs: 150 }))
    await src.exchange.loadMarkets()
    srv.fail({ kind: 'hang' }, { kind: 'hang' })
    await assert.rejects(
      () => drain(src.fetch(REQ)),
      (e) => isKestrelError(e, 'PROVIDER_TIMEOUT') && e.details.path === '/api/v3/klines' && e.details.attempts === 2,
    )
  })

  it('raises PROVIDER_ERROR at once for a symbol the exchange does not list', async () => {
    srv.requests.length = 0
    await assert.rejects(
      () => drain(source().fetch({ ...REQ, symbol: 'ETH/USDT' })),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && /does not have market symbol ETH\/USDT/.test(e.message),
    )
    assert.equal(srv.requests.filter((r) => r.path === '/api/v3/klines').length, 0)
  })

  it('stops at the end of the range when the exchange ignores until and sends later bars', async () => {
    const loose = await startProviderServer(binanceHandler('BTC', 'USDT', BARS, true))
    try {
      const src = new CcxtSource({
        exchange: 'binance',
        baseUrl: loose.baseUrl,
        exchangeOptions: { fetchMarkets: { types: ['spot'] } },
        pageLimit: 100,
        rateLimitMs: 1,
        retry: retry(),
      })
      const to = BARS[149]!.t + MS.minute
      const chunks = await drain(src.fetch({ ...REQ, to }))
      assert.deepEqual(
        chunks.flatMap((c) => [...c.bars.openTime]),
        BARS.slice(0, 150).map((b) => b.t),
      )
      assert.equal(loose.requests.filter((r) => r.path === '/api/v3/klines').length, 2)
    } finally {
      await loose.close()
    }
  })

  it('rejects an unknown exchange id and a timeframe the exchange lacks', () => {
    assert.throws(
      () => new CcxtSource({ exchange: 'nope' }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    return assert.rejects(
      () => drain(source().fetch({ ...REQ, timeframe: '7m' })),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /timeframe 7m is not offered/.test(e.message),
    )
  })
})
