import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isKestrelError } from '../../../core/index.ts'
import { ALPACA_KEY, ALPACA_SECRET } from '../../../../test/fixtures/providers/alpaca.ts'
import { alpacaNewsHandler } from '../../../../test/fixtures/providers/alpaca-news.ts'
import { fastRetry } from '../../../../test/fixtures/providers/retry.ts'
import { startProviderServer, type ProviderServer } from '../../../../test/fixtures/providers/server.ts'
import { AlpacaNewsSource, alpacaAssets } from './index.ts'

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

const FROM = Date.UTC(2024, 4, 1)
const TO = Date.UTC(2024, 4, 10)

describe('Alpaca news and assets against a local Alpaca server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(alpacaNewsHandler())
  })
  after(() => srv.close())
  const keys = { keyId: ALPACA_KEY, secretKey: ALPACA_SECRET }
  const opts = (extra = {}) => ({ ...keys, baseUrl: srv.baseUrl, retry: fastRetry(), ...extra })

  it('follows next_page_token through every page with the key headers', async () => {
    srv.requests.length = 0
    const items = await drain(
      new AlpacaNewsSource(opts({ pageLimit: 2 })).news({ symbols: ['AAPL'], from: FROM, to: TO }),
    )
    assert.deepEqual(
      items.map((i) => i.id),
      ['24800001', '24800002', '24800003', '24800005'],
    )
    assert.equal(srv.requests.length, 2)
    assert.equal(srv.requests[0]!.query.get('symbols'), 'AAPL')
    assert.equal(srv.requests[0]!.query.get('sort'), 'asc')
    assert.equal(srv.requests[0]!.query.has('page_token'), false)
    assert.equal(srv.requests[1]!.query.get('page_token'), Buffer.from('2').toString('base64'))
    assert.deepEqual(items[0], {
      id: '24800001',
      time: Date.parse('2024-05-01T13:00:00Z'),
      symbols: ['AAPL'],
      headline: 'Headline 1 about AAPL',
      body: 'Summary 1',
      source: 'alpaca',
      url: 'https://example.invalid/alpaca/1',
    })
  })

  it('uses the content as the body when asked to include it', async () => {
    const items = await drain(new AlpacaNewsSource(opts({ includeContent: true })).news({ from: FROM, to: TO }))
    assert.equal(items.length, 5)
    assert.equal(items[0]!.body, '<p>Content 1</p>')
  })

  it('is refused without the keys: PROVIDER_ERROR 401', async () => {
    await assert.rejects(
      drain(new AlpacaNewsSource(opts({ secretKey: 'wrong' })).news({ from: FROM, to: TO })),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && /alpaca: GET \/v1beta1\/news answered HTTP 401/.test(e.message),
    )
  })

  it('retries a 429 and then reads the page; PROVIDER_RATE_LIMITED after the last attempt', async () => {
    srv.fail({ kind: 'status', status: 429, retryAfter: '0' })
    assert.equal((await drain(new AlpacaNewsSource(opts()).news({ from: FROM, to: TO }))).length, 5)
    srv.fail(...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 429, retryAfter: '0' })))
    await assert.rejects(drain(new AlpacaNewsSource(opts()).news({ from: FROM, to: TO })), (e) =>
      isKestrelError(e, 'PROVIDER_RATE_LIMITED'),
    )
  })

  it('fails with PROVIDER_ERROR on a malformed body', async () => {
    srv.fail({ kind: 'status', status: 200, body: '{"news": "nope"}' })
    await assert.rejects(drain(new AlpacaNewsSource(opts()).news({ from: FROM, to: TO })), /body\.news is not an array/)
    srv.fail({ kind: 'status', status: 200, body: 'not json' })
    await assert.rejects(alpacaAssets(opts()), (e) => isKestrelError(e, 'PROVIDER_ERROR') && /not JSON/.test(e.message))
  })

  it('lists tradable assets, sorted by symbol', async () => {
    srv.requests.length = 0
    const a = await alpacaAssets(opts())
    assert.deepEqual(
      a.map((x) => x.symbol),
      ['A', 'AAPL'],
    )
    assert.equal(srv.requests[0]!.query.get('status'), 'active')
    assert.equal(srv.requests[0]!.query.get('asset_class'), 'us_equity')
    assert.deepEqual(a[1], {
      id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
      symbol: 'AAPL',
      name: 'Apple Inc. Common Stock',
      assetClass: 'us_equity',
      exchange: 'NASDAQ',
      status: 'active',
      tradable: true,
      marginable: true,
      shortable: true,
      easyToBorrow: true,
      fractionable: true,
    })
    assert.equal((await alpacaAssets(opts(), { tradableOnly: false })).length, 3)
  })

  it('times out with PROVIDER_TIMEOUT', async () => {
    srv.fail({ kind: 'hang' })
    await assert.rejects(alpacaAssets(opts({ retry: fastRetry([], { maxAttempts: 1, timeoutMs: 100 }) })), (e) =>
      isKestrelError(e, 'PROVIDER_TIMEOUT'),
    )
    srv.clearFaults()
  })

  it('requires both keys', () => {
    assert.throws(
      () => new AlpacaNewsSource({ keyId: 'k', secretKey: '' }),
      (e) => isKestrelError(e, 'CONFIG_INVALID'),
    )
  })
})
