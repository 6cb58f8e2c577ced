/** What a file name says about its contents: `SPY_1m.csv` → SPY, 1m; `BTC-USD_1d.csv` → BTC-USD, 1d, crypto. */
import { basename } from 'node:path'
import type { AssetClass } from '../../core/index.ts'

/** Symbol and timeframe read from a file name, and a guess at the asset class. */
export interface FileNameHints {
  readonly symbol?: string
  readonly timeframe?: string
  readonly assetClass: AssetClass
}

const CRYPTO_QUOTES = /[-/_](USD|USDT|USDC|BTC|ETH|EUR)$/i
const TF = /^(\d+)(s|m|min|h|d|w)$/i

/** Reads `SYMBOL_TF.ext` / `SYMBOL-TF.ext` / `SYMBOL.ext`; the asset class is crypto for pairs like BTC-USD. */
export function hintsFromFileName(path: string): FileNameHints {
  const stem = basename(path).replace(/\.(csv|txt|tsv|gz|parquet)$/gi, '')
  const parts = stem.split('_')
  let symbol: string | undefined = stem
  let timeframe: string | undefined
  if (parts.length >= 2 && TF.test(parts.at(-1)!)) {
    const m = TF.exec(parts.at(-1)!)!
    const unit = m[2]!.toLowerCase() === 'min' ? 'm' : m[2]!.toLowerCase()
    timeframe = `${m[1]}${unit}`
    symbol = parts.slice(0, -1).join('_')
  }
  if (!symbol) symbol = undefined
  const assetClass: AssetClass = symbol && CRYPTO_QUOTES.test(symbol) ? 'crypto' : 'equity'
  return { symbol: symbol?.toUpperCase(), timeframe, assetClass }
}
