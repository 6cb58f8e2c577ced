/** Trend: directional movement (ADX family), AROON, parabolic SAR, SuperTrend, Ichimoku. */
export * from './aroon.ts'
export * from './directional.ts'
export * from './ichimoku.ts'
export * from './sar.ts'
export * from './supertrend.ts'
