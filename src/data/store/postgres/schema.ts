/** DDL of the PostgreSQL store: the same tables as the embedded store, in one schema of the caller's choice. */

/** Quotes a schema name after checking it is a plain identifier. */
export function isPlainIdentifier(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name)
}

/** The CREATE statements for schema `s` (idempotent). */
export function ddl(s: string): string[] {
  return [
    `create schema if not exists ${s}`,
    `create table if not exists ${s}.instruments (
      id text primary key,
      symbol text not null,
      venue text not null,
      data jsonb not null
    )`,
    `create table if not exists ${s}.bars (
      instrument_id text not null,
      timeframe text not null,
      open_time bigint not null,
      close_time bigint not null,
      open double precision not null,
      high double precision not null,
      low double precision not null,
      close double precision not null,
      volume double precision not null,
      primary key (instrument_id, timeframe, open_time)
    )`,
    `create table if not exists ${s}.quarantine (
      seq bigserial primary key,
      source text not null,
      instrument_id text,
      timeframe text,
      line integer,
      ts bigint,
      field text,
      reason text not null,
      message text not null,
      severity text not null,
      raw text not null
    )`,
    `create index if not exists quarantine_source on ${s}.quarantine (source)`,
    `create index if not exists quarantine_instrument on ${s}.quarantine (instrument_id, timeframe)`,
    `create table if not exists ${s}.ingestion_log (
      seq bigserial primary key,
      source text not null,
      file_hash text not null,
      instrument_id text not null,
      timeframe text not null,
      rows_read bigint not null,
      rows_accepted bigint not null,
      rows_quarantined bigint not null,
      imported_at bigint not null,
      data_version integer not null
    )`,
    `create index if not exists ingestion_lookup on ${s}.ingestion_log (file_hash, instrument_id, timeframe)`,
    `create table if not exists ${s}.store_meta (key text primary key, value text not null)`,
  ]
}
