/**
 * Writes named Float64Array columns (a feature frame, say) to a Parquet file through an in-memory DuckDB. A time
 * column (epoch ms) becomes a TIMESTAMP column and every other a DOUBLE; a NaN becomes NULL in both, so a reader
 * never meets a NaN standing for "no value" or a time stored as a double.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { KestrelError } from '../../../core/index.ts'
import { forEachChunk } from '../duckdb/chunks.ts'
import { duckdb } from '../duckdb/driver.ts'

/** One column of {@link writeColumnsParquet}. */
export interface OutputColumn {
  readonly name: string
  readonly values: Float64Array
  /** Epoch ms, written as a TIMESTAMP (UTC). */
  readonly time?: boolean
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Writes `columns` (all of one length) to the Parquet file `out`, in the given order; returns the row count. */
export async function writeColumnsParquet(columns: readonly OutputColumn[], out: string): Promise<number> {
  const n = columns[0]?.values.length ?? 0
  const names = new Set<string>()
  for (const c of columns) {
    if (c.values.length !== n)
      throw new KestrelError('PARAM_INVALID', `column ${c.name}: ${c.values.length} values, expected ${n}`)
    if (names.has(c.name)) throw new KestrelError('PARAM_INVALID', `column ${c.name} appears twice`)
    names.add(c.name)
  }
  const db = await duckdb().DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    await conn.run(`CREATE TABLE x (${columns.map((_, k) => `c${k} DOUBLE`).join(', ')})`)
    const appender = await conn.createAppender('x')
    try {
      forEachChunk(
        columns.map(() => duckdb().DuckDBDoubleType.instance),
        columns.map((c) => c.values),
        (chunk) => appender.appendDataChunk(chunk),
      )
      appender.flushSync()
    } finally {
      appender.closeSync()
    }
    const path = resolve(out)
    await mkdir(dirname(path), { recursive: true })
    const select = columns
      .map((c, k) =>
        c.time
          ? `CASE WHEN isnan(c${k}) THEN NULL ELSE epoch_ms(c${k}::BIGINT) END AS ${ident(c.name)}`
          : `CASE WHEN isnan(c${k}) THEN NULL ELSE c${k} END AS ${ident(c.name)}`,
      )
      .join(', ')
    await conn.run(`COPY (SELECT ${select} FROM x) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`)
    return n
  } finally {
    conn.closeSync()
    db.closeSync()
  }
}
