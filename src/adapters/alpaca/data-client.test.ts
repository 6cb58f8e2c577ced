import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Bar } from '../../core/index.ts'
import { AlpacaDataClient } from './data-client.ts'
import { BAR_ROWS, startTestVenue, until, type TestVenue } from './testing.ts'

const venues: TestVenue[] = []
after(async () => {
  for (const v of venues) await v.stop()
})

describe('AlpacaDataClient against the local market-data stream', () => {
  it('streams the replayed bars of a subscription, and resubscribes after a disconnect', async () => {
    const venue = await startTestVenue()
    venues.push(venue)
    const ups: boolean[] = []
    const c = new AlpacaDataClient({
      url: `${venue.url.replace('http', 'ws')}/v2/iex`,
      keyId: 'kestrel',
      secretKey: 'kestrel',
      reconnect: { baseDelayMs: 10, maxDelayMs: 50 },
    })
    c.onConnection((up) => ups.push(up))
    const bars: Bar[] = []
    c.subscribeBars('AAPL.ALPACA', '1m', (b) => bars.push(b))
    await c.connect()
    await venue.admin('advance', { bars: 2 })
    await until(() => bars.length === 2, 'two bars')
    const [o, h, l, cl, v] = BAR_ROWS[1]!
    assert.deepEqual(bars[1], {
      instrumentId: 'AAPL.ALPACA',
      timeframe: '1m',
      openTime: Date.parse('2024-01-02T14:31:00Z'),
      closeTime: Date.parse('2024-01-02T14:32:00Z'),
      open: o,
      high: h,
      low: l,
      close: cl,
      volume: v,
    })
    await venue.admin('disconnect')
    await until(() => ups.length === 3, 'the reconnect')
    assert.deepEqual(ups, [true, false, true])
    await venue.admin('advance', { bars: 1 })
    await until(() => bars.length === 3, 'the bar after the reconnect')
    assert.equal(bars[2]!.open, BAR_ROWS[2]![0])
    await c.disconnect()
  })

  it('refuses bad keys: connect rejects with VENUE_UNAVAILABLE naming the error', async () => {
    const venue = await startTestVenue()
    venues.push(venue)
    const c = new AlpacaDataClient({
      url: `${venue.url.replace('http', 'ws')}/v2/iex`,
      keyId: 'kestrel',
      secretKey: 'no',
    })
    await assert.rejects(c.connect(), /error 402: auth failed/)
  })
})
