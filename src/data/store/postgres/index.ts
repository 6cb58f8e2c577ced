/** The PostgreSQL / TimescaleDB store. */
export * from './postgres-store.ts'
