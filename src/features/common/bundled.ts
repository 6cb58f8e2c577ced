/**
 * Reads a bundled CSV (`data/bundled/*.csv`: timestamp,open,high,low,close,volume) into a BarSeries.
 * For tests and examples only: the data layer owns real ingestion and validation.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { KestrelError, allocBarSeries, parseTimeframe, type BarSeries } from '../../core/index.ts'

/** Absolute path of a bundled data file, e.g. `SPY_1m`. */
export function bundledPath(name: string): string {
  return fileURLToPath(new URL(`../../../data/bundled/${name}.csv`, import.meta.url))
}

/** Parses OHLCV CSV text with a header row; `timeframe` sets closeTime = openTime + its length. */
export function parseOhlcvCsv(text: string, instrumentId: string, timeframe: string, source = instrumentId): BarSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = lines[0]?.split(',').map((h) => h.trim().toLowerCase()) ?? []
  const idx = ['timestamp', 'open', 'high', 'low', 'close', 'volume'].map((c) => header.indexOf(c))
  if (idx.some((i) => i < 0))
    throw new KestrelError('DATA_BAD_FILE', `${source}: header must have timestamp,open,high,low,close,volume`, {
      header,
    })
  const tf = parseTimeframe(timeframe).ms
  const s = allocBarSeries(instrumentId, timeframe, lines.length - 1)
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',')
    const t = Date.parse(cells[idx[0]!]!)
    const nums = idx.slice(1).map((i) => Number(cells[i]))
    if (!Number.isFinite(t) || nums.some((v) => !Number.isFinite(v)))
      throw new KestrelError('DATA_BAD_ROW', `${source} line ${r + 1}: not a valid OHLCV row: ${lines[r]}`, {
        line: r + 1,
      })
    const i = r - 1
    s.openTime[i] = t
    s.closeTime[i] = t + tf
    s.open[i] = nums[0]!
    s.high[i] = nums[1]!
    s.low[i] = nums[2]!
    s.close[i] = nums[3]!
    s.volume[i] = nums[4]!
  }
  return s
}

/** Loads `data/bundled/<name>.csv`; the timeframe is taken from the suffix (`SPY_1m` → `1m`). */
export function loadBundled(name: string): BarSeries {
  const tf = name.slice(name.lastIndexOf('_') + 1)
  return parseOhlcvCsv(readFileSync(bundledPath(name), 'utf8'), name.slice(0, name.lastIndexOf('_')), tf, name)
}

/** Names of the bundled series. */
export const BUNDLED = [
  'BTC-USD_1m',
  'ETH-USD_1m',
  'SPY_1m',
  'IBM_1m',
  'BAC_1m',
  'AAPL_1m',
  'SPY_1d',
  'AAPL_1d',
] as const
