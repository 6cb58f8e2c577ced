import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { decimalsOf, makeInstrument, roundPrice, roundQuantity } from './instrument.ts'

describe('instrument rounding', () => {
  const eq = makeInstrument({ symbol: 'AAPL', venue: 'NASDAQ', assetClass: 'equity' })
  const btc = makeInstrument({
    symbol: 'BTC-USD',
    venue: 'COINBASE',
    assetClass: 'crypto',
    tickSize: 0.01,
    lotSize: 0.0001,
  })

  it('derives precision from increments', () => {
    assert.equal(decimalsOf(0.01), 2)
    assert.equal(decimalsOf(0.0005), 4)
    assert.equal(decimalsOf(1), 0)
    assert.equal(btc.currency, 'USD')
    assert.equal(btc.baseCurrency, 'BTC')
    assert.equal(btc.sizePrecision, 4)
  })

  it('rounds prices to the tick without binary artefacts', () => {
    assert.equal(roundPrice(eq, 0.1 + 0.2), 0.3)
    assert.equal(roundPrice(eq, 101.005), 101.01)
    assert.equal(roundPrice(eq, 101.019, 'down'), 101.01)
    assert.equal(roundPrice(eq, 101.011, 'up'), 101.02)
  })

  it('rounds quantities toward zero to the lot', () => {
    assert.equal(roundQuantity(btc, 0.12349), 0.1234)
    assert.equal(roundQuantity(btc, -0.12349), -0.1234)
    assert.equal(roundQuantity(eq, 10.99), 10)
  })

  it('a rounded price is always a whole number of ticks and within half a tick', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (p) => {
        const r = roundPrice(eq, p)
        assert.ok(Math.abs(r - p) <= 0.005 + 1e-9)
        assert.ok(Math.abs(r * 100 - Math.round(r * 100)) < 1e-6)
      }),
    )
  })
})
