/** The DuckDB schema of the embedded store: instruments, bars, quarantine, ingestion log. */

/**
 * DDL run by `init` (idempotent). Times are TIMESTAMP (UTC); bars are keyed by (instrument, timeframe, open time),
 * declared as the PRIMARY KEY unless `primaryKey` is false.
 */
export function duckdbSchema(primaryKey = true): string {
  return schemaText(primaryKey ? ',\n  PRIMARY KEY (instrument_id, timeframe, open_time)' : '')
}

/** The schema with the primary key declared. */
export const DUCKDB_SCHEMA = duckdbSchema(true)

function schemaText(key: string): string {
  return `
CREATE TABLE IF NOT EXISTS instruments (
  id VARCHAR PRIMARY KEY,
  symbol VARCHAR NOT NULL,
  venue VARCHAR NOT NULL,
  asset_class VARCHAR NOT NULL,
  spec VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS bars (
  instrument_id VARCHAR NOT NULL,
  timeframe VARCHAR NOT NULL,
  open_time TIMESTAMP NOT NULL,
  close_time TIMESTAMP NOT NULL,
  open DOUBLE NOT NULL,
  high DOUBLE NOT NULL,
  low DOUBLE NOT NULL,
  close DOUBLE NOT NULL,
  volume DOUBLE NOT NULL${key}
);
CREATE TABLE IF NOT EXISTS quarantine (
  seq BIGINT NOT NULL,
  source VARCHAR NOT NULL,
  instrument_id VARCHAR,
  timeframe VARCHAR,
  line INTEGER,
  ts TIMESTAMP,
  field VARCHAR,
  reason VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  raw VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ingestion_log (
  seq BIGINT NOT NULL,
  source VARCHAR NOT NULL,
  file_hash VARCHAR NOT NULL,
  instrument_id VARCHAR NOT NULL,
  timeframe VARCHAR NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_accepted BIGINT NOT NULL,
  rows_quarantined BIGINT NOT NULL,
  imported_at TIMESTAMP NOT NULL,
  data_version INTEGER NOT NULL
);
`
}

/** Per-connection staging table the appender fills before one set-based insert into `bars`. */
export const STAGE_SCHEMA = `
CREATE TEMP TABLE IF NOT EXISTS stage_bars (
  open_time DOUBLE, close_time DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE
);
`
