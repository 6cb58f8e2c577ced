/** Universe files: symbols, sectors, liquidity thresholds and point-in-time membership with delistings. */
export * from './universe.ts'
export * from './parse.ts'
