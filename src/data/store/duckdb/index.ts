/** The embedded DuckDB store (default backend). */
export { DuckDbStore } from './duckdb-store.ts'
export type { DuckDbStoreOptions } from './duckdb-store.ts'
export { DUCKDB_SCHEMA, duckdbSchema } from './schema.ts'
