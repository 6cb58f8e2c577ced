/** Kestrel data layer: sources, validation, stores, resampling, calendars, synthetic markets. */
export * from './store/types.ts'
export * from './calendars/index.ts'
export * from './resample/index.ts'
export * from './synthetic/index.ts'
