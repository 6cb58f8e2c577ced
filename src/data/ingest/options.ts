/** How to read and check one file, and the calendar its gap check uses. */
import { KestrelError, makeInstrument, parseAnyTimeframe } from '../../core/index.ts'
import type { AssetClass, BarSeries, Instrument } from '../../core/index.ts'
import { getCalendar, type TradingCalendar } from '../calendars/index.ts'
import { hintsFromFileName } from './file-name.ts'

/** How to read and check one file. Unset fields come from the file name (`SPY_1m.csv`) and the data. */
export interface ImportOptions {
  readonly symbol?: string
  readonly venue?: string
  readonly assetClass?: AssetClass
  readonly timeframe?: string
  readonly timezone?: string
  readonly stampedAt?: 'open' | 'close'
  /** Calendar id for the gap check; default from the instrument (NYSE data with extended hours → NYSE_EXT). */
  readonly calendar?: string
  readonly outlierZ?: number
  readonly rangeZ?: number
  /** Called as work advances. */
  readonly onProgress?: (p: ImportProgress) => void
}

/** Progress of one file. */
export interface ImportProgress {
  readonly phase: 'parse' | 'validate' | 'store' | 'done'
  readonly done: number
  readonly total: number
}

/** freqtrade candle types that are not the pair's traded prices: stored under the pair's name they would mix. */
const OTHER_SERIES: Readonly<Record<string, string>> = {
  mark: 'mark prices',
  index: 'index prices',
  premiumIndex: 'premium index values',
  funding_rate: 'funding rates',
}

/**
 * The instrument and timeframe of the file at `path`: the options, else what its name says
 * ({@link hintsFromFileName}). USAGE when the name gives no symbol, names a trades file, or names a series
 * other than the pair's prices (freqtrade's `-mark`, `-funding_rate`, …) and no symbol was given.
 */
export function fileInstrument(path: string, opts: ImportOptions): { instrument: Instrument; timeframe?: string } {
  const hints = hintsFromFileName(path)
  if (hints.candleType === 'trades')
    throw new KestrelError(
      'USAGE',
      `${path}: a freqtrade trades file (one row per trade), not bars; convert it to candles first (freqtrade trades-to-ohlcv)`,
      { path },
    )
  const other = hints.candleType ? OTHER_SERIES[hints.candleType] : undefined
  if (other && !opts.symbol)
    throw new KestrelError(
      'USAGE',
      `${path}: holds ${other} of ${hints.symbol}, not its traded prices; pass --symbol to store them under a name of their own`,
      { path, candleType: hints.candleType },
    )
  const symbol = opts.symbol ?? hints.symbol
  if (!symbol)
    throw new KestrelError('USAGE', `${path}: cannot tell the symbol from the file name; pass --symbol`, { path })
  const instrument = makeInstrument({
    symbol,
    venue: opts.venue ?? 'CSV',
    assetClass: opts.assetClass ?? hints.assetClass,
  })
  const timeframe = opts.timeframe ?? hints.timeframe
  if (timeframe) parseAnyTimeframe(timeframe)
  return { instrument, timeframe }
}

/**
 * The gap-check calendar. NYSE intraday data whose pre/post-market minutes are at least a quarter covered is
 * checked against NYSE_EXT; data with only a few stray extended-hours bars against regular hours (NYSE).
 * Coverage counts the extended-hours minutes of the sessions that have bars, from a sample of at most 20,000
 * rows, not of every day between the first and the last bar (a mistyped year would make that centuries).
 */
export function pickCalendar(id: string | undefined, inst: Instrument, s: BarSeries): TradingCalendar | undefined {
  if (id) return getCalendar(id)
  if (s.timeframe === 'unknown') return undefined
  const cal = getCalendar(inst.calendar)
  const tf = parseAnyTimeframe(s.timeframe)
  const n = s.openTime.length
  if (cal.id !== 'NYSE' || tf.unit === 'mo' || tf.ms >= 86_400_000 || n === 0) return cal
  const tfMs = tf.ms
  const ext = getCalendar('NYSE_EXT')
  const step = Math.max(1, Math.floor(n / 20_000))
  const seen = new Set<string>()
  let extSlots = 0
  let extBars = 0
  for (let i = 0; i < n; i += step) {
    const t = s.openTime[i]!
    const es = Number.isFinite(t) ? ext.sessionAt(t) : undefined
    if (!es) continue
    if (!cal.isOpen(t)) extBars += step
    if (seen.has(es.date)) continue
    seen.add(es.date)
    let regular = 0
    for (const r of cal.sessions(es.open, es.close)) regular += Math.min(r.close, es.close) - Math.max(r.open, es.open)
    extSlots += (es.close - es.open - regular) / tfMs
  }
  return extSlots > 0 && extBars / extSlots >= 0.25 ? ext : cal
}
