import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError, MS } from '../../../core/index.ts'
import { BENZINGA_TOKEN, benzingaHandler } from '../../../../test/fixtures/providers/benzinga.ts'
import { fastRetry } from '../../../../test/fixtures/providers/retry.ts'
import { startProviderServer, type ProviderServer } from '../../../../test/fixtures/providers/server.ts'
import {
  BenzingaEconomics,
  BenzingaNewsSource,
  BenzingaRatings,
  BlackoutCalendar,
  blackoutWindows,
  easternToUtc,
} from './index.ts'

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

const FROM = Date.UTC(2024, 4, 1)
const TO = Date.UTC(2024, 4, 10)

describe('Benzinga clients against a local Benzinga server', () => {
  let srv: ProviderServer
  before(async () => {
    srv = await startProviderServer(benzingaHandler())
  })
  after(() => srv.close())
  const opts = (extra = {}) => ({ token: BENZINGA_TOKEN, baseUrl: srv.baseUrl, retry: fastRetry(), ...extra })

  it('pages news by page number until a short page, sends the token as a query key, and sorts oldest first', async () => {
    srv.requests.length = 0
    const items = await drain(new BenzingaNewsSource(opts({ pageSize: 2 })).news({ from: FROM, to: TO }))
    assert.deepEqual(
      items.map((i) => i.id),
      ['101', '102', '103'],
    )
    assert.deepEqual(
      srv.requests.map((r) => r.query.get('page')),
      ['0', '1'],
    )
    assert.equal(srv.requests[0]!.query.get('displayOutput'), 'full')
    assert.equal(srv.requests[0]!.headers.accept, 'application/json')
    assert.deepEqual(items[0], {
      id: '101',
      time: Date.parse('2024-05-02T20:35:00Z'),
      symbols: ['AAPL'],
      headline: 'Apple Q2 EPS $1.53 Beats $1.50 Estimate',
      body: 'Apple reported quarterly earnings of $1.53 per share.',
      source: 'benzinga',
      url: 'https://example.invalid/news/101',
    })
    assert.equal(items[1]!.body, '<p>Payrolls rose.</p>', 'an empty teaser falls back to the body')
    assert.deepEqual(items[2]!.symbols, ['MSFT'])
  })

  it('filters news by tickers and cuts to [from, to) on the exact time', async () => {
    const items = await drain(
      new BenzingaNewsSource(opts()).news({
        symbols: ['AAPL', 'MSFT'],
        from: FROM,
        to: Date.parse('2024-05-06T11:00:00Z'),
      }),
    )
    assert.deepEqual(
      items.map((i) => i.id),
      ['101'],
    )
  })

  it('reads analyst ratings with Eastern times in UTC, and as catalyst headlines', async () => {
    const src = new BenzingaRatings(opts())
    const r = await src.ratings({ from: FROM, to: TO })
    assert.equal(r.length, 2)
    assert.deepEqual(r[0], {
      id: '663a1f',
      time: Date.parse('2024-05-03T11:12:31Z'),
      ticker: 'AAPL',
      firm: 'Goldman Sachs',
      action: 'Upgrades',
      ratingCurrent: 'Buy',
      ratingPrior: 'Neutral',
      priceTargetCurrent: 200,
      priceTargetPrior: 180,
      importance: 3,
      url: 'https://example.invalid/ratings/1',
    })
    assert.equal(r[1]!.priceTargetCurrent, undefined)
    const news = await drain(src.news({ symbols: ['AAPL'], from: FROM, to: TO }))
    assert.deepEqual(
      news.map((n) => [n.headline, n.source]),
      [['Goldman Sachs Upgrades AAPL to Buy, PT 180 → 200', 'benzinga:ratings']],
    )
  })

  it('takes an empty array as "no ratings" (Benzinga sends [] for an empty page)', async () => {
    const r = await new BenzingaRatings(opts()).ratings({ symbols: ['ZZZZ'], from: FROM, to: TO })
    assert.deepEqual(r, [])
  })

  it('reads the economic calendar with a minimum importance', async () => {
    srv.requests.length = 0
    const ev = await new BenzingaEconomics(opts()).events({ from: FROM, to: TO, minImportance: 4 })
    assert.deepEqual(
      ev.map((e) => [e.name, e.time, e.importance, e.consensus]),
      [
        ['Nonfarm Payrolls', Date.parse('2024-05-03T12:30:00Z'), 5, '240K'],
        ['ISM Services PMI', Date.parse('2024-05-03T14:00:00Z'), 4, '52.0'],
      ],
    )
    assert.equal(srv.requests[0]!.query.get('parameters[importance]'), '4')
    assert.equal(srv.requests[0]!.query.get('parameters[date_from]'), '2024-04-30')
  })

  it('is refused without the token: PROVIDER_ERROR 401', async () => {
    await assert.rejects(
      new BenzingaEconomics(opts({ token: 'nope' })).events({ from: FROM, to: TO }),
      (e) => isKestrelError(e, 'PROVIDER_ERROR') && /HTTP 401/.test(e.message),
    )
  })

  it('waits out a 429 then succeeds; gives PROVIDER_RATE_LIMITED when it never ends', async () => {
    srv.fail({ kind: 'status', status: 429, retryAfter: '0' })
    assert.equal((await new BenzingaEconomics(opts()).events({ from: FROM, to: TO })).length, 3)
    srv.fail(...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 429, retryAfter: '0' })))
    await assert.rejects(new BenzingaEconomics(opts()).events({ from: FROM, to: TO }), (e) =>
      isKestrelError(e, 'PROVIDER_RATE_LIMITED'),
    )
  })

  it('fails with PROVIDER_ERROR on a malformed body and on a story without created', async () => {
    srv.fail({ kind: 'status', status: 200, body: '<xml/>' })
    await assert.rejects(drain(new BenzingaNewsSource(opts()).news({ from: FROM, to: TO })), (e) =>
      isKestrelError(e, 'PROVIDER_ERROR'),
    )
    srv.fail({ kind: 'status', status: 200, body: JSON.stringify([{ id: 1, title: 'x', stocks: [] }]) })
    await assert.rejects(
      drain(new BenzingaNewsSource(opts()).news({ from: FROM, to: TO })),
      /story\[0\]\.created is not a string/,
    )
  })

  it('times out with PROVIDER_TIMEOUT', async () => {
    srv.fail({ kind: 'hang' })
    await assert.rejects(
      new BenzingaEconomics(opts({ retry: fastRetry([], { maxAttempts: 1, timeoutMs: 100 }) })).events({
        from: FROM,
        to: TO,
      }),
      (e) => isKestrelError(e, 'PROVIDER_TIMEOUT'),
    )
    srv.clearFaults()
  })
})

describe('Eastern calendar times', () => {
  it('converts across daylight saving (EST in January, EDT in July)', () => {
    assert.equal(easternToUtc('2024-01-05', '08:30:00'), Date.parse('2024-01-05T13:30:00Z'))
    assert.equal(easternToUtc('2024-07-05', '08:30:00'), Date.parse('2024-07-05T12:30:00Z'))
    assert.equal(easternToUtc('2024-07-05', ''), Date.parse('2024-07-05T04:00:00Z'))
  })
})

describe('blackout windows around releases', () => {
  const nfp = { time: Date.parse('2024-05-03T12:30:00Z'), importance: 5, name: 'NFP' }
  const ism = { time: Date.parse('2024-05-03T14:00:00Z'), importance: 4, name: 'ISM' }
  const credit = { time: Date.parse('2024-05-07T19:00:00Z'), importance: 1, name: 'Credit' }
  const rules = [
    { minImportance: 4, beforeMs: 15 * MS.minute, afterMs: 30 * MS.minute },
    { minImportance: 5, beforeMs: 30 * MS.minute, afterMs: 60 * MS.minute },
  ]

  it('gives each release the widest window its importance earns and skips unimportant ones', () => {
    const w = blackoutWindows([credit, ism, nfp], rules)
    assert.deepEqual(
      w.map((x) => [x.start, x.end, x.releases.map((r) => r.name)]),
      [
        [nfp.time - 30 * MS.minute, nfp.time + 60 * MS.minute, ['NFP']],
        [ism.time - 15 * MS.minute, ism.time + 30 * MS.minute, ['ISM']],
      ],
    )
  })

  it('merges overlapping windows', () => {
    const w = blackoutWindows([nfp, ism], [{ minImportance: 4, beforeMs: MS.hour, afterMs: MS.hour }])
    assert.deepEqual(
      w.map((x) => [x.start, x.end, x.releases.length]),
      [[nfp.time - MS.hour, ism.time + MS.hour, 2]],
    )
  })

  it('inBlackout is true on [start, end) and false at end', () => {
    const cal = new BlackoutCalendar([nfp], rules)
    assert.equal(cal.inBlackout(nfp.time - 30 * MS.minute), true)
    assert.equal(cal.inBlackout(nfp.time - 30 * MS.minute - 1), false)
    assert.equal(cal.inBlackout(nfp.time + 60 * MS.minute - 1), true)
    assert.equal(cal.inBlackout(nfp.time + 60 * MS.minute), false)
    assert.equal(cal.windowAt(nfp.time)!.releases[0]!.name, 'NFP')
  })

  it('inBlackout agrees with a linear scan over the releases (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ time: fc.integer({ min: 0, max: 10_000 }), importance: fc.integer({ min: 0, max: 5 }) }), {
          maxLength: 30,
        }),
        fc.integer({ min: -100, max: 10_100 }),
        (events, t) => {
          const r = [{ minImportance: 3, beforeMs: 50, afterMs: 120 }]
          const expected = events.some((e) => e.importance >= 3 && t >= e.time - 50 && t < e.time + 120)
          assert.equal(new BlackoutCalendar(events, r).inBlackout(t), expected)
        },
      ),
      { seed: 20261203, numRuns: 300 },
    )
  })

  it('rejects a rule with a negative or empty window', () => {
    assert.throws(
      () => blackoutWindows([nfp], [{ minImportance: 0, beforeMs: -1, afterMs: 5 }]),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
