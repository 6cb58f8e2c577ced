/** Network and file sources of bars: ccxt, Alpaca, Yahoo, Parquet; shared retry, resume and chunk helpers. */
export * from './types.ts'
export * from './http.ts'
export * from './checkpoint.ts'
export * from './chunk.ts'
export * from './alpaca.ts'
export * from './yahoo.ts'
export * from './ccxt.ts'
export * from './parquet.ts'
