/** The real market data shipped in `data/bundled/` (provenance in its SOURCES.md), as import specs. */
import type { AssetClass } from '../../core/index.ts'

/** One bundled file and the instrument it belongs to. */
export interface BundledDataset {
  readonly file: string
  readonly symbol: string
  readonly venue: string
  readonly assetClass: AssetClass
  readonly timeframe: string
}

/** Every bundled file. Instrument ids are `SYMBOL.VENUE`, e.g. `AAPL.NASDAQ`, `BTC-USD.COINBASE`. */
export const BUNDLED_DATASETS: readonly BundledDataset[] = [
  { file: 'BTC-USD_1m.csv', symbol: 'BTC-USD', venue: 'COINBASE', assetClass: 'crypto', timeframe: '1m' },
  { file: 'ETH-USD_1m.csv', symbol: 'ETH-USD', venue: 'COINBASE', assetClass: 'crypto', timeframe: '1m' },
  { file: 'SPY_1m.csv', symbol: 'SPY', venue: 'ARCA', assetClass: 'etf', timeframe: '1m' },
  { file: 'IBM_1m.csv', symbol: 'IBM', venue: 'NYSE', assetClass: 'equity', timeframe: '1m' },
  { file: 'BAC_1m.csv', symbol: 'BAC', venue: 'NYSE', assetClass: 'equity', timeframe: '1m' },
  { file: 'AAPL_1m.csv', symbol: 'AAPL', venue: 'NASDAQ', assetClass: 'equity', timeframe: '1m' },
  { file: 'SPY_1d.csv', symbol: 'SPY', venue: 'ARCA', assetClass: 'etf', timeframe: '1d' },
  { file: 'AAPL_1d.csv', symbol: 'AAPL', venue: 'NASDAQ', assetClass: 'equity', timeframe: '1d' },
]
