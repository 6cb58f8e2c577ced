/**
 * Instruments quoted in another currency than the account's: refused without a conversion, exact in the quote
 * currency's account, and converted at every fill and mark with an FX series (the last FX bar closed by then).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError, makeInstrument, type BarSeries } from '../core/index.ts'
import { runBacktest, type BacktestOptions } from './backtest-runner.ts'
import { scriptedStrategy } from './testing.ts'

const M = 60_000
const T0 = Date.UTC(2018, 3, 4)
const ethBtc = makeInstrument({ symbol: 'ETH-BTC', venue: 'SIM', assetClass: 'crypto' })

function series(instrumentId: string, opens: number[], closes: number[]): BarSeries {
  const n = opens.length
  const col = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i))
  return {
    instrumentId,
    timeframe: '1m',
    openTime: col((i) => T0 + i * M),
    closeTime: col((i) => T0 + (i + 1) * M),
    open: col((i) => opens[i]!),
    high: col((i) => Math.max(opens[i]!, closes[i]!)),
    low: col((i) => Math.min(opens[i]!, closes[i]!)),
    close: col((i) => closes[i]!),
    volume: col(() => 1e6),
  }
}

// ETH priced in BTC; the decision at bar 0's close fills at bar 1's open (0.06), the one at bar 2's at bar 3's (0.08).
const eth = series(ethBtc.id, [0.05, 0.06, 0.07, 0.08, 0.08], [0.05, 0.06, 0.07, 0.08, 0.09])
// BTC priced in USD, bars on the same minutes.
const btcUsd = series('BTCUSD.FX', [9_000, 10_500, 11_500, 12_500, 13_500], [10_000, 11_000, 12_000, 13_000, 14_000])

const options = (over: Partial<BacktestOptions> = {}): BacktestOptions => ({
  instruments: [ethBtc],
  feeds: [{ instrumentId: ethBtc.id, timeframe: '1m', data: eth }],
  strategies: [
    {
      definition: scriptedStrategy([
        { bar: 0, make: (o, id) => o.market(id, 'BUY', 10) },
        { bar: 2, make: (o, id) => o.market(id, 'SELL', 10) },
      ]),
    },
  ],
  account: { cash: 100_000, type: 'cash' },
  fees: { type: 'percent', takerRate: 0.001, makerRate: 0.001 },
  ...over,
})

describe('instruments quoted in another currency than the account', () => {
  it('refuses ETH-BTC on a USD account without an FX series, naming both currencies and the fixes', async () => {
    await assert.rejects(
      () => runBacktest(options()),
      (e: unknown) =>
        isKestrelError(e, 'CURRENCY_MISMATCH') &&
        /ETH-BTC\.SIM is quoted in BTC, the account in USD/.test(e.message) &&
        /--currency BTC/.test(e.message) &&
        /fx/.test(e.message) &&
        e.details.quoteCurrency === 'BTC' &&
        e.details.accountCurrency === 'USD',
    )
  })

  it('books BTC prices as BTC on a BTC account', async () => {
    const r = await runBacktest(options({ account: { cash: 10, type: 'cash', currency: 'BTC' } }))
    assert.deepEqual(
      r.fills.map((f) => [f.side, f.price, f.fee]),
      [
        ['BUY', 0.06, 0.0006],
        ['SELL', 0.08, 0.0008],
      ],
    )
    // 10 − 0.6 − 0.0006 + 0.8 − 0.0008
    assert.ok(Math.abs(r.finalEquity - 10.1986) < 1e-12, String(r.finalEquity))
    assert.ok(Math.abs(r.feesPaid - 0.0014) < 1e-15)
    assert.ok(Math.abs(r.trades[0]!.pnl - 0.1986) < 1e-12)
  })

  it('converts fills, fees and equity at the last FX close before each one (hand-computed)', async () => {
    const r = await runBacktest(
      options({ fx: [{ currency: 'BTC', feed: { instrumentId: 'BTCUSD.FX', timeframe: '1m', data: btcUsd } }] }),
    )
    assert.equal(r.fills.length, 2)
    // Buy at 0.06 BTC, stamped at bar 1's open: the FX bar closed then is bar 0 (10 000 USD).
    //   cost (10 × 0.06 + 0.0006) × 10 000 = 6 006 USD
    // Sell at 0.08 BTC at bar 3's open: FX bar 2 closed then (12 000 USD).
    //   proceeds (10 × 0.08 − 0.0008) × 12 000 = 9 590.4 USD
    const pnl = 9_590.4 - 6_006
    assert.ok(Math.abs(r.finalEquity - (100_000 + pnl)) < 1e-9, String(r.finalEquity))
    assert.ok(Math.abs(r.feesPaid - (0.0006 * 10_000 + 0.0008 * 12_000)) < 1e-9, String(r.feesPaid))
    // While long 10 ETH, equity marks at the ETH close × the BTC close of the same minute.
    const at = (t: number) => r.equity.value[Array.from(r.equity.time).indexOf(t)]!
    // After bar 2 (ETH 0.07, BTC 12 000): cash 100 000 − 6 006 + 10 × 0.07 × 12 000.
    assert.ok(Math.abs(at(T0 + 3 * M) - (100_000 - 6_006 + 8_400)) < 1e-9, String(at(T0 + 3 * M)))
  })

  it('refuses an order before the FX series has a closed bar', async () => {
    const late = series('BTCUSD.FX', [10_000, 11_000], [10_000, 11_000])
    late.openTime.set([T0 + 3 * M, T0 + 4 * M])
    late.closeTime.set([T0 + 4 * M, T0 + 5 * M])
    const r = await runBacktest(
      options({ fx: [{ currency: 'BTC', feed: { instrumentId: 'BTCUSD.FX', timeframe: '1m', data: late } }] }),
    )
    const first = r.orders.find((o) => o.side === 'BUY')!
    assert.equal(first.status, 'REJECTED')
    assert.match(first.rejectReason ?? '', /no BTCUSD rate known yet/)
    assert.equal(r.fills.length, 0)
  })
})
