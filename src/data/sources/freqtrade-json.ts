/**
 * freqtrade's JSON candle files: one array of rows `[time, open, high, low, close, volume]`, time in epoch
 * milliseconds (`ETH_BTC-5m.json`; `.json.gz` / `.jsongz` gzip-compressed). The time unit is read from the
 * magnitude as the Parquet reader does (seconds, ms, µs, ns). A row that is not six finite numbers is returned
 * as rejected with its reason and its raw text; nothing is dropped silently.
 */
import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import { KestrelError, allocBarSeries, barCloseTime, barOpenTime, parseAnyTimeframe } from '../../core/index.ts'
import { inferTimeframeText, quoteText } from '../csv/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import type { ParquetField, ParquetReadOptions, ParquetReadResult } from './parquet.ts'

/** The names freqtrade gives the six values of a row. */
const NAMES: Readonly<Record<ParquetField, string>> = {
  time: 'date',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
}
const FIELDS: readonly ParquetField[] = ['time', 'open', 'high', 'low', 'close', 'volume']

/** True for a path the JSON reader takes (`.json`, `.json.gz`, `.jsongz`). */
export function isJsonPath(path: string): boolean {
  return /\.(json|json\.gz|jsongz)$/i.test(path)
}

/** The rows of a JSON candle file, or DATA_BAD_FILE saying what the file holds instead. */
async function readRows(path: string): Promise<unknown[]> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new KestrelError('FILE_NOT_FOUND', `${path}: no such file`, { path }, { cause: e })
    throw new KestrelError('DATA_BAD_FILE', `${path}: cannot read (${(e as Error).message})`, { path }, { cause: e })
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes)
    } catch (e) {
      throw new KestrelError('DATA_BAD_FILE', `${path}: not a readable gzip file (${(e as Error).message})`, { path })
    }
  }
  const text = bytes.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: not JSON (${(e as Error).message}); it starts ${quoteText(text.slice(0, 200), 60)}`,
      { path },
    )
  }
  if (!Array.isArray(value)) {
    const what = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: expected a JSON array of [time ms, open, high, low, close, volume] rows (freqtrade's layout), got ${what}`,
      { path },
    )
  }
  return value
}

/** Reads the freqtrade JSON file at `path` into a series, in time order. */
export async function readJsonBars(path: string, opts: ParquetReadOptions): Promise<ParquetReadResult> {
  const rows = await readRows(path)
  const rejected: QuarantinedRow[] = []
  const keep: number[] = []
  const values: number[][] = new Array(rows.length)
  let maxAbsTime = 0
  rows.forEach((row, i) => {
    const bad = badField(row)
    if (bad === undefined) {
      const r = row as number[]
      values[i] = r
      keep.push(i)
      maxAbsTime = Math.max(maxAbsTime, Math.abs(r[0]!))
      return
    }
    const t = Array.isArray(row) && typeof row[0] === 'number' && Number.isFinite(row[0]) ? row[0] : undefined
    const rawText = JSON.stringify(row) ?? String(row)
    rejected.push({
      source: path,
      instrumentId: opts.instrumentId,
      timeframe: opts.timeframe,
      line: i + 1,
      ...(t === undefined ? {} : { timestamp: t }),
      ...(bad.field ? { field: bad.field } : {}),
      reason: bad.reason,
      message: `${path} row ${i + 1}: ${bad.message}`,
      severity: 'error',
      raw: rawText.length > 1000 ? `${rawText.slice(0, 1000)}…` : rawText,
    })
  })
  const [timeKind, scale] =
    maxAbsTime < 1e11
      ? ['epoch_s', 1000]
      : maxAbsTime < 1e14
        ? ['epoch_ms', 1]
        : maxAbsTime < 1e17
          ? ['epoch_us', 1e-3]
          : ['epoch_ns', 1e-6]
  const order = keep.sort((a, b) => values[a]![0]! - values[b]![0]! || a - b)
  const times = Float64Array.from(order, (i) => values[i]![0]! * scale)
  const tfText = opts.timeframe ?? inferTimeframeText(path, times)
  const tf = parseAnyTimeframe(tfText)
  const stampedAt = opts.stampedAt ?? 'open'
  const bars = allocBarSeries(opts.instrumentId, tfText, order.length)
  const rowNo = new Int32Array(order.length)
  order.forEach((i, j) => {
    const r = values[i]!
    rowNo[j] = i + 1
    const t = barOpenTime(times[j]!, tf, stampedAt)
    bars.openTime[j] = t
    bars.closeTime[j] = barCloseTime(t, tf)
    bars.open[j] = r[1]!
    bars.high[j] = r[2]!
    bars.low[j] = r[3]!
    bars.close[j] = r[4]!
    bars.volume[j] = r[5]!
  })
  return {
    bars,
    rows: rowNo,
    rejected: rejected.map((r) => ({
      ...r,
      timeframe: tfText,
      ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp * scale }),
    })),
    rowsRead: rows.length,
    columns: NAMES,
    timeKind,
  }
}

/** Why a row is not `[time, open, high, low, close, volume]` of finite numbers, or undefined when it is. */
function badField(row: unknown): { reason: string; message: string; field?: string } | undefined {
  if (!Array.isArray(row)) {
    return {
      reason: 'BAD_ROW',
      message: `expected an array [time, open, high, low, close, volume], got ${quoteText(JSON.stringify(row) ?? String(row), 60)}`,
    }
  }
  if (row.length < 6)
    return { reason: 'BAD_ROW', message: `${row.length} values; expected 6 (time, open, high, low, close, volume)` }
  for (let k = 0; k < 6; k++) {
    const v: unknown = row[k]
    const field = NAMES[FIELDS[k]!]
    if (v === null || v === undefined) return { reason: 'NULL_VALUE', field, message: `${field} is null` }
    if (typeof v !== 'number' || !Number.isFinite(v))
      return {
        reason: 'NOT_A_NUMBER',
        field,
        message: `${field} ${quoteText(JSON.stringify(v) ?? String(v), 40)} is not a number`,
      }
  }
  return undefined
}
