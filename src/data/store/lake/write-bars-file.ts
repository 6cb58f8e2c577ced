/**
 * Writes a stream of bars (e.g. {@link TieredStore.streamBars} over both tiers) to a CSV or Parquet file through
 * an in-memory DuckDB, so the file looks exactly like an export of the hot table: CSV `timestamp,open,high,low,
 * close,volume` with ISO-8601 UTC open times (re-importable), Parquet with TIMESTAMP `open_time`/`close_time`.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { KestrelError, seriesLength } from '../../../core/index.ts'
import type { BarSeries } from '../../../core/index.ts'
import { forEachChunk } from '../duckdb/chunks.ts'
import { duckdb } from '../duckdb/driver.ts'
import type { FlaggedSeries } from '../../resample/fill-gaps.ts'

/** The two export formats. */
export type BarFileFormat = 'csv' | 'parquet'

const COLS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const

/**
 * Writes every bar of `bars` (time order) to `out`; returns the number of bars written. With `filled`, each chunk
 * carries a `filled` flag per bar (a {@link FlaggedSeries}) and the file gets a last column `filled` (1 for a bar
 * that gap filling inserted, else 0).
 */
export async function writeBarsFile(
  bars: AsyncIterable<BarSeries | FlaggedSeries>,
  out: string,
  format: BarFileFormat,
  opts: { readonly filled?: boolean } = {},
): Promise<number> {
  if (format !== 'csv' && format !== 'parquet') {
    throw new KestrelError(
      'PARAM_INVALID',
      `writeBarsFile(format): expected csv or parquet, got ${JSON.stringify(format)}`,
    )
  }
  const db = await duckdb().DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    await conn.run(
      `CREATE TABLE x (open_time DOUBLE, close_time DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE${opts.filled ? ', filled DOUBLE' : ''})`,
    )
    const appender = await conn.createAppender('x')
    let n = 0
    try {
      for await (const s of bars) {
        n += seriesLength(s)
        const columns = COLS.map((k) => s[k])
        if (opts.filled) {
          const flags = (s as Partial<FlaggedSeries>).filled
          if (!flags)
            throw new KestrelError('PARAM_INVALID', 'writeBarsFile(filled): every chunk needs its filled flags')
          columns.push(Float64Array.from(flags))
        }
        forEachChunk(
          columns.map(() => duckdb().DuckDBDoubleType.instance),
          columns,
          (chunk) => appender.appendDataChunk(chunk),
        )
      }
      appender.flushSync()
    } finally {
      appender.closeSync()
    }
    const path = resolve(out)
    await mkdir(dirname(path), { recursive: true })
    const ts = (c: string) => `CASE WHEN isnan(${c}) THEN NULL ELSE epoch_ms(${c}::BIGINT) END`
    const cols =
      format === 'csv'
        ? `strftime(${ts('open_time')}, '%Y-%m-%dT%H:%M:%SZ') AS timestamp, open, high, low, close, volume`
        : `${ts('open_time')} AS open_time, ${ts('close_time')} AS close_time, open, high, low, close, volume`
    const flagCol = opts.filled ? ', filled::UTINYINT AS filled' : ''
    const fmt = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet'
    await conn.run(
      `COPY (SELECT ${cols}${flagCol} FROM x ORDER BY open_time) TO '${path.replace(/'/g, "''")}' (${fmt})`,
    )
    return n
  } finally {
    conn.closeSync()
    db.closeSync()
  }
}
