/**
 * Market data. A bar is stamped with its open and close time and is seen only at its close (no look-ahead).
 * Batch work uses the columnar {@link BarSeries}; event-driven work uses {@link Bar} objects.
 */
import type { EpochMs } from './time.ts'

/** One OHLCV bar of one instrument. */
export interface Bar {
  readonly instrumentId: string
  /** Bar length, e.g. `1m`. */
  readonly timeframe: string
  readonly openTime: EpochMs
  /** End of the bar's interval (exclusive); the bar becomes visible at this time. */
  readonly closeTime: EpochMs
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
}

/** Best bid and offer at a time. */
export interface Quote {
  readonly instrumentId: string
  readonly time: EpochMs
  readonly bid: number
  readonly ask: number
  readonly bidSize: number
  readonly askSize: number
}

/** One trade print. `aggressor` is the side that took liquidity, when the venue says. */
export interface TradeTick {
  readonly instrumentId: string
  readonly time: EpochMs
  readonly price: number
  readonly size: number
  readonly aggressor?: 'BUY' | 'SELL'
  readonly tradeId?: string
}

/**
 * Columnar bars: one typed array per field, all of the same length, sorted by `openTime`.
 * This is the shape every batch kernel (indicators, resampling, vectorised backtests) works on.
 */
export interface BarSeries {
  readonly instrumentId: string
  readonly timeframe: string
  readonly openTime: Float64Array
  readonly closeTime: Float64Array
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  readonly volume: Float64Array
}

/** Allocates an empty series of `n` bars. */
export function allocBarSeries(instrumentId: string, timeframe: string, n: number): BarSeries {
  return {
    instrumentId,
    timeframe,
    openTime: new Float64Array(n),
    closeTime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
}

/** Number of bars in a series. */
export function seriesLength(s: BarSeries): number {
  return s.openTime.length
}

/** The i-th bar of a series as an object. */
export function barAt(s: BarSeries, i: number): Bar {
  return {
    instrumentId: s.instrumentId,
    timeframe: s.timeframe,
    openTime: s.openTime[i]!,
    closeTime: s.closeTime[i]!,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close: s.close[i]!,
    volume: s.volume[i]!,
  }
}

/** Builds a series from bar objects (same instrument and timeframe). */
export function toBarSeries(bars: readonly Bar[], instrumentId?: string, timeframe?: string): BarSeries {
  const s = allocBarSeries(
    instrumentId ?? bars[0]?.instrumentId ?? '',
    timeframe ?? bars[0]?.timeframe ?? '',
    bars.length,
  )
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!
    s.openTime[i] = b.openTime
    s.closeTime[i] = b.closeTime
    s.open[i] = b.open
    s.high[i] = b.high
    s.low[i] = b.low
    s.close[i] = b.close
    s.volume[i] = b.volume
  }
  return s
}

/** A view of bars [start, end) sharing memory with `s`. */
export function sliceSeries(s: BarSeries, start: number, end: number): BarSeries {
  return {
    instrumentId: s.instrumentId,
    timeframe: s.timeframe,
    openTime: s.openTime.subarray(start, end),
    closeTime: s.closeTime.subarray(start, end),
    open: s.open.subarray(start, end),
    high: s.high.subarray(start, end),
    low: s.low.subarray(start, end),
    close: s.close.subarray(start, end),
    volume: s.volume.subarray(start, end),
  }
}
