/** The DuckDB schema of the embedded store: instruments, bars, quarantine, ingestion log. */

/**
 * DDL run by `init` (idempotent). Times are TIMESTAMP (UTC). A series (instrument, timeframe) gets a small integer
 * id in `series`; bars carry that id rather than the two strings, so an appended row is eight fixed-width
 * values. Bars are keyed by (series, open time): the store's writes keep that key unique, and `primaryKey`
 * also declares it as the PRIMARY KEY. The view `bars_by_symbol` shows bars with the instrument id and timeframe.
 */
export function duckdbSchema(primaryKey = true): string {
  return schemaText(primaryKey ? `,\n  ${BARS_KEY}` : '')
}

/** The bars primary key clause. */
export const BARS_KEY = 'PRIMARY KEY (series_id, open_time)'

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
CREATE TABLE IF NOT EXISTS series (
  series_id INTEGER PRIMARY KEY,
  instrument_id VARCHAR NOT NULL,
  timeframe VARCHAR NOT NULL,
  UNIQUE (instrument_id, timeframe)
);
CREATE TABLE IF NOT EXISTS bars (
  series_id INTEGER NOT NULL,
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

/** A readable view of bars with their instrument id and timeframe (created after any migration). */
export const BARS_VIEW = `
CREATE OR REPLACE VIEW bars_by_symbol AS
SELECT s.instrument_id, s.timeframe, b.open_time, b.close_time, b.open, b.high, b.low, b.close, b.volume
FROM bars b JOIN series s USING (series_id);
`

/**
 * Moves a file whose bars carry instrument_id and timeframe columns to the series-id layout, in one
 * transaction; the key is declared afterwards as for any file.
 */
export const MIGRATE_SERIES_IDS = `
BEGIN TRANSACTION;
INSERT INTO series
  SELECT row_number() OVER (ORDER BY instrument_id, timeframe)::INTEGER, instrument_id, timeframe
  FROM (SELECT DISTINCT instrument_id, timeframe FROM bars);
CREATE TABLE bars_migrated AS
  SELECT s.series_id, b.open_time, b.close_time, b.open, b.high, b.low, b.close, b.volume
  FROM bars b JOIN series s USING (instrument_id, timeframe) ORDER BY s.series_id, b.open_time;
DROP TABLE bars;
ALTER TABLE bars_migrated RENAME TO bars;
COMMIT;
`

/** Per-connection staging table the appender fills before one set-based insert into `bars`. */
export const STAGE_SCHEMA = `
CREATE TEMP TABLE IF NOT EXISTS stage_bars (
  open_time DOUBLE, close_time DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE
);
`
