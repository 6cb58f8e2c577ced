import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isKestrelError } from '../../../core/index.ts'
import { fastRetry } from '../../../../test/fixtures/providers/retry.ts'
import { startProviderServer, type ProviderServer } from '../../../../test/fixtures/providers/server.ts'
import { YAHOO_COOKIE, YAHOO_CRUMB, yahooSummaryHandler } from '../../../../test/fixtures/providers/yahoo-summary.ts'
import { YahooFundamentals, keyFundamentals } from './index.ts'

describe('Yahoo quoteSummary against a local Yahoo server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(yahooSummaryHandler())
  })
  after(() => srv.close())
  const client = (extra = {}) =>
    new YahooFundamentals({ baseUrl: srv.baseUrl, cookieUrl: `${srv.baseUrl}/`, retry: fastRetry(), ...extra })

  it('gets a cookie and a crumb once, then reads the modules with {raw, fmt} reduced to raw', async () => {
    srv.requests.length = 0
    const y = client()
    const f = await y.fundamentals('AAPL')
    assert.deepEqual(
      srv.requests.map((r) => r.path),
      ['/', '/v1/test/getcrumb', '/v10/finance/quoteSummary/AAPL'],
    )
    assert.equal(srv.requests[2]!.query.get('modules'), 'price,summaryDetail,defaultKeyStatistics,financialData')
    assert.equal(f.modules.price!.marketCap, 2_900_000_000_000)
    assert.equal(f.modules.price!.shortName, 'Apple Inc.')
    assert.equal(f.modules.summaryDetail!.dividendYield, null)
    assert.equal(f.modules.summaryDetail!.tradeable, false)
    assert.equal(f.modules.financialData, undefined)
    assert.deepEqual(keyFundamentals(f), {
      marketCap: 2_900_000_000_000,
      trailingPE: 29.5,
      forwardPE: 27.1,
      beta: 1.26,
      sharesOutstanding: 15_400_000_000,
      floatShares: 15_300_000_000,
      shortPercentOfFloat: 0.0072,
      averageVolume: 58_000_000,
    })
    await y.fundamentals('AAPL', ['price'])
    assert.equal(srv.requests.length, 4, 'the session is reused')
  })

  it('is refused with a wrong crumb: PROVIDER_ERROR 401', async () => {
    await assert.rejects(
      client({ session: { crumb: 'bad', cookie: YAHOO_COOKIE } }).fundamentals('AAPL'),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && /HTTP 401.*Invalid Crumb/.test(e.message),
    )
  })

  it('says DATA_NOT_FOUND for an unknown symbol', async () => {
    await assert.rejects(client({ session: { crumb: YAHOO_CRUMB, cookie: YAHOO_COOKIE } }).fundamentals('NOPE'), (e) =>
      isKestrelError(e, 'DATA_NOT_FOUND'),
    )
  })

  it('retries a 429 then succeeds; PROVIDER_RATE_LIMITED when it persists; PROVIDER_ERROR on bad JSON', async () => {
    const y = client({ session: { crumb: YAHOO_CRUMB, cookie: YAHOO_COOKIE } })
    srv.fail({ kind: 'status', status: 429, retryAfter: '0', body: 'Too Many Requests' })
    assert.equal((await y.fundamentals('AAPL', ['price'])).modules.price!.symbol, 'AAPL')
    srv.fail(...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 429, retryAfter: '0' })))
    await assert.rejects(y.fundamentals('AAPL'), (e) => isKestrelError(e, 'PROVIDER_RATE_LIMITED'))
    srv.fail({ kind: 'status', status: 200, body: '{"quoteSummary": {"result": [' })
    await assert.rejects(
      y.fundamentals('AAPL'),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && /not JSON/.test(e.message),
    )
  })

  it('times out with PROVIDER_TIMEOUT', async () => {
    srv.fail({ kind: 'hang' })
    const y = client({
      session: { crumb: YAHOO_CRUMB, cookie: YAHOO_COOKIE },
      retry: fastRetry([], { maxAttempts: 1, timeoutMs: 100 }),
    })
    await assert.rejects(y.fundamentals('AAPL'), (e) => isKestrelError(e, 'PROVIDER_TIMEOUT'))
    srv.clearFaults()
  })
})
