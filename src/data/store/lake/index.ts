/** The Parquet lake (cold tier) and its lifecycle policy. */
export * from './parquet-lake.ts'
export * from './lifecycle.ts'
export * from './merge.ts'
export * from './write-bars-file.ts'
export * from './write-columns-file.ts'
