/**
 * Parquet source: reads a Parquet file of bars through DuckDB (`read_parquet`) into a {@link BarSeries}. Columns
 * are found by the same aliases as CSV (Date / Datetime / timestamp, Open…, Vol); the time column may be a
 * TIMESTAMP, TIMESTAMPTZ, DATE, epoch seconds / ms / µs / ns, or ISO text. Rows with a null field are
 * returned as rejected rows with their reason; nothing is dropped silently.
 */
import { existsSync } from 'node:fs'
import { KestrelError, allocBarSeries, barCloseTime, barOpenTime, parseAnyTimeframe } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { COLUMN_ALIASES, inferTimeframeText, normaliseName } from '../csv/index.ts'
import { duckdb } from '../store/duckdb/driver.ts'
import type { QuarantinedRow } from '../store/types.ts'

/** How to read a Parquet file of bars. */
export interface ParquetReadOptions {
  readonly instrumentId: string
  /** Bar length; inferred from the spacing of the times when absent. */
  readonly timeframe?: string
  /** Whether a row's time is the bar's open (default) or close. */
  readonly stampedAt?: 'open' | 'close'
  /** Explicit column names per field, overriding the aliases (e.g. `{ time: 'bucket' }`). */
  readonly columns?: Partial<Record<ParquetField, string>>
}

/** A bar field a Parquet file's columns are mapped to. */
export type ParquetField = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume'

/** The bars read, the rows set aside, and how the file was understood. */
export interface ParquetReadResult {
  readonly bars: BarSeries
  /** 1-based row number in the file of each bar (provenance for findings and quarantine). */
  readonly rows: Int32Array
  readonly rejected: readonly QuarantinedRow[]
  readonly rowsRead: number
  /** Column used per field. */
  readonly columns: Readonly<Record<ParquetField, string>>
  /** How the time column was read: `timestamp`, `date`, `epoch_s`, `epoch_ms`, `epoch_us`, `epoch_ns`, `text`. */
  readonly timeKind: string
}

/**
 * The CSV path's column aliases, read for Parquet: a date column is the time (Parquet dates and timestamps are
 * typed, so there is no separate time-of-day column); an adjusted close is not read.
 */
const ALIASES: Readonly<Record<string, ParquetField>> = Object.fromEntries(
  Object.entries(COLUMN_ALIASES).flatMap(([name, f]) =>
    f === 'adj' || f === 'clock' ? [] : [[name, f === 'date' ? 'time' : f] as const],
  ),
)

const FIELDS: readonly ParquetField[] = ['time', 'open', 'high', 'low', 'close', 'volume']

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`
}

/** Reads `path` into a series. Throws FILE_NOT_FOUND or DATA_BAD_FILE naming the file and column. */
export async function readParquetBars(path: string, opts: ParquetReadOptions): Promise<ParquetReadResult> {
  if (!existsSync(path)) throw new KestrelError('FILE_NOT_FOUND', `${path}: no such file`, { path })
  const db = await duckdb().DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    const src = `read_parquet(${quoteLiteral(path)}, file_row_number = true)`
    let desc
    try {
      desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS()
    } catch (e) {
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${path}: not a readable Parquet file (${(e as Error).message.split('\n')[0]})`,
        { path },
      )
    }
    const types = new Map(desc.map((d) => [String(d.column_name), String(d.column_type)]))
    const cols = mapBarColumns(
      path,
      [...types.keys()].filter((n) => n !== 'file_row_number'),
      opts.columns,
    )
    const tcol = quoteIdent(cols.time)
    const ttype = types.get(cols.time)!
    let timeKind: string
    let timeExpr: string
    if (/^TIMESTAMP/.test(ttype)) {
      timeKind = 'timestamp'
      timeExpr = `epoch_ms(${tcol})::DOUBLE`
    } else if (ttype === 'DATE') {
      timeKind = 'date'
      timeExpr = `epoch_ms(${tcol}::TIMESTAMP)::DOUBLE`
    } else if (/INT|DOUBLE|FLOAT|DECIMAL/.test(ttype)) {
      const r = (await conn.runAndReadAll(`SELECT max(abs(${tcol}))::DOUBLE AS m FROM ${src}`)).getRowObjectsJS()
      const m = Number(r[0]?.m ?? 0)
      const [kind, scale] =
        m < 1e11 ? ['epoch_s', 1000] : m < 1e14 ? ['epoch_ms', 1] : m < 1e17 ? ['epoch_us', 1e-3] : ['epoch_ns', 1e-6]
      timeKind = kind as string
      timeExpr = `(${tcol}::DOUBLE * ${scale})`
    } else if (ttype === 'VARCHAR') {
      timeKind = 'text'
      timeExpr = `epoch_ms(TRY_CAST(${tcol} AS TIMESTAMPTZ))::DOUBLE`
    } else {
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${path}: time column ${cols.time} has type ${ttype}; expected a timestamp, date, epoch number or ISO text`,
        {
          path,
          column: cols.time,
          type: ttype,
        },
      )
    }
    const num = (f: ParquetField) => `TRY_CAST(${quoteIdent(cols[f])} AS DOUBLE)`
    const reader = await conn.runAndReadAll(
      `SELECT ${timeExpr} AS t, ${num('open')}, ${num('high')}, ${num('low')}, ${num('close')}, ${num('volume')}, file_row_number::DOUBLE
       FROM ${src} ORDER BY t NULLS LAST, file_row_number`,
    )
    const colsData = reader.getColumnsJS() as (number | null)[][]
    const n = reader.currentRowCount
    const rejected: QuarantinedRow[] = []
    const keep: number[] = []
    for (let i = 0; i < n; i++) {
      const bad = FIELDS.findIndex((_, k) => colsData[k]![i] == null || !Number.isFinite(colsData[k]![i]!))
      if (bad < 0) {
        keep.push(i)
        continue
      }
      const row = Number(colsData[6]![i])
      const t = colsData[0]![i]
      rejected.push({
        source: path,
        instrumentId: opts.instrumentId,
        timeframe: opts.timeframe,
        line: row + 1,
        ...(t != null && Number.isFinite(t) ? { timestamp: t } : {}),
        field: FIELDS[bad],
        reason: 'NULL_VALUE',
        message: `${path} row ${row + 1}: ${cols[FIELDS[bad]!]} is null or not a number`,
        severity: 'error',
        raw: JSON.stringify(Object.fromEntries(FIELDS.map((f, k) => [cols[f], colsData[k]![i]]))),
      })
    }
    const times = Float64Array.from(keep, (i) => colsData[0]![i]!)
    const tfText = opts.timeframe ?? inferTimeframeText(path, times)
    const tf = parseAnyTimeframe(tfText)
    const stampedAt = opts.stampedAt ?? 'open'
    const bars = allocBarSeries(opts.instrumentId, tfText, keep.length)
    const rows = new Int32Array(keep.length)
    keep.forEach((i, j) => {
      rows[j] = Number(colsData[6]![i]) + 1
      const t = barOpenTime(colsData[0]![i]!, tf, stampedAt)
      bars.openTime[j] = t
      bars.closeTime[j] = barCloseTime(t, tf)
      bars.open[j] = colsData[1]![i]!
      bars.high[j] = colsData[2]![i]!
      bars.low[j] = colsData[3]![i]!
      bars.close[j] = colsData[4]![i]!
      bars.volume[j] = colsData[5]![i]!
    })
    return {
      bars,
      rows,
      rejected: rejected.map((r) => ({ ...r, timeframe: tfText })),
      rowsRead: n,
      columns: cols,
      timeKind,
    }
  } finally {
    conn.closeSync()
    db.closeSync()
  }
}

/**
 * The column of each bar field among `names`, by the CSV aliases (`explicit` overrides them); DATA_BAD_FILE
 * naming the missing fields or an explicit column the file lacks. Parquet and Arrow files share it.
 */
export function mapBarColumns(
  path: string,
  names: string[],
  explicit?: Partial<Record<ParquetField, string>>,
): Record<ParquetField, string> {
  const out: Partial<Record<ParquetField, string>> = {}
  for (const name of names) {
    const f = ALIASES[normaliseName(name)]
    if (f && out[f] === undefined) out[f] = name
  }
  for (const [f, name] of Object.entries(explicit ?? {})) {
    if (!names.includes(name)) {
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${path}: column ${JSON.stringify(name)} (for ${f}) is not in the file; it has ${names.join(', ')}`,
        {
          path,
          column: name,
        },
      )
    }
    out[f as ParquetField] = name
  }
  const missing = FIELDS.filter((f) => out[f] === undefined)
  if (missing.length) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: no column for ${missing.join(', ')} (columns: ${names.join(', ')})`,
      { path, missing },
    )
  }
  return out as Record<ParquetField, string>
}
