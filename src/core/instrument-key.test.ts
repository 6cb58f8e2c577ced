import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { KestrelError } from './errors.ts'
import { findInstrument, nearInstrumentNames } from './instrument-key.ts'

const STORED = [
  { id: 'SPY.ARCA', symbol: 'SPY' },
  { id: 'SPY.SIM', symbol: 'SPY' },
  { id: 'AAPL.XNAS', symbol: 'AAPL' },
  { id: 'BTC-USD.COINBASE', symbol: 'BTC-USD' },
]

describe('findInstrument', () => {
  it('takes an id as is, and a bare symbol held by one instrument, case aside', () => {
    assert.equal(findInstrument('SPY.SIM', STORED).id, 'SPY.SIM')
    assert.equal(findInstrument('aapl', STORED).id, 'AAPL.XNAS')
    assert.equal(findInstrument('btc-usd.coinbase', STORED).id, 'BTC-USD.COINBASE')
  })
  it('refuses a symbol of several venues with USAGE listing the candidates', () => {
    assert.throws(
      () => findInstrument('spy', STORED),
      (e: unknown) =>
        e instanceof KestrelError &&
        e.code === 'USAGE' &&
        /symbol spy is ambiguous, the store has it under several venues: SPY\.ARCA, SPY\.SIM; pass the instrument id/.test(
          e.message,
        ) &&
        JSON.stringify(e.details.candidates) === '["SPY.ARCA","SPY.SIM"]',
    )
  })
  it('refuses an unknown name with DATA_NOT_FOUND naming the near ones and all', () => {
    assert.throws(
      () => findInstrument('AAPX', STORED, { hint: 'see kestrel data ls' }),
      (e: unknown) =>
        e instanceof KestrelError &&
        e.code === 'DATA_NOT_FOUND' &&
        e.message ===
          'no instrument "AAPX" in the store (near: AAPL.XNAS); the store has AAPL.XNAS, BTC-USD.COINBASE, SPY.ARCA, SPY.SIM (see kestrel data ls)',
    )
    assert.throws(
      () => findInstrument('X', [], { where: 'backtest.swap.X', among: 'this backtest', code: 'CONFIG_INVALID' }),
      (e: unknown) =>
        e instanceof KestrelError &&
        e.code === 'CONFIG_INVALID' &&
        e.message === 'backtest.swap.X: no instrument "X" in this backtest; this backtest has no instrument',
    )
  })
  it('finds every instrument by its id and by its symbol when that symbol is unique', () => {
    const name = fc.stringMatching(/^[A-Z]{1,5}$/)
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, fc.constantFrom('ARCA', 'SIM', 'XNAS')), { minLength: 1 }), (pairs) => {
        const all = [...new Map(pairs.map(([s, v]) => [`${s}.${v}`, { id: `${s}.${v}`, symbol: s }])).values()]
        for (const i of all) {
          assert.equal(findInstrument(i.id, all), i)
          const same = all.filter((j) => j.symbol === i.symbol)
          if (same.length === 1) assert.equal(findInstrument(i.symbol.toLowerCase(), all), i)
          else assert.throws(() => findInstrument(i.symbol, all), /ambiguous/)
        }
      }),
    )
  })
})

describe('nearInstrumentNames', () => {
  it('lists names within a few edits or containing the key, nearest first', () => {
    assert.deepEqual(nearInstrumentNames('SPYY', STORED), ['SPY.ARCA', 'SPY.SIM'])
    assert.deepEqual(nearInstrumentNames('BTC', STORED), ['BTC-USD.COINBASE'])
    assert.deepEqual(nearInstrumentNames('QQQ', STORED), [])
  })
})
