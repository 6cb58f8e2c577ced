/** Kestrel data layer: sources, validation, stores, resampling, calendars, synthetic markets. */
export * from './store/types.ts'
export * from './calendars/index.ts'
export * from './resample/index.ts'
export * from './synthetic/index.ts'
export * from './csv/index.ts'
export * from './validation/index.ts'
export * from './store/duckdb/index.ts'
export * from './ingest/index.ts'
