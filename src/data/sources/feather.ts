/**
 * Feather v2 (the Arrow IPC file format; also `.arrow`, `.ipc`, and the IPC stream format) read with the
 * `apache-arrow` package: freqtrade's OHLCV files (`ETH_BTC-5m.feather`: columns date, a UTC timestamp, then open,
 * high, low, close, volume), usually with LZ4-frame compressed buffers. Columns are found by the CSV aliases, as
 * for Parquet; the time column may be a timestamp (any unit), a date, epoch seconds / ms / µs / ns, or ISO text.
 * A row with a null or non-finite field is returned as rejected with its reason; nothing is dropped silently.
 *
 * Arrow JS decompresses only through a codec in its `compressionRegistry`: this module registers the LZ4 frame
 * decoder of `lz4-frame.ts`, and for ZSTD (which it does not read) a codec that fails with a message saying so.
 */
import { readFile } from 'node:fs/promises'
import { CompressionType, DataType, compressionRegistry, tableFromIPC, type Table } from 'apache-arrow'
import { KestrelError, allocBarSeries, barCloseTime, barOpenTime, parseAnyTimeframe } from '../../core/index.ts'
import { inferTimeframeText } from '../csv/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import { Lz4FrameError, lz4FrameDecode, lz4FrameEncode } from './lz4-frame.ts'
import { mapBarColumns, type ParquetField, type ParquetReadOptions, type ParquetReadResult } from './parquet.ts'

const FIELDS: readonly ParquetField[] = ['time', 'open', 'high', 'low', 'close', 'volume']

/** Thrown by the ZSTD codec: caught by {@link readFeatherBars} and reported as the file's error. */
class ZstdUnsupported extends Error {}

let registered = false

/**
 * Registers the LZ4 frame codec (decoder and encoder) with Arrow JS, and a ZSTD codec that refuses, unless codecs
 * for them are registered already (an application may bring its own ZSTD). Called by {@link readFeatherBars};
 * call it before writing LZ4-compressed IPC with `tableToIPC(table, 'file', CompressionType.LZ4_FRAME)`.
 */
export function registerArrowCodecs(): void {
  if (registered) return
  registered = true
  if (!compressionRegistry.get(CompressionType.LZ4_FRAME))
    compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: lz4FrameDecode, encode: lz4FrameEncode })
  if (!compressionRegistry.get(CompressionType.ZSTD))
    compressionRegistry.set(CompressionType.ZSTD, {
      decode: () => {
        throw new ZstdUnsupported('ZSTD')
      },
    })
}

/** The file's bytes as an Arrow table, or DATA_BAD_FILE / FILE_NOT_FOUND naming the file and what is wrong. */
async function readTable(path: string): Promise<Table> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new KestrelError('FILE_NOT_FOUND', `${path}: no such file`, { path }, { cause: e })
    throw new KestrelError('DATA_BAD_FILE', `${path}: cannot read (${(e as Error).message})`, { path }, { cause: e })
  }
  const head = bytes.subarray(0, 6).toString('latin1')
  if (head.startsWith('FEA1'))
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: a Feather v1 file, which is not read; write it again as Feather v2 (pyarrow.feather.write_feather(df, path, version=2), freqtrade's default)`,
      { path, format: 'feather-v1' },
    )
  const stream = bytes.length >= 4 && bytes.readUInt32LE(0) === 0xffffffff
  if (head !== 'ARROW1' && !stream)
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: not a Feather v2 / Arrow IPC file (it starts ${JSON.stringify(head.replace(/[^\x20-\x7e]/g, '.'))}, not ARROW1)`,
      { path },
    )
  if (!stream && (bytes.length < 12 || bytes.subarray(bytes.length - 6).toString('latin1') !== 'ARROW1'))
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: a truncated Feather/Arrow IPC file (${bytes.length} bytes, no ARROW1 footer at the end); copy or download it again`,
      { path, bytes: bytes.length },
    )
  registerArrowCodecs()
  try {
    const table = tableFromIPC(bytes)
    if (table.schema.fields.length === 0) throw new Error('no columns (an empty or truncated file)')
    return table
  } catch (e) {
    if (e instanceof ZstdUnsupported)
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${path}: its buffers are ZSTD-compressed, which Kestrel does not read; write it with compression="lz4" (freqtrade's default) or "uncompressed"`,
        { path, compression: 'zstd' },
        { cause: e },
      )
    const what = e instanceof Lz4FrameError ? `corrupt LZ4 data: ${e.message}` : (e as Error).message
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: not a readable Feather/Arrow IPC file (${what})`,
      { path },
      { cause: e },
    )
  }
}

/** How a time column's values become epoch ms, by its Arrow type; undefined for a type that holds no time. */
function timeReader(
  type: DataType,
  values: (i: number) => unknown,
  n: number,
): [string, (v: unknown) => number] | undefined {
  const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v))
  // Arrow JS gives timestamps and dates of every unit as epoch ms.
  if (DataType.isTimestamp(type)) return ['timestamp', num]
  if (DataType.isDate(type)) return ['date', (v) => (v instanceof Date ? v.getTime() : num(v))]
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type)) {
    let m = 0
    for (let i = 0; i < n; i++) {
      const x = Math.abs(num(values(i)))
      if (x > m) m = x
    }
    const [kind, scale] =
      m < 1e11 ? ['epoch_s', 1000] : m < 1e14 ? ['epoch_ms', 1] : m < 1e17 ? ['epoch_us', 1e-3] : ['epoch_ns', 1e-6]
    return [kind as string, (v) => num(v) * (scale as number)]
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type))
    return ['text', (v) => (typeof v === 'string' ? Date.parse(v) : NaN)]
  return undefined
}

/** Reads the Feather v2 / Arrow IPC file at `path` into a series, in time order. */
export async function readFeatherBars(path: string, opts: ParquetReadOptions): Promise<ParquetReadResult> {
  const table = await readTable(path)
  const names = table.schema.fields.map((f) => f.name)
  const cols = mapBarColumns(path, names, opts.columns)
  const n = table.numRows
  const vector = (f: ParquetField) => table.getChild(cols[f])!
  const timeVec = vector('time')
  const time = timeReader(timeVec.type, (i) => timeVec.get(i), n)
  if (!time)
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: time column ${cols.time} has type ${String(timeVec.type)}; expected a timestamp, date, epoch number or ISO text`,
      { path, column: cols.time, type: String(timeVec.type) },
    )
  const [timeKind, toMs] = time
  const data: Float64Array[] = FIELDS.map(() => new Float64Array(n))
  FIELDS.forEach((f, k) => {
    const v = vector(f)
    if (k > 0 && !(DataType.isInt(v.type) || DataType.isFloat(v.type) || DataType.isDecimal(v.type)))
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${path}: column ${cols[f]} (${f}) has type ${String(v.type)}; expected numbers`,
        { path, column: cols[f], type: String(v.type) },
      )
    const out = data[k]!
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as unknown
      out[i] = k === 0 ? toMs(x) : x === null || x === undefined ? NaN : Number(x)
    }
  })
  const rejected: QuarantinedRow[] = []
  const keep: number[] = []
  for (let i = 0; i < n; i++) {
    const bad = FIELDS.findIndex((_, k) => !Number.isFinite(data[k]![i]!))
    if (bad < 0) {
      keep.push(i)
      continue
    }
    const t = data[0]![i]!
    const raw = vector(FIELDS[bad]!).get(i) as unknown
    rejected.push({
      source: path,
      instrumentId: opts.instrumentId,
      timeframe: opts.timeframe,
      line: i + 1,
      ...(Number.isFinite(t) ? { timestamp: t } : {}),
      field: FIELDS[bad],
      reason: raw === null || raw === undefined ? 'NULL_VALUE' : 'NOT_A_NUMBER',
      message: `${path} row ${i + 1}: ${cols[FIELDS[bad]!]} ${raw === null || raw === undefined ? 'is null' : `${String(raw)} is not a finite number`}`,
      severity: 'error',
      raw: JSON.stringify(
        Object.fromEntries(FIELDS.map((f, k) => [cols[f], Number.isFinite(data[k]![i]!) ? data[k]![i] : null])),
      ),
    })
  }
  keep.sort((a, b) => data[0]![a]! - data[0]![b]! || a - b)
  const times = Float64Array.from(keep, (i) => data[0]![i]!)
  const tfText = opts.timeframe ?? inferTimeframeText(path, times)
  const tf = parseAnyTimeframe(tfText)
  const stampedAt = opts.stampedAt ?? 'open'
  const bars = allocBarSeries(opts.instrumentId, tfText, keep.length)
  const rows = new Int32Array(keep.length)
  keep.forEach((i, j) => {
    rows[j] = i + 1
    const t = barOpenTime(times[j]!, tf, stampedAt)
    bars.openTime[j] = t
    bars.closeTime[j] = barCloseTime(t, tf)
    bars.open[j] = data[1]![i]!
    bars.high[j] = data[2]![i]!
    bars.low[j] = data[3]![i]!
    bars.close[j] = data[4]![i]!
    bars.volume[j] = data[5]![i]!
  })
  return {
    bars,
    rows,
    rejected: rejected.map((r) => ({ ...r, timeframe: tfText })),
    rowsRead: n,
    columns: cols,
    timeKind,
  }
}
