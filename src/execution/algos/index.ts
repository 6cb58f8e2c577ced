/**
 * Execution scheduling: how a parent quantity is cut into children over time. Almgren-Chriss optimal
 * liquidation, TWAP and VWAP schedules with their expected cost and variance, and the stateful schedulers a
 * working order calls bar by bar (VWAP, POV, iceberg, adaptive); transaction-cost analysis of the result.
 */
export * from './schedule.ts'
export * from './almgren-chriss.ts'
export * from './volume-profile.ts'
export * from './pov.ts'
export * from './iceberg.ts'
export * from './adaptive.ts'
export * from './tca.ts'
