import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { fileStem, hintsFromFileName } from './file-name.ts'

const TABLE: [string, { symbol?: string; timeframe?: string; assetClass: string; candleType?: string }][] = [
  ['data/bundled/SPY_1m.csv', { symbol: 'SPY', timeframe: '1m', assetClass: 'equity' }],
  ['SPY_1m.csv.gz', { symbol: 'SPY', timeframe: '1m', assetClass: 'equity' }],
  ['/x/BTC-USD_1d.csv', { symbol: 'BTC-USD', timeframe: '1d', assetClass: 'crypto' }],
  ['ES_F_5min.csv', { symbol: 'ES_F', timeframe: '5m', assetClass: 'equity' }],
  ['SPY_1H.parquet', { symbol: 'SPY', timeframe: '1h', assetClass: 'equity' }],
  ['eurusd.csv', { symbol: 'EURUSD', timeframe: undefined, assetClass: 'equity' }],
  // freqtrade
  ['user_data/data/binance/ETH_BTC-5m.json', { symbol: 'ETH/BTC', timeframe: '5m', assetClass: 'crypto' }],
  ['ETH_BTC-5m.json.gz', { symbol: 'ETH/BTC', timeframe: '5m', assetClass: 'crypto' }],
  ['ETH_BTC-5m.jsongz', { symbol: 'ETH/BTC', timeframe: '5m', assetClass: 'crypto' }],
  ['BTC_USDT-1h.feather', { symbol: 'BTC/USDT', timeframe: '1h', assetClass: 'crypto' }],
  ['XRP_ETH-1d.csv.gz', { symbol: 'XRP/ETH', timeframe: '1d', assetClass: 'crypto' }],
  ['BTCUSDT-15m.json', { symbol: 'BTCUSDT', timeframe: '15m', assetClass: 'crypto' }],
  ['BTC_USDT-1M.json', { symbol: 'BTC/USDT', timeframe: '1mo', assetClass: 'crypto' }],
  ['BTC_USDT-1m.json', { symbol: 'BTC/USDT', timeframe: '1m', assetClass: 'crypto' }],
  [
    'futures/ETH_USDT_USDT-1h-futures.feather',
    { symbol: 'ETH/USDT:USDT', timeframe: '1h', assetClass: 'crypto_perp', candleType: 'futures' },
  ],
  [
    'ETH_USDT_USDT-1h-mark.feather',
    { symbol: 'ETH/USDT:USDT', timeframe: '1h', assetClass: 'crypto_perp', candleType: 'mark' },
  ],
  [
    'ETH_USDT_USDT-8h-funding_rate.feather',
    { symbol: 'ETH/USDT:USDT', timeframe: '8h', assetClass: 'crypto_perp', candleType: 'funding_rate' },
  ],
  ['ETH_BTC-trades.json', { symbol: 'ETH/BTC', timeframe: undefined, assetClass: 'crypto', candleType: 'trades' }],
  ['BTC-USD-1d.csv', { symbol: 'BTC-USD', timeframe: '1d', assetClass: 'crypto' }],
  ['SPY-1m.csv', { symbol: 'SPY', timeframe: '1m', assetClass: 'equity' }],
  // backtrader / Yahoo downloads
  ['datas/orcl-1995-2014.txt', { symbol: 'ORCL', timeframe: undefined, assetClass: 'equity' }],
  ['yhoo-1996-2015.txt', { symbol: 'YHOO', timeframe: undefined, assetClass: 'equity' }],
  ['2006-day-001.txt', { symbol: undefined, timeframe: '1d', assetClass: 'equity' }],
  ['2006-min-005.txt', { symbol: undefined, timeframe: '5m', assetClass: 'equity' }],
  ['ORCL.csv', { symbol: 'ORCL', timeframe: undefined, assetClass: 'equity' }],
  ['^GSPC.csv', { symbol: '^GSPC', timeframe: undefined, assetClass: 'equity' }],
]

describe('hintsFromFileName', () => {
  for (const [name, want] of TABLE) {
    it(`reads ${name}`, () => {
      assert.deepEqual(hintsFromFileName(name), want)
    })
  }

  const sym = fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}$/)
  const tf = fc.constantFrom('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '12h', '1d', '3d', '1w')
  const ext = fc.constantFrom('.csv', '.csv.gz', '.json', '.json.gz', '.feather', '.parquet', '.txt')

  it('reads back any Kestrel name SYMBOL_TF.ext: the symbol and the timeframe, the extension in neither', () => {
    fc.assert(
      fc.property(sym, fc.option(sym, { nil: undefined }), tf, ext, (a, b, t, e) => {
        const symbol = b ? `${a}-${b}` : a
        const h = hintsFromFileName(`dir/${symbol}_${t}${e}`)
        assert.equal(h.symbol, symbol)
        assert.equal(h.timeframe, t)
      }),
    )
  })

  it('reads back any freqtrade name BASE_QUOTE[_SETTLE]-TF[-futures].ext as the pair BASE/QUOTE[:SETTLE] on 24/7', () => {
    fc.assert(
      fc.property(sym, sym, fc.option(sym, { nil: undefined }), tf, ext, (base, quote, settle, t, e) => {
        const file = settle ? `${base}_${quote}_${settle}-${t}-futures${e}` : `${base}_${quote}-${t}${e}`
        const h = hintsFromFileName(file)
        assert.equal(h.symbol, settle ? `${base}/${quote}:${settle}` : `${base}/${quote}`)
        assert.equal(h.timeframe, t)
        assert.equal(h.assetClass, settle ? 'crypto_perp' : 'crypto')
      }),
    )
  })

  it('never puts a known extension into the symbol, whatever the name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/), ext, (stem, e) => {
        const h = hintsFromFileName(`${stem}${e}`)
        if (h.symbol === undefined) return
        assert.doesNotMatch(h.symbol, /\.(CSV|GZ|JSON|FEATHER|PARQUET|TXT)$/, `${stem}${e} → ${h.symbol}`)
        if (h.timeframe) assert.ok(!h.symbol.endsWith(`_${h.timeframe.toUpperCase()}`), `${stem}${e} → ${h.symbol}`)
      }),
    )
  })

  it('strips every stacked extension and nothing of a dotted stem', () => {
    assert.equal(fileStem('a/b/ETH_BTC-5m.json.gz'), 'ETH_BTC-5m')
    assert.equal(fileStem('BRK.B_1d.csv'), 'BRK.B_1d')
    assert.equal(hintsFromFileName('BRK.B_1d.csv').symbol, 'BRK.B')
  })
})
