import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isKestrelError, seriesLength } from '../../../core/index.ts'
import type { NewsItem } from '../../../core/index.ts'
import { POLYGON_DAYS, POLYGON_KEY, polygonHandler } from '../../../../test/fixtures/providers/polygon.ts'
import { fastRetry } from '../../../../test/fixtures/providers/retry.ts'
import { startProviderServer, type ProviderServer } from '../../../../test/fixtures/providers/server.ts'
import { PolygonBarSource, PolygonNewsSource, polygonTimespan, polygonUpcomingHolidays } from './index.ts'

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

const FROM = Date.UTC(2024, 4, 1)
const TO = Date.UTC(2024, 4, 10)

describe('Polygon clients against a local Polygon server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(polygonHandler(2))
  })
  after(() => srv.close())
  const opts = (extra = {}) => ({ apiKey: POLYGON_KEY, baseUrl: srv.baseUrl, retry: fastRetry(), ...extra })

  it('reads every news page through next_url, rebased onto the configured host, with the key as a Bearer header', async () => {
    srv.requests.length = 0
    const items = await drain(new PolygonNewsSource(opts()).news({ from: FROM, to: TO }))
    assert.deepEqual(
      items.map((i) => i.id),
      ['art-1', 'art-2', 'art-3'],
    )
    assert.equal(srv.requests.length, 2)
    assert.equal(srv.requests[1]!.query.get('cursor'), '2')
    assert.equal(srv.requests[0]!.query.get('published_utc.gte'), '2024-05-01T00:00:00Z')
    assert.equal(srv.requests[0]!.query.get('order'), 'asc')
    assert.equal(srv.requests[0]!.query.has('apiKey'), false)
    assert.deepEqual(items[0], {
      id: 'art-1',
      time: Date.parse('2024-05-02T20:35:00Z'),
      symbols: ['AAPL'],
      headline: 'Apple beats estimates on strong iPhone sales',
      body: 'Revenue rose 5%.',
      source: 'polygon',
      url: 'https://example.invalid/1',
    } satisfies NewsItem)
  })

  it('asks once per symbol and merges articles tagged with both, oldest first', async () => {
    srv.requests.length = 0
    const items = await drain(new PolygonNewsSource(opts()).news({ symbols: ['MSFT', 'AAPL'], from: FROM, to: TO }))
    assert.deepEqual(
      items.map((i) => i.id),
      ['art-1', 'art-2', 'art-3'],
    )
    assert.deepEqual(
      srv.requests.map((r) => r.query.get('ticker')),
      ['MSFT', 'AAPL'],
    )
  })

  it('cuts news to [from, to)', async () => {
    const items = await drain(
      new PolygonNewsSource(opts()).news({
        from: Date.parse('2024-05-02T20:35:00Z'),
        to: Date.parse('2024-05-06T09:15:00Z'),
      }),
    )
    assert.deepEqual(
      items.map((i) => i.id),
      ['art-1', 'art-2'],
    )
  })

  it('pages aggregates into bar chunks with the exact bars, stamped at the window start', async () => {
    srv.requests.length = 0
    const src = new PolygonBarSource(opts())
    const chunks = await drain(
      src.fetch({ symbol: 'AAPL', timeframe: '1d', from: Date.UTC(2024, 4, 6), to: Date.UTC(2024, 4, 11) }),
    )
    assert.deepEqual(
      chunks.map((c) => seriesLength(c.bars)),
      [2, 2, 1],
    )
    assert.equal(
      srv.requests[0]!.path,
      `/v2/aggs/ticker/AAPL/range/1/day/${Date.UTC(2024, 4, 6)}/${Date.UTC(2024, 4, 11) - 1}`,
    )
    assert.equal(srv.requests[0]!.query.get('adjusted'), 'true')
    assert.deepEqual(
      chunks.flatMap((c) => [...c.bars.openTime]),
      POLYGON_DAYS.map((b) => b.t),
    )
    assert.deepEqual(
      chunks.flatMap((c) => [...c.bars.close]),
      POLYGON_DAYS.map((b) => b.c),
    )
    assert.equal(chunks.at(-1)!.progress.fraction, 1)
    assert.equal(chunks[0]!.bars.instrumentId, 'AAPL.POLYGON')
  })

  it('maps timeframes to multiplier and timespan', () => {
    assert.deepEqual(polygonTimespan('15m'), { multiplier: 15, timespan: 'minute' })
    assert.deepEqual(polygonTimespan('1w'), { multiplier: 1, timespan: 'week' })
  })

  it('reads upcoming holidays and early closes', async () => {
    const h = await polygonUpcomingHolidays(opts())
    assert.deepEqual(h, [
      { exchange: 'NYSE', name: 'Thanksgiving', date: '2024-11-28', status: 'closed' },
      {
        exchange: 'NYSE',
        name: 'Thanksgiving',
        date: '2024-11-29',
        status: 'early-close',
        open: Date.parse('2024-11-29T14:30:00Z'),
        close: Date.parse('2024-11-29T18:00:00Z'),
      },
    ])
  })

  it('is refused without the right key: PROVIDER_ERROR with HTTP 401, not retried', async () => {
    srv.requests.length = 0
    await assert.rejects(polygonUpcomingHolidays(opts({ apiKey: 'wrong' })), (e) => {
      assert.ok(isKestrelError(e, 'PROVIDER_ERROR'))
      assert.match(e.message, /polygon: GET \/v1\/marketstatus\/upcoming answered HTTP 401.*Unknown API Key/)
      return true
    })
    assert.equal(srv.requests.length, 1)
  })

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    const delays: number[] = []
    srv.fail({ kind: 'status', status: 429, retryAfter: '0.05' })
    const h = await polygonUpcomingHolidays(opts({ retry: fastRetry(delays) }))
    assert.equal(h.length, 2)
    assert.equal(delays.length, 1)
    assert.ok(delays[0]! >= 50)
  })

  it('fails with PROVIDER_RATE_LIMITED when every attempt is a 429', async () => {
    srv.fail(...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 429, retryAfter: '0' })))
    await assert.rejects(polygonUpcomingHolidays(opts()), (e) => isKestrelError(e, 'PROVIDER_RATE_LIMITED'))
  })

  it('fails with PROVIDER_TIMEOUT when the server never answers', async () => {
    srv.fail({ kind: 'hang' })
    await assert.rejects(
      polygonUpcomingHolidays(opts({ retry: fastRetry([], { maxAttempts: 1, timeoutMs: 100 }) })),
      (e) => isKestrelError(e, 'PROVIDER_TIMEOUT'),
    )
    srv.clearFaults()
  })

  it('fails with PROVIDER_ERROR on a body that is not JSON', async () => {
    srv.fail({ kind: 'status', status: 200, body: '{"results": [' })
    await assert.rejects(drain(new PolygonNewsSource(opts()).news({ from: FROM, to: TO })), (e) => {
      assert.ok(isKestrelError(e, 'PROVIDER_ERROR'))
      assert.match(e.message, /polygon: GET \/v2\/reference\/news answered with something that is not JSON/)
      return true
    })
  })

  it('fails with PROVIDER_ERROR naming the field on an article without a title', async () => {
    srv.fail({
      kind: 'status',
      status: 200,
      body: JSON.stringify({
        status: 'OK',
        results: [{ id: 'x', published_utc: '2024-05-02T00:00:00Z', tickers: [] }],
      }),
    })
    await assert.rejects(
      drain(new PolygonNewsSource(opts()).news({ from: FROM, to: TO })),
      /results\[0\]\.title is not a string/,
    )
  })

  it('requires a key', () => {
    assert.throws(
      () => new PolygonNewsSource({ apiKey: '' }),
      (e) => isKestrelError(e, 'CONFIG_INVALID'),
    )
  })
})
