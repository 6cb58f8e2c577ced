/** The history ring of a feed: `history(n)` is the last n bars pushed, oldest first, across wrap-arounds. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { makeInstrument, type Bar } from '../core/index.ts'
import { Portfolio } from '../portfolio/index.ts'
import { FeedState } from './feed.ts'

const inst = makeInstrument({ symbol: 'X', venue: 'SIM', assetClass: 'equity' })

describe('FeedState history', () => {
  it('property: history(n) equals the last min(n, pushed) bars for any capacity and count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 70 }), fc.nat(25), (cap, pushed, n0) => {
        const f = new FeedState(inst, '1m', new Portfolio({ cash: 1 }).book(inst), cap)
        const bars: Bar[] = []
        for (let k = 0; k < pushed; k++) {
          const b: Bar = {
            instrumentId: inst.id,
            timeframe: '1m',
            openTime: k * 60_000,
            closeTime: (k + 1) * 60_000,
            open: k + 0.1,
            high: k + 0.4,
            low: k,
            close: k + 0.2,
            volume: k * 10,
          }
          bars.push(b)
          f.push(b)
        }
        const n = Math.min(n0, cap)
        const h = f.history(n)
        const want = bars.slice(Math.max(0, pushed - n))
        assert.equal(h.close.length, want.length)
        want.forEach((b, j) => {
          assert.deepEqual(
            [h.openTime[j], h.closeTime[j], h.open[j], h.high[j], h.low[j], h.close[j], h.volume[j]],
            [b.openTime, b.closeTime, b.open, b.high, b.low, b.close, b.volume],
          )
        })
      }),
    )
  })

  it('refuses more bars than it keeps, and a bad count', () => {
    const f = new FeedState(inst, '1m', new Portfolio({ cash: 1 }).book(inst), 5)
    assert.throws(() => f.history(6), /only 5 bars are kept; raise historySize/)
    assert.throws(() => f.history(-1), /expected an integer >= 0/)
    assert.throws(() => f.history(1.5), /expected an integer >= 0/)
  })
})
