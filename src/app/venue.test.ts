import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../core/index.ts'
import { serveVenue } from './venue.ts'

describe('serveVenue', () => {
  it('serves the bundled SPY minute bars by default, on 127.0.0.1', async () => {
    const v = await serveVenue({ protocol: 'alpaca', port: 0 })
    try {
      assert.deepEqual(
        v.instruments.map((i) => i.id),
        ['SPY.ALPACA'],
      )
      assert.ok(v.bars > 1000)
      assert.equal(v.address.url, `http://127.0.0.1:${v.address.port}`)
      const res = await fetch(`${v.address.url}/v2/account`, {
        headers: { 'APCA-API-KEY-ID': 'kestrel', 'APCA-API-SECRET-KEY': 'kestrel' },
      })
      assert.equal(((await res.json()) as { cash: string }).cash, '100000')
    } finally {
      await v.stop()
    }
  })

  it('refuses an unknown protocol, a bad fault spec and a participation outside (0, 1] before listening', async () => {
    await assert.rejects(serveVenue({ protocol: 'ib' }), (e: unknown) => isKestrelError(e, 'USAGE'))
    await assert.rejects(
      serveVenue({ protocol: 'alpaca', faults: 'reorder@p=2' }),
      (e: unknown) => isKestrelError(e, 'SPEC_INVALID') && e.details.part === 'reorder@p=2',
    )
    await assert.rejects(serveVenue({ protocol: 'alpaca', participation: 1.5 }), (e: unknown) =>
      isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
