/** Indicator kernels (batch over Float64Array) and their streaming twins, the registry and the spec parser. */
export * from './types.ts'
export * from './util.ts'
export * from './registry.ts'
export * from './ma.ts'
export * from './sma.ts'
export * from './ema.ts'
export * from './wma.ts'
