import { z } from 'zod'

/** Where bars, quarantine and logs are stored. */
export const storageSection = z
  .strictObject({
    /** `duckdb` (embedded, default) or `postgres` (shared). */
    backend: z.enum(['duckdb', 'postgres']).default('duckdb'),
    /** DuckDB file path (relative paths in a config file are relative to that file). */
    path: z.string().min(1).default('.kestrel/kestrel.duckdb'),
    /** PostgreSQL connection string, e.g. `postgres://user:${ENV:PGPASSWORD}@127.0.0.1/kestrel`. */
    postgresUrl: z.string().optional(),
    /** PostgreSQL schema holding the tables (default `kestrel`). */
    postgresSchema: z.string().min(1).optional(),
    /**
     * Parquet lake (cold tier) root folder. Default: `lake/` beside the DuckDB file (for PostgreSQL, beside the
     * default DuckDB path). Relative paths in a config file are relative to that file.
     */
    lakePath: z.string().min(1).optional(),
    /** Bars newer than this many days stay in the hot store; older ones move to the lake. */
    hotWindowDays: z.number().int().positive().default(365),
  })
  .describe('Storage: embedded DuckDB, PostgreSQL, and the Parquet lake')
