import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Rng, isKestrelError, seriesLength } from '../../core/index.ts'
import { ALPACA_KEY, ALPACA_SECRET, alpacaHandler } from '../../../test/fixtures/providers/alpaca.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { startProviderServer } from '../../../test/fixtures/providers/server.ts'
import type { ProviderServer } from '../../../test/fixtures/providers/server.ts'
import { AlpacaSource, alpacaTimeframe } from './alpaca.ts'
import type { RetryPolicy } from './http.ts'
import type { SourceChunk } from './types.ts'

const BARS = bundledBars('AAPL_1m', 250)
const FROM = BARS[0]!.t
const TO = BARS[BARS.length - 1]!.t + 60_000

function fastRetry(delays: number[] = [], extra: RetryPolicy = {}): RetryPolicy {
  const rng = new Rng(7)
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

describe('AlpacaSource against a local Alpaca server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(alpacaHandler('AAPL', BARS))
  })
  after(() => srv.close())

  const source = (retry?: RetryPolicy) =>
    new AlpacaSource({
      keyId: ALPACA_KEY,
      secretKey: ALPACA_SECRET,
      baseUrl: srv.baseUrl,
      pageLimit: 100,
      retry: retry ?? fastRetry(),
    })

  it('maps timeframes to Alpaca names', () => {
    assert.equal(alpacaTimeframe('1m'), '1Min')
    assert.equal(alpacaTimeframe('15m'), '15Min')
    assert.equal(alpacaTimeframe('1h'), '1Hour')
    assert.equal(alpacaTimeframe('1d'), '1Day')
    assert.throws(
      () => alpacaTimeframe('30s'),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })

  it('follows next_page_token through every page and returns the bundled bars exactly', async () => {
    srv.requests.length = 0
    const chunks = await drain(source().fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }))
    assert.deepEqual(
      chunks.map((c) => seriesLength(c.bars)),
      [100, 100, 50],
    )
    assert.equal(srv.requests.length, 3)
    assert.equal(srv.requests[0]!.query.has('page_token'), false)
    assert.equal(srv.requests[1]!.query.get('page_token'), Buffer.from('100').toString('base64'))
    assert.equal(srv.requests[0]!.query.get('timeframe'), '1Min')
    const opens = chunks.flatMap((c) => [...c.bars.open])
    assert.deepEqual(
      opens,
      BARS.map((b) => b.o),
    )
    const times = chunks.flatMap((c) => [...c.bars.openTime])
    assert.deepEqual(
      times,
      BARS.map((b) => b.t),
    )
    assert.equal(chunks[0]!.bars.closeTime[0], BARS[0]!.t + 60_000)
    assert.equal(chunks[0]!.bars.instrumentId, 'AAPL.ALPACA')
    const last = chunks.at(-1)!
    assert.equal(last.progress.barsFetched, 250)
    assert.equal(last.progress.fraction, 1)
    assert.equal(last.resume.nextFrom, TO)
  })

  it('resumes from a saved state and fetches only what is left', async () => {
    const all = await drain(source().fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }))
    const resume = all[0]!.resume // stopped after the first page
    assert.equal(resume.nextFrom, BARS[99]!.t + 60_000)
    srv.requests.length = 0
    const rest = await drain(source().fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }, resume))
    assert.equal(srv.requests[0]!.query.get('start'), new Date(resume.nextFrom).toISOString().replace('.000Z', 'Z'))
    const times = rest.flatMap((c) => [...c.bars.openTime])
    assert.deepEqual(
      times,
      BARS.slice(100).map((b) => b.t),
    )
    assert.equal(rest.at(-1)!.progress.barsFetched, 250)
  })

  it('waits out a 429 for its Retry-After and retries 5xx with growing, jittered delays', async () => {
    const delays: number[] = []
    srv.fail(
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    )
    const t0 = Date.now()
    const chunks = await drain(source(fastRetry(delays)).fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }))
    assert.ok(Date.now() - t0 >= 990, 'waited for Retry-After: 1')
    assert.equal(chunks.flatMap((c) => [...c.bars.openTime]).length, 250)
    assert.equal(delays[0], 1000)
    // attempt 2 → base 10 ms, attempt 3 → base 20 ms, each scaled by a jitter in [0.5, 1)
    assert.ok(delays[1]! >= 5 && delays[1]! < 10, `delay 2 was ${delays[1]}`)
    assert.ok(delays[2]! >= 10 && delays[2]! < 20, `delay 3 was ${delays[2]}`)
  })

  it('gives the same jittered delays for the same seed (deterministic tests)', async () => {
    const run = async () => {
      const delays: number[] = []
      srv.fail({ kind: 'status', status: 500 }, { kind: 'status', status: 500 })
      await drain(source(fastRetry(delays)).fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: FROM + 60_000 }))
      return delays
    }
    assert.deepEqual(await run(), await run())
  })

  it('raises PROVIDER_RATE_LIMITED naming the provider, path and attempts when 429 persists', async () => {
    srv.fail(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, retryAfter: '0' })))
    await assert.rejects(
      () =>
        drain(source(fastRetry([], { maxAttempts: 3 })).fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO })),
      (e) =>
        isKestrelError(e, 'PROVIDER_RATE_LIMITED') &&
        e.message ===
          'alpaca: GET /v2/stocks/AAPL/bars still rate limited (HTTP 429) (Retry-After 0 s) after 3 attempts' &&
        e.details.attempts === 3 &&
        e.exitCode === 3,
    )
  })

  it('fails at once when Retry-After is longer than the policy allows', async () => {
    srv.requests.length = 0
    srv.fail({ kind: 'status', status: 429, retryAfter: '3600' })
    await assert.rejects(
      () =>
        drain(
          source(fastRetry([], { maxRetryAfterMs: 5000 })).fetch({
            symbol: 'AAPL',
            timeframe: '1m',
            from: FROM,
            to: TO,
          }),
        ),
      (e) =>
        isKestrelError(e, 'PROVIDER_RATE_LIMITED') && e.details.attempts === 1 && /Retry-After 3600 s/.test(e.message),
    )
    assert.equal(srv.requests.length, 1)
  })

  it('raises PROVIDER_ERROR after repeated 5xx', async () => {
    srv.fail(...Array.from({ length: 2 }, () => ({ kind: 'status' as const, status: 500 })))
    await assert.rejects(
      () =>
        drain(source(fastRetry([], { maxAttempts: 2 })).fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO })),
      (e) =>
        isKestrelError(e, 'PROVIDER_ERROR') &&
        e.message === 'alpaca: GET /v2/stocks/AAPL/bars failed (HTTP 500) after 2 attempts',
    )
  })

  it('raises PROVIDER_TIMEOUT when the server never answers', async () => {
    srv.fail({ kind: 'hang' }, { kind: 'hang' })
    await assert.rejects(
      () =>
        drain(
          source(fastRetry([], { maxAttempts: 2, timeoutMs: 100 })).fetch({
            symbol: 'AAPL',
            timeframe: '1m',
            from: FROM,
            to: TO,
          }),
        ),
      (e) =>
        isKestrelError(e, 'PROVIDER_TIMEOUT') &&
        /timed out \(no answer within 100 ms\) after 2 attempts/.test(e.message),
    )
  })

  it('does not retry a 401 and says so', async () => {
    srv.requests.length = 0
    const bad = new AlpacaSource({ keyId: 'wrong', secretKey: 'x', baseUrl: srv.baseUrl, retry: fastRetry() })
    await assert.rejects(
      () => drain(bad.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO })),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && e.details.status === 401 && /HTTP 401/.test(e.message),
    )
    assert.equal(srv.requests.length, 1)
  })

  it('raises PROVIDER_ERROR when nothing listens', async () => {
    const dead = new AlpacaSource({
      keyId: 'k',
      secretKey: 's',
      baseUrl: 'http://127.0.0.1:1',
      retry: fastRetry([], { maxAttempts: 2 }),
    })
    await assert.rejects(
      () => drain(dead.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO })),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && /network error/.test(e.message) && e.details.attempts === 2,
    )
  })
})
