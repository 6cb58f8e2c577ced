/** Synthetic markets: seeded, correlated, regime-switching, with jumps, a U-shaped volume profile and planted patterns. */
export { generateMarket, generateMarketSeries } from './generate-market.ts'
export type { SyntheticMarketOptions, MarketChunk, Regime, PlantedPattern } from './generate-market.ts'
export { constantCorrelation } from './correlation.ts'
export { uShape } from './volume-profile.ts'
export { BarClock } from './bar-clock.ts'
export { generateOuSeries } from './ou.ts'
export type { OuSeriesOptions } from './ou.ts'
