/**
 * What a file name says about its contents. Four conventions are read; the extension (`.csv`, `.csv.gz`,
 * `.json`, `.feather`, …) and the timeframe never end up in the symbol:
 * - Kestrel's `SYMBOL_TF.ext`: `SPY_1m.csv` → SPY, 1m; `BTC-USD_1d.csv` → BTC-USD, 1d, crypto.
 * - freqtrade's `PAIR-TF[-CANDLE].ext`, the pair's `/` and `:` written `_`: `ETH_BTC-5m.json` → ETH/BTC, 5m,
 *   crypto; `ETH_USDT_USDT-1h-futures.feather` → ETH/USDT:USDT, 1h, crypto_perp; `ETH_BTC-trades.json` is a
 *   trades file (candle type `trades`, no timeframe). freqtrade's `1M` is a month (`1mo`), `1m` a minute.
 * - backtrader's and Yahoo downloads' `name-YYYY-YYYY.txt`: `orcl-1995-2014.txt` → ORCL; backtrader's sample
 *   `2006-day-001.txt` → 1d and `2006-min-005.txt` → 5m, with no symbol.
 * - anything else: the stem is the symbol (`eurusd.csv` → EURUSD).
 */
import { basename } from 'node:path'
import type { AssetClass } from '../../core/index.ts'

/** Symbol and timeframe read from a file name, and a guess at the asset class. */
export interface FileNameHints {
  readonly symbol?: string
  readonly timeframe?: string
  readonly assetClass: AssetClass
  /**
   * freqtrade's candle type when the name carries one: `futures`, `mark`, `index`, `premiumIndex`,
   * `funding_rate`, or `trades` for a trades file. Absent for spot candles and the other conventions.
   */
  readonly candleType?: string
}

/** Extensions stripped from the end of a name, repeatedly (`x.csv.gz` → `x`). */
const EXTENSION = /\.(csv|txt|tsv|gz|gzip|json|jsongz|feather|arrow|ipc|parquet|pq)$/i
const CRYPTO_QUOTES = /[-/_](USD|USDT|USDC|BUSD|FDUSD|BTC|ETH|EUR)$/i
/** Kestrel's timeframe suffix: `1m`, `5min`, `1h`, `1d`, `1w`, `1M` (a month). */
const TF = /^(\d+)(s|min|m|h|d|w|M|mo)$/i
/** freqtrade's timeframes (`1m` … `1w`, `1M` a month). */
const FREQTRADE = /^(.+)-(\d+)(s|m|h|d|w|M)(?:-(futures|mark|index|premiumIndex|funding_rate))?$/
const FREQTRADE_TRADES = /^(.+)-trades(?:-(futures))?$/
const YEAR_RANGE = /^(.+?)-(\d{4})-(\d{4})$/
const BACKTRADER_SAMPLE = /^\d{4}-(day|week|min)-(\d{3})$/i

/** `5`, `min` → `5m`; `1`, `M` → `1mo` (an upper-case M alone is a month); `1`, `H` → `1h`. */
function timeframeOf(count: string, unit: string): string {
  const n = String(Number(count))
  if (unit === 'M' || unit.toLowerCase() === 'mo') return `${n}mo`
  const u = unit.toLowerCase()
  return `${n}${u === 'min' ? 'm' : u}`
}

/** freqtrade's file pair (`ETH_USDT_USDT`) as the pair it names (`ETH/USDT:USDT`). */
function freqtradePair(filePair: string): string {
  const parts = filePair.split('_')
  if (parts.length === 2 && parts[0] && parts[1]) return `${parts[0]}/${parts[1]}`
  if (parts.length === 3 && parts.every(Boolean)) return `${parts[0]}/${parts[1]}:${parts[2]}`
  return filePair
}

function guessClass(symbol: string | undefined): AssetClass {
  if (!symbol) return 'equity'
  if (/^[^/]+\/[^:]+:.+$/.test(symbol)) return 'crypto_perp'
  if (symbol.includes('/') || CRYPTO_QUOTES.test(symbol)) return 'crypto'
  return 'equity'
}

/** The stem of `path`: its base name without any of the known extensions. */
export function fileStem(path: string): string {
  let stem = basename(path)
  for (let next = stem.replace(EXTENSION, ''); next !== stem && next !== ''; next = stem.replace(EXTENSION, ''))
    stem = next
  return stem
}

/** Reads symbol, timeframe and asset class from a file name; see the conventions above. */
export function hintsFromFileName(path: string): FileNameHints {
  const stem = fileStem(path)
  const parts = stem.split('_')
  const last = parts.at(-1)!
  const tf = parts.length >= 2 ? TF.exec(last) : null
  if (tf && parts.slice(0, -1).join('_')) {
    const symbol = parts.slice(0, -1).join('_').toUpperCase()
    return { symbol, timeframe: timeframeOf(tf[1]!, tf[2]!), assetClass: guessClass(symbol) }
  }
  const ft = FREQTRADE.exec(stem)
  if (ft) {
    const symbol = freqtradePair(ft[1]!).toUpperCase()
    const candle = ft[4]
    const assetClass: AssetClass = candle === 'futures' || symbol.includes(':') ? 'crypto_perp' : guessClass(symbol)
    return {
      symbol,
      timeframe: timeframeOf(ft[2]!, ft[3]!),
      assetClass: assetClass === 'equity' && /\.(json|jsongz|feather)(\.gz)?$/i.test(path) ? 'crypto' : assetClass,
      ...(candle ? { candleType: candle } : {}),
    }
  }
  const trades = FREQTRADE_TRADES.exec(stem)
  if (trades) {
    const symbol = freqtradePair(trades[1]!).toUpperCase()
    const assetClass = trades[2] || symbol.includes(':') ? 'crypto_perp' : 'crypto'
    return { symbol, timeframe: undefined, assetClass, candleType: 'trades' }
  }
  const sample = BACKTRADER_SAMPLE.exec(stem)
  if (sample) {
    const unit = sample[1]!.toLowerCase()
    const n = Number(sample[2])
    const timeframe = unit === 'day' ? '1d' : unit === 'week' ? '1w' : `${n}m`
    return { symbol: undefined, timeframe, assetClass: 'equity' }
  }
  const years = YEAR_RANGE.exec(stem)
  const symbol = (years ? years[1]! : stem).toUpperCase() || undefined
  return { symbol, timeframe: undefined, assetClass: guessClass(symbol) }
}
