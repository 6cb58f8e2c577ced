import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MS, Rng, isKestrelError, seriesLength } from '../../core/index.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { startProviderServer } from '../../../test/fixtures/providers/server.ts'
import type { ProviderServer } from '../../../test/fixtures/providers/server.ts'
import { yahooHandler } from '../../../test/fixtures/providers/yahoo.ts'
import type { RetryPolicy } from './http.ts'
import type { SourceChunk } from './types.ts'
import { YahooSource, yahooInterval } from './yahoo.ts'

// AAPL 1-minute bars from the bundled file span 5 days: enough for several request windows.
const BARS = bundledBars('AAPL_1m')
const FROM = BARS[0]!.t
const TO = BARS.at(-1)!.t + MS.minute
const NULL_AT = BARS[10]!.t

function retry(delays: number[] = [], extra: RetryPolicy = {}): RetryPolicy {
  const rng = new Rng(11)
  return {
    baseDelayMs: 5,
    maxDelayMs: 40,
    timeoutMs: 5000,
    random: () => rng.uniform(),
    sleep: async (ms) => void delays.push(ms),
    ...extra,
  }
}

async function drain(it: AsyncIterable<SourceChunk>): Promise<SourceChunk[]> {
  const out: SourceChunk[] = []
  for await (const c of it) out.push(c)
  return out
}

describe('YahooSource (yahoo-finance2 chart) against a local Yahoo server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(yahooHandler('AAPL', BARS, new Set([NULL_AT])))
  })
  after(() => srv.close())

  it('maps timeframes to Yahoo intervals', () => {
    assert.equal(yahooInterval('1m'), '1m')
    assert.equal(yahooInterval('1w'), '1wk')
    assert.throws(
      () => yahooInterval('3m'),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })

  it('walks the range in windows and returns every bundled bar, the null one kept aside with its reason', async () => {
    srv.requests.length = 0
    const src = new YahooSource({ baseUrl: srv.baseUrl, windowMs: MS.day, retry: retry() })
    const chunks = await drain(src.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }))
    const days = Math.ceil((TO - FROM) / MS.day)
    assert.equal(chunks.length, days)
    assert.equal(srv.requests.length, days)
    assert.equal(srv.requests[0]!.path, '/v8/finance/chart/AAPL')
    assert.equal(srv.requests[0]!.query.get('interval'), '1m')
    assert.equal(Number(srv.requests[0]!.query.get('period1')), FROM / 1000)
    const times = chunks.flatMap((c) => [...c.bars.openTime])
    assert.deepEqual(
      times,
      BARS.filter((b) => b.t !== NULL_AT).map((b) => b.t),
    )
    assert.deepEqual(
      chunks.flatMap((c) => [...c.bars.close]),
      BARS.filter((b) => b.t !== NULL_AT).map((b) => b.c),
    )
    const rejected = chunks.flatMap((c) => c.rejected)
    assert.equal(rejected.length, 1)
    assert.equal(rejected[0]!.timestamp, NULL_AT)
    assert.equal(rejected[0]!.reason, 'PROVIDER_NULL_VALUE')
    assert.equal(rejected[0]!.field, 'open')
    assert.equal(chunks.at(-1)!.progress.fraction, 1)
    assert.equal(chunks.at(-1)!.progress.barsFetched, BARS.length - 1)
  })

  it('resumes after the last delivered bar', async () => {
    const src = new YahooSource({ baseUrl: srv.baseUrl, windowMs: MS.day, retry: retry() })
    const first = await drain(src.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }))
    const resume = first[1]!.resume
    const rest = await drain(src.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }, resume))
    const got = rest.flatMap((c) => [...c.bars.openTime])
    assert.deepEqual(
      got,
      BARS.filter((b) => b.t >= resume.nextFrom && b.t !== NULL_AT).map((b) => b.t),
    )
    assert.ok(got.length > 0 && got.length < BARS.length - 1)
  })

  it('retries 429 and 503 and then succeeds', async () => {
    const delays: number[] = []
    srv.fail({ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'status', status: 503 })
    const src = new YahooSource({ baseUrl: srv.baseUrl, retry: retry(delays) })
    const chunks = await drain(src.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO }))
    assert.equal(delays.length, 2)
    assert.equal(
      chunks.reduce((n, c) => n + seriesLength(c.bars), 0),
      BARS.length - 1,
    )
  })

  it('raises PROVIDER_TIMEOUT through yahoo-finance2 when the server hangs', async () => {
    srv.fail({ kind: 'hang' }, { kind: 'hang' })
    const src = new YahooSource({ baseUrl: srv.baseUrl, retry: retry([], { maxAttempts: 2, timeoutMs: 100 }) })
    await assert.rejects(
      () => drain(src.fetch({ symbol: 'AAPL', timeframe: '1m', from: FROM, to: TO })),
      (e) =>
        isKestrelError(e, 'PROVIDER_TIMEOUT') &&
        e.details.path === '/v8/finance/chart/AAPL' &&
        e.details.attempts === 2,
    )
  })

  it('raises PROVIDER_ERROR for an unknown symbol without retrying', async () => {
    srv.requests.length = 0
    const src = new YahooSource({ baseUrl: srv.baseUrl, retry: retry() })
    await assert.rejects(
      () => drain(src.fetch({ symbol: 'NOPE', timeframe: '1d', from: FROM, to: TO })),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && e.details.status === 404,
    )
    assert.equal(srv.requests.length, 1)
  })
})
