import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AlpacaOrder, AlpacaPosition, FillActivity } from './protocol.ts'
import { startTestVenue, type TestVenue } from './testing.ts'

let venue: TestVenue
before(async () => {
  venue = await startTestVenue({ participation: 0.5 })
})
after(() => venue.stop())

const KEYS = { 'APCA-API-KEY-ID': 'kestrel', 'APCA-API-SECRET-KEY': 'kestrel' }

/** One request with the keys; `T` is the shape of the answer the test reads. */
async function call<T = AlpacaOrder>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(venue.url + path, {
    method,
    headers: KEYS,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

const order = (over: Record<string, unknown>) => ({
  symbol: 'AAPL',
  qty: '10',
  side: 'buy',
  type: 'market',
  time_in_force: 'day',
  ...over,
})

describe('the local Alpaca server, on the wire', () => {
  it('answers an order in Alpaca form: string numbers, lower-case enums, RFC 3339 times', async () => {
    const r = await call('POST', '/v2/orders', order({ client_order_id: 'w1', type: 'limit', limit_price: '99.5' }))
    assert.equal(r.status, 200)
    const o = r.body
    assert.match(o.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.deepEqual(
      [o.client_order_id, o.symbol, o.qty, o.filled_qty, o.type, o.side, o.time_in_force, o.limit_price, o.status],
      ['w1', 'AAPL', '10', '0', 'limit', 'buy', 'day', '99.5', 'new'],
    )
    assert.equal(o.submitted_at, '2024-01-02T14:30:00Z')
    assert.equal(o.filled_avg_price, null)
  })

  it('refuses bad orders with 422 and Alpaca error bodies, unknown orders with 404', async () => {
    assert.deepEqual(await call('POST', '/v2/orders', order({ type: 'limit' })), {
      status: 422,
      body: { code: 40010001, message: 'limit_price is required' },
    })
    assert.deepEqual((await call('POST', '/v2/orders', order({ symbol: 'ZZZZ' }))).body, {
      code: 40010001,
      message: 'asset "ZZZZ" not found',
    })
    assert.equal((await call('POST', '/v2/orders', order({ qty: '0' }))).status, 422)
    assert.deepEqual(await call('GET', '/v2/orders/nope'), {
      status: 404,
      body: { code: 40410000, message: 'order not found' },
    })
    assert.equal((await call('GET', '/v2/orders:by_client_order_id?client_order_id=nope')).status, 404)
    assert.equal((await call('DELETE', '/v2/orders/nope')).status, 404)
  })

  it('fills in parts, lists orders by status and pages the FILL activities', async () => {
    const m = (await call('POST', '/v2/orders', order({ client_order_id: 'w2', qty: '80' }))).body
    await venue.admin('advance', { bars: 1 }) // volume 1000, a cap of 500: w2's 80 at the open 100, w1's 10 at 99.5
    const p = (await call('POST', '/v2/orders', order({ client_order_id: 'w3', qty: '70' }))).body
    await venue.admin('advance', { bars: 2 }) // volume 100, a cap of 50: w3 50 at 100.5, then its last 20 at 101
    const w3 = (await call('GET', `/v2/orders/${p.id}`)).body
    assert.deepEqual([w3.status, w3.filled_qty, w3.filled_avg_price], ['filled', '70', '100.642857'])
    assert.equal((await call('GET', `/v2/orders/${m.id}`)).body.filled_avg_price, '100')
    const open = (await call<AlpacaOrder[]>('GET', '/v2/orders?status=open')).body
    assert.deepEqual(open, [])
    const closed = (await call<AlpacaOrder[]>('GET', '/v2/orders?status=closed&direction=asc')).body
    assert.deepEqual(
      closed.map((o) => o.client_order_id),
      ['w1', 'w2', 'w3'],
    )
    assert.deepEqual(
      (await call<AlpacaOrder[]>('GET', '/v2/orders?status=all&limit=1')).body.map((o) => o.client_order_id),
      ['w3'],
    )
    const all = (await call<FillActivity[]>('GET', '/v2/account/activities/FILL?direction=asc')).body
    assert.deepEqual(
      all.map((a) => [
        a.order_id === m.id ? 'w2' : a.order_id === p.id ? 'w3' : 'w1',
        a.qty,
        a.price,
        a.cum_qty,
        a.leaves_qty,
        a.type,
      ]),
      [
        ['w2', '80', '100', '80', '0', 'fill'],
        ['w1', '10', '99.5', '10', '0', 'fill'],
        ['w3', '50', '100.5', '50', '20', 'partial_fill'],
        ['w3', '20', '101', '70', '0', 'fill'],
      ],
    )
    assert.match(all[0].id, /^20240102143000000::[0-9a-f-]{36}$/)
    const page1 = (await call<FillActivity[]>('GET', '/v2/account/activities/FILL?direction=asc&page_size=2')).body
    const page2 = (
      await call<FillActivity[]>(
        'GET',
        `/v2/account/activities/FILL?direction=asc&page_size=2&page_token=${page1[1].id}`,
      )
    ).body
    assert.deepEqual([...page1, ...page2], all)
    const since = (
      await call<FillActivity[]>('GET', `/v2/account/activities/FILL?direction=asc&after=2024-01-02T14:30:30Z`)
    ).body
    assert.deepEqual(
      since.map((a) => a.transaction_time),
      ['2024-01-02T14:31:00Z', '2024-01-02T14:32:00Z'],
    )
    const pos = (await call<AlpacaPosition[]>('GET', '/v2/positions')).body
    assert.deepEqual(
      pos.map((x) => [x.symbol, x.qty, x.side, x.avg_entry_price]),
      [['AAPL', '160', 'long', '100.25']],
    )
  })

  it('cancels every open order with DELETE /v2/orders (207, one entry per order)', async () => {
    await call(
      'POST',
      '/v2/orders',
      order({ client_order_id: 'k1', type: 'limit', limit_price: '50', time_in_force: 'gtc' }),
    )
    await call(
      'POST',
      '/v2/orders',
      order({ client_order_id: 'k2', type: 'limit', limit_price: '51', time_in_force: 'gtc' }),
    )
    const r = await call<{ status: number; body: AlpacaOrder }[]>('DELETE', '/v2/orders')
    assert.equal(r.status, 207)
    assert.deepEqual(
      r.body.map((x) => [x.status, x.body.client_order_id, x.body.status]),
      [
        [200, 'k1', 'canceled'],
        [200, 'k2', 'canceled'],
      ],
    )
  })

  it('refuses requests without the right keys with 403', async () => {
    const res = await fetch(`${venue.url}/v2/account`, { headers: { 'APCA-API-KEY-ID': 'kestrel' } })
    assert.equal(res.status, 403)
    assert.deepEqual(await res.json(), { code: 40310000, message: 'forbidden' })
  })
})

describe('the local Alpaca server, scheduled disconnects', () => {
  it('drops the streams every n bars; with fill-during-disconnect each drop replays one more bar', async () => {
    const v = await startTestVenue({
      faults: [
        { name: 'disconnect', trigger: { kind: 'bars', n: 2 }, params: {}, text: '' },
        { name: 'fill-during-disconnect', params: {}, text: '' },
      ],
    })
    try {
      const r = await v.admin('advance', { bars: 4 })
      // Bars 1 2 (drop, replays 3) 4 5 (drop, replays 6): four asked for, six replayed.
      assert.deepEqual(r, { advanced: 6, time: '2024-01-02T14:36:00Z', remaining: 0 })
      const stats = (await (await fetch(`${v.url}/admin/stats`)).json()) as { faults: Record<string, number> }
      assert.deepEqual(stats.faults, { disconnect: 2, 'fill-during-disconnect': 2 })
    } finally {
      await v.stop()
    }
  })
})

describe('the local Alpaca server, replaying on a clock', () => {
  it('replays one bar per --bar-interval without any admin call', async () => {
    const v = await startTestVenue({ barIntervalMs: 5 })
    try {
      const stats = async () =>
        (await (await fetch(`${v.url}/admin/stats`)).json()) as { bars: number; remaining: number; time: string }
      let s = await stats()
      const end = Date.now() + 5000
      while (s.remaining > 0 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 5))
        s = await stats()
      }
      assert.deepEqual(s, { ...s, bars: 6, remaining: 0, time: '2024-01-02T14:36:00Z' })
    } finally {
      await v.stop()
    }
  })
})
