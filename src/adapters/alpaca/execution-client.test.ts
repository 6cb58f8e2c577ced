import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { AlpacaApiError } from './rest.ts'
import { brief, rawTradeStream, startTestVenue, testClient, testOrder, until, type TestVenue } from './testing.ts'

const venues: TestVenue[] = []
const stops: (() => Promise<void>)[] = []
after(async () => {
  for (const s of stops) await s()
  for (const v of venues) await v.stop()
})

async function setup(o: Parameters<typeof startTestVenue>[0] = {}, c: Parameters<typeof testClient>[1] = {}) {
  const venue = await startTestVenue(o)
  venues.push(venue)
  const tc = testClient(venue, c)
  await tc.client.start()
  stops.push(() => tc.client.stop())
  return { venue, ...tc }
}

describe('AlpacaExecutionClient against the local Alpaca server', () => {
  it('submits a market order: accepted, then filled at the next bar open with position and cash to match', async () => {
    const { venue, client, reports } = await setup()
    const v = await client.submitOrder(testOrder('m1', { quantity: 10 }))
    assert.equal(v.status, 'ACCEPTED')
    assert.equal(v.clientOrderId, 'm1')
    await venue.admin('advance', { bars: 1 })
    await until(() => reports.length === 2, 'the fill')
    assert.deepEqual(brief(reports), ['ACCEPTED m1', 'FILL m1 10@100'])
    const f = reports[1]!.kind === 'FILL' ? reports[1]!.fill : undefined
    assert.equal(f?.strategyId, 'test')
    assert.equal(f?.instrumentId, 'AAPL.ALPACA')
    assert.equal(f?.time, Date.parse('2024-01-02T14:30:00Z'))
    assert.deepEqual(await client.positions(), [{ instrumentId: 'AAPL.ALPACA', quantity: 10, avgPrice: 100 }])
    assert.deepEqual(await client.balances(), [{ currency: 'USD', cash: 99_000, equity: 100_005 }])
    const q = await client.queryOrder('m1')
    assert.equal(q?.status, 'FILLED')
    assert.equal(q?.filledQuantity, 10)
    assert.equal(q?.avgFillPrice, 100)
    assert.deepEqual(
      (await client.fillsSince(0)).map((x) => [x.fillId, x.clientOrderId, x.quantity, x.price]),
      [[f!.fillId, 'm1', 10, 100]],
    )
  })

  it('fills in parts under the participation cap: 50 of a 100-share bar, then the rest', async () => {
    const { venue, client, reports } = await setup({ participation: 0.5 })
    await venue.admin('advance', { bars: 1 })
    await client.submitOrder(testOrder('p1', { quantity: 80 }))
    await venue.admin('advance', { bars: 2 })
    await until(() => reports.length === 3, 'two fills')
    assert.deepEqual(brief(reports), ['ACCEPTED p1', 'FILL p1 50@100.5', 'FILL p1 30@101'])
    const q = await client.queryOrder('p1')
    assert.equal(q?.status, 'FILLED')
    assert.equal(q?.avgFillPrice, (50 * 100.5 + 30 * 101) / 80)
  })

  it('cancels a resting limit order and lists it no more as open', async () => {
    const { client, reports } = await setup()
    await client.submitOrder(testOrder('l1', { type: 'LIMIT', limitPrice: 90, timeInForce: 'GTC' }))
    assert.deepEqual(
      (await client.openOrders()).map((o) => [o.clientOrderId, o.limitPrice]),
      [['l1', 90]],
    )
    await client.cancelOrder('l1')
    await until(() => reports.length === 2, 'the cancel')
    assert.deepEqual(brief(reports), ['ACCEPTED l1', 'CANCELED l1 (canceled at alpaca)'])
    assert.equal((await client.queryOrder('l1'))?.status, 'CANCELED')
    assert.deepEqual(await client.openOrders(), [])
    await assert.rejects(client.cancelOrder('l1'), (e: unknown) => e instanceof AlpacaApiError && e.status === 422)
  })

  it('replaces a limit order: the old one ends replaced, the new one works at the new price and fills', async () => {
    const { venue, client, reports } = await setup()
    await client.submitOrder(testOrder('r1', { type: 'LIMIT', limitPrice: 90, quantity: 20, timeInForce: 'GTC' }))
    const v = await client.replaceOrder('r1', { clientOrderId: 'r1-b', limitPrice: 99.5, quantity: 15 })
    assert.deepEqual([v.clientOrderId, v.limitPrice, v.quantity, v.status], ['r1-b', 99.5, 15, 'ACCEPTED'])
    await venue.admin('advance', { bars: 3 })
    await until(() => reports.length === 4, 'the replacement fill')
    assert.deepEqual(brief(reports), [
      'ACCEPTED r1',
      'CANCELED r1 (replaced by r1-b)',
      'ACCEPTED r1-b',
      'FILL r1-b 15@99.5',
    ])
    assert.equal((await client.queryOrder('r1'))?.status, 'CANCELED')
  })

  it('refuses a reused client_order_id with HTTP 422, reported as a typed reject', async () => {
    const { client, reports } = await setup()
    await client.submitOrder(testOrder('d1'))
    const second = testClient(venues.at(-1)!)
    await assert.rejects(
      second.client.submitOrder(testOrder('d1')),
      (e: unknown) =>
        e instanceof AlpacaApiError &&
        e.status === 422 &&
        e.alpacaCode === 40010001 &&
        e.alpacaMessage === 'client_order_id must be unique' &&
        e.code === 'ORDER_INVALID',
    )
    assert.deepEqual(brief(second.reports), ['REJECTED d1 (alpaca 40010001: client_order_id must be unique)'])
    assert.deepEqual(brief(reports), ['ACCEPTED d1'])
  })

  it('reports a venue refusal of submit() as REJECTED and nothing else', async () => {
    const { client, reports, errors } = await setup()
    client.submit(testOrder('x1', { quantity: 10_000, type: 'LIMIT', limitPrice: 100 }), 0)
    await until(() => reports.length === 1, 'the reject')
    assert.deepEqual(brief(reports), ['REJECTED x1 (alpaca 40310000: insufficient buying power)'])
    assert.deepEqual(errors, [])
  })

  it('refuses bad keys with 403 at start', async () => {
    const venue = await startTestVenue()
    venues.push(venue)
    const { client } = testClient(venue, { secretKey: 'wrong' })
    await assert.rejects(client.start(), (e: unknown) => e instanceof AlpacaApiError && e.status === 403)
  })
})

describe('AlpacaExecutionClient under injected faults', () => {
  it('waits out an HTTP 429 for its Retry-After, then succeeds', async () => {
    const { venue, client, delays } = await setup({
      faults: [{ name: 'http429', trigger: { kind: 'n', n: 2 }, params: { 'retry-after': 1500 }, text: '' }],
    })
    assert.deepEqual(delays, [1500, 1500])
    assert.equal((await client.queryOrder('none')) ?? 'none', 'none')
    assert.deepEqual(venue.server.faults.counts, { http429: 2 })
  })

  it('retries HTTP 5xx with backoff', async () => {
    const { venue, client, delays } = await setup({
      faults: [{ name: 'http5xx', trigger: { kind: 'n', n: 2 }, params: { status: 503 }, text: '' }],
    })
    assert.deepEqual(delays, [7, 15]) // 10 ms then 20 ms, times the jitter 0.75
    assert.equal((await client.openOrders()).length, 0)
    assert.deepEqual(venue.server.faults.counts, { http5xx: 2 })
  })

  it('takes a duplicate-id refusal of its own retry (the first answer was lost) as the order accepted', async () => {
    const { venue, client, reports } = await setup({
      faults: [{ name: 'lost-ack', trigger: { kind: 'n', n: 1 }, params: {}, text: '' }],
    })
    const v = await client.submitOrder(testOrder('g1', { quantity: 4 }))
    assert.deepEqual([v.clientOrderId, v.status], ['g1', 'ACCEPTED'])
    await venue.admin('advance', { bars: 1 })
    await until(() => reports.length === 2, 'the fill')
    assert.deepEqual(brief(reports), ['ACCEPTED g1', 'FILL g1 4@100'])
    assert.deepEqual(venue.server.faults.counts, { 'lost-ack': 1 })
    assert.equal((await client.openOrders()).length, 0)
  })

  it('drops duplicated trade updates: each report once', async () => {
    const { venue, client, reports } = await setup({
      participation: 0.5,
      faults: [{ name: 'dup-report', trigger: { kind: 'p', p: 1 }, params: {}, text: '' }],
    })
    await venue.admin('advance', { bars: 1 })
    await client.submitOrder(testOrder('u1', { quantity: 80 }))
    await venue.admin('advance', { bars: 2 })
    await until(() => reports.length >= 3, 'the fills')
    await client.cancelOrder('u1').catch(() => {})
    await new Promise((r) => setTimeout(r, 30))
    assert.deepEqual(brief(reports), ['ACCEPTED u1', 'FILL u1 50@100.5', 'FILL u1 30@101'])
    assert.ok((venue.server.faults.counts['dup-report'] ?? 0) >= 3)
  })

  // With reorder@p=1 and a long hold, the server swaps each pair of updates: 1 2 3 4 go out as 2 1 4 3.
  const REORDER = [
    { name: 'reorder' as const, trigger: { kind: 'p' as const, p: 1 }, params: { ms: 60_000 }, text: '' },
  ]

  it("reports ACCEPTED before a fill that overtook the order's new", async () => {
    const { venue, client, reports } = await setup({ faults: REORDER })
    const raw = await rawTradeStream(venue)
    stops.push(async () => raw.close())
    await client.submitOrder(testOrder('o1', { quantity: 10 }))
    await venue.admin('advance', { bars: 1 })
    await until(() => raw.events.length === 2, 'two updates')
    assert.deepEqual(raw.events, ['fill o1', 'new o1'])
    assert.deepEqual(brief(reports), ['ACCEPTED o1', 'FILL o1 10@100'])
  })

  it("reports an order's end after the fills its filled_qty counts, when the end overtook them", async () => {
    const { venue, client, reports } = await setup({ participation: 0.5, faults: REORDER })
    const raw = await rawTradeStream(venue)
    stops.push(async () => raw.close())
    await venue.admin('advance', { bars: 1 })
    await client.submitOrder(testOrder('rest', { type: 'LIMIT', limitPrice: 50, timeInForce: 'GTC' }))
    // An IOC limit on a 100-share bar: new, partial_fill 50, canceled (the rest).
    await client.submitOrder(testOrder('o2', { quantity: 80, type: 'LIMIT', limitPrice: 101, timeInForce: 'IOC' }))
    await venue.admin('advance', { bars: 1 })
    await until(() => raw.events.length === 4, 'four updates')
    assert.deepEqual(raw.events, ['new o2', 'new rest', 'canceled o2', 'partial_fill o2'])
    await until(() => reports.length === 4, 'four reports')
    // Each ACCEPTED comes from the submit's answer (status new), before the stream's late `new`.
    assert.deepEqual(brief(reports), [
      'ACCEPTED rest',
      'ACCEPTED o2',
      'FILL o2 50@100.5',
      'CANCELED o2 (canceled at alpaca)',
    ])
  })

  it('does not end an order whose submit ack timed out: VENUE_TIMEOUT, and queryOrder finds it working', async () => {
    const { client, reports, errors } = await setup(
      { faults: [{ name: 'slow-ack', trigger: { kind: 'n', n: 1 }, params: { ms: 300 }, text: '' }] },
      { retry: { timeoutMs: 60 } },
    )
    client.submit(testOrder('s1', { type: 'LIMIT', limitPrice: 90, timeInForce: 'GTC' }), 0)
    await until(() => errors.length === 1, 'the timeout')
    assert.equal(errors[0]!.clientOrderId, 's1')
    assert.ok(isKestrelError(errors[0]!.error, 'VENUE_TIMEOUT'), errors[0]!.error.message)
    assert.ok(!reports.some((r) => r.kind === 'REJECTED' || r.kind === 'CANCELED' || r.kind === 'EXPIRED'))
    const q = await client.queryOrder('s1')
    assert.equal(q?.status, 'ACCEPTED')
    assert.deepEqual(brief(reports), ['ACCEPTED s1'])
  })

  it('reports a reject the venue sends after accepting', async () => {
    const { client, reports } = await setup({
      faults: [{ name: 'reject', trigger: { kind: 'n', n: 1 }, params: {}, text: '' }],
    })
    const v = await client.submitOrder(testOrder('j1'))
    assert.equal(v.status, 'ACCEPTED')
    await until(() => reports.length === 1, 'the reject')
    assert.deepEqual(brief(reports), ['REJECTED j1 (rejected by alpaca)'])
    assert.equal((await client.queryOrder('j1'))?.status, 'REJECTED')
  })

  it('gives up on a venue that keeps answering 429: VENUE_RATE_LIMITED after the last attempt', async () => {
    const venue = await startTestVenue({
      faults: [{ name: 'http429', trigger: { kind: 'n', n: 3 }, params: { 'retry-after': 200 }, text: '' }],
    })
    venues.push(venue)
    const { client, delays } = testClient(venue, { retry: { maxAttempts: 3 } })
    await assert.rejects(
      client.openOrders(),
      (e: unknown) => isKestrelError(e, 'VENUE_RATE_LIMITED') && /after 3 attempts/.test(e.message),
    )
    assert.deepEqual(delays, [200, 200])
  })

  it('fails at once on a Retry-After longer than it is willing to wait', async () => {
    const venue = await startTestVenue({
      faults: [{ name: 'http429', trigger: { kind: 'n', n: 1 }, params: { 'retry-after': 600_000 }, text: '' }],
    })
    venues.push(venue)
    const { client, delays } = testClient(venue)
    await assert.rejects(
      client.positions(),
      (e: unknown) => isKestrelError(e, 'VENUE_RATE_LIMITED') && /Retry-After 600 s/.test(e.message),
    )
    assert.deepEqual(delays, [])
  })

  it('keeps reconnecting while the venue refuses the stream, and listens again once it takes it', async () => {
    const { venue, client, reports, connections } = await setup({
      faults: [{ name: 'disconnect', params: { down: 150 }, text: '' }],
    })
    await venue.admin('disconnect')
    await until(() => connections.length === 3, 'the reconnect', 5000)
    assert.deepEqual(connections, [true, false, true])
    assert.equal(client.connected, true)
    await client.submitOrder(testOrder('k1', { quantity: 2 }))
    await venue.admin('advance', { bars: 1 })
    await until(() => reports.length === 2, 'the fill')
    assert.deepEqual(brief(reports), ['ACCEPTED k1', 'FILL k1 2@100'])
  })

  it('reconnects after a disconnect and recovers the fill that happened while the stream was down', async () => {
    const { venue, client, reports, connections } = await setup({
      faults: [{ name: 'fill-during-disconnect', params: {}, text: '' }],
    })
    const t0 = venue.server.book.time
    await client.submitOrder(testOrder('f1', { quantity: 5 }))
    const r = await venue.admin('disconnect')
    assert.equal(r.closed, 1)
    await until(() => connections.length === 3, 'the reconnect')
    assert.deepEqual(connections, [true, false, true])
    assert.deepEqual(brief(reports), ['ACCEPTED f1'])
    const fills = await client.fillsSince(t0)
    assert.deepEqual(
      fills.map((f) => [f.clientOrderId, f.quantity, f.price, f.strategyId]),
      [['f1', 5, 100, 'test']],
    )
    assert.equal(await client.recover(t0), 1)
    assert.equal(await client.recover(t0), 0)
    assert.deepEqual(brief(reports), ['ACCEPTED f1', 'FILL f1 5@100'])
    // The stream works again after the reconnect.
    await client.submitOrder(testOrder('f2', { quantity: 1 }))
    await venue.admin('advance', { bars: 1 })
    await until(() => reports.length === 4, 'the fill after the reconnect')
    assert.deepEqual(brief(reports).slice(2), ['ACCEPTED f2', 'FILL f2 1@100.5'])
  })
})

describe('AlpacaExecutionClient, every fault at once', () => {
  it('reports each order exactly once in order (ACCEPTED, fills summing to the venue, one end) under seeded dup and reorder', async () => {
    for (const seed of [1, 2, 3]) {
      const { venue, client, reports } = await setup({
        seed,
        participation: 0.3,
        faults: [
          { name: 'dup-report', trigger: { kind: 'p', p: 0.3 }, params: {}, text: '' },
          { name: 'reorder', trigger: { kind: 'p', p: 0.3 }, params: { ms: 5 }, text: '' },
        ],
      })
      const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x}${seed}`)
      await client.submitOrder(testOrder(ids[0]!, { quantity: 400 }))
      await client.submitOrder(
        testOrder(ids[1]!, { quantity: 300, type: 'LIMIT', limitPrice: 99.5, timeInForce: 'GTC' }),
      )
      await client.submitOrder(
        testOrder(ids[2]!, { quantity: 500, type: 'LIMIT', limitPrice: 101, timeInForce: 'IOC' }),
      )
      await client.submitOrder(
        testOrder(ids[3]!, { quantity: 50, side: 'SELL', type: 'STOP', stopPrice: 98.5, timeInForce: 'GTC' }),
      )
      await client.submitOrder(testOrder(ids[4]!, { quantity: 100, type: 'LIMIT', limitPrice: 90, timeInForce: 'GTC' }))
      await venue.admin('advance', { bars: 3 })
      await client.cancelOrder(ids[4]!)
      await venue.admin('advance', { bars: 3 })
      const venueSide = await Promise.all(ids.map((id) => client.queryOrder(id)))
      const settled = () =>
        ids.every((id, i) => {
          const v = venueSide[i]!
          const mine = reports.filter((r) => (r.kind === 'FILL' ? r.fill.clientOrderId : r.clientOrderId) === id)
          const filled = mine.reduce((s, r) => s + (r.kind === 'FILL' ? r.fill.quantity : 0), 0)
          const ends = mine.filter((r) => r.kind === 'CANCELED' || r.kind === 'EXPIRED' || r.kind === 'REJECTED')
          return Math.abs(filled - v.filledQuantity) < 1e-9 && ends.length === (v.status === 'CANCELED' ? 1 : 0)
        })
      await until(settled, `seed ${seed}: every order's reports`)
      await new Promise((r) => setTimeout(r, 20)) // anything late would be a second report
      assert.ok(settled(), `seed ${seed}: a report came twice`)
      for (const id of ids) {
        const mine = reports.filter((r) => (r.kind === 'FILL' ? r.fill.clientOrderId : r.clientOrderId) === id)
        assert.equal(mine[0]!.kind, 'ACCEPTED', `${id} starts with ACCEPTED`)
        assert.equal(mine.filter((r) => r.kind === 'ACCEPTED').length, 1, `${id}: one ACCEPTED`)
        const end = mine.findIndex((r) => r.kind === 'CANCELED')
        if (end >= 0) assert.equal(end, mine.length - 1, `${id}: the end is last`)
        const fillIds = mine.flatMap((r) => (r.kind === 'FILL' ? [r.fill.fillId] : []))
        assert.equal(new Set(fillIds).size, fillIds.length, `${id}: no fill twice`)
      }
      assert.deepEqual(
        venueSide.map((v) => v!.status),
        ['FILLED', 'FILLED', 'CANCELED', 'FILLED', 'CANCELED'],
      )
      assert.ok((venue.server.faults.counts['dup-report'] ?? 0) > 0 && (venue.server.faults.counts.reorder ?? 0) > 0)
    }
  })
})
