/**
 * The DuckDB library, loaded on first use. Importing the data layer (every backtest does, through the engine)
 * must not load the native engine: only a store, lake or Parquet file that is actually opened does.
 */
import { createRequire } from 'node:module'
import type * as DuckDb from '@duckdb/node-api'

let lib: typeof DuckDb | undefined

/** `@duckdb/node-api`, required (it is CommonJS) the first time a caller needs it. */
export function duckdb(): typeof DuckDb {
  return (lib ??= createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDb)
}
