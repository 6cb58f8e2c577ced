/** Small helpers of the DuckDB store: the series range filter, an order check and concatenation of read chunks. */
import type { DuckDBValue } from '@duckdb/node-api'
import { allocBarSeries } from '../../../core/index.ts'
import type { BarSeries } from '../../../core/index.ts'
import type { TimeRange } from '../types.ts'

/** True when `t` is strictly increasing. */
export function increasing(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (!(t[i]! > t[i - 1]!)) return false
  return true
}

/** The WHERE clause (and its values) selecting one series' bars in an optional half-open time range. */
export function rangeSql(
  instrumentId: string,
  timeframe: string,
  range?: TimeRange,
): { where: string; values: DuckDBValue[] } {
  const values: DuckDBValue[] = [instrumentId, timeframe]
  let where = 'series_id = (SELECT series_id FROM series WHERE instrument_id = $1 AND timeframe = $2)'
  if (range?.from !== undefined) {
    values.push(range.from)
    where += ` AND open_time >= epoch_ms($${values.length}::BIGINT)`
  }
  if (range?.to !== undefined) {
    values.push(range.to)
    where += ` AND open_time < epoch_ms($${values.length}::BIGINT)`
  }
  return { where, values }
}

/** Concatenates series parts of one instrument and timeframe, in order. */
export function concatSeries(instrumentId: string, timeframe: string, parts: BarSeries[]): BarSeries {
  if (parts.length === 1) return parts[0]!
  const n = parts.reduce((a, p) => a + p.openTime.length, 0)
  const out = allocBarSeries(instrumentId, timeframe, n)
  let at = 0
  for (const p of parts) {
    for (const k of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const) out[k].set(p[k], at)
    at += p.openTime.length
  }
  return out
}
