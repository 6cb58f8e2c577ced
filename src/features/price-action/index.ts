/** Price action: log returns over horizons, ranges, wicks, gaps, calendar and session features. */
export * from './returns.ts'
export * from './candles.ts'
export * from './calendar.ts'
