/**
 * Moving columns between Float64Arrays and DuckDB data chunks without a native call per value: the library's
 * vectors keep their values in a private typed array (`items`), which is filled with one `set` (doubles) or a
 * tight loop (timestamps, written as two int32 halves so no BigInt is made per value), then flushed.
 * When a vector does not look like that (a future library version), the public `setItem` path is used.
 */
import type { DuckDBAppender, DuckDBDataChunk, DuckDBResult, DuckDBType } from '@duckdb/node-api'
import { allocBarSeries } from '../../../core/index.ts'
import type { BarSeries } from '../../../core/index.ts'
import { duckdb } from './driver.ts'

interface VectorLike {
  readonly itemCount: number
  setItem(i: number, v: unknown): void
  getItem(i: number): unknown
  flush(): void
  items?: unknown
}

const ROWS = 2048
const TWO32 = 4294967296

function vec(chunk: DuckDBDataChunk, k: number): VectorLike {
  return chunk.getColumnVector(k) as unknown as VectorLike
}

/** Copies `src[start, start + len)` into DOUBLE column `k` of `chunk` (exactly `len` rows). */
export function fillDoubleColumn(
  chunk: DuckDBDataChunk,
  k: number,
  src: Float64Array,
  start: number,
  len: number,
): void {
  const v = vec(chunk, k)
  if (v.items instanceof Float64Array && v.items.length === len) v.items.set(src.subarray(start, start + len))
  else for (let j = 0; j < len; j++) v.setItem(j, src[start + j]!)
  v.flush()
}

/** Writes epoch-ms values `src[start, start + len)` into TIMESTAMP (µs) column `k`. */
export function fillTimestampColumn(
  chunk: DuckDBDataChunk,
  k: number,
  src: Float64Array,
  start: number,
  len: number,
): void {
  const v = vec(chunk, k)
  if (v.items instanceof BigInt64Array && v.items.length === len) {
    const i32 = new Int32Array(v.items.buffer, v.items.byteOffset, len * 2)
    for (let j = 0; j < len; j++) {
      const us = src[start + j]! * 1000
      const hi = Math.floor(us / TWO32)
      i32[2 * j] = us - hi * TWO32 // little-endian int64: low word first
      i32[2 * j + 1] = hi
    }
  } else {
    for (let j = 0; j < len; j++)
      v.setItem(j, new (duckdb().DuckDBTimestampValue)(BigInt(Math.round(src[start + j]! * 1000))))
  }
  v.flush()
}

/** Appends `cols` (equal-length DOUBLE columns) through `append`, 2048 rows a chunk. */
export function forEachChunk(
  types: readonly DuckDBType[],
  cols: readonly Float64Array[],
  append: (chunk: DuckDBDataChunk) => void,
  size = ROWS,
): void {
  const n = cols[0]?.length ?? 0
  let full: DuckDBDataChunk | undefined
  for (let start = 0; start < n; start += size) {
    const len = Math.min(size, n - start)
    const chunk =
      len === size
        ? (full ??= duckdb().DuckDBDataChunk.create(types, size))
        : duckdb().DuckDBDataChunk.create(types, len)
    for (let k = 0; k < cols.length; k++) fillDoubleColumn(chunk, k, cols[k]!, start, len)
    append(chunk)
  }
}

let barTypes: DuckDBType[] | undefined
const BAR_TYPES = (): DuckDBType[] => {
  const { INTEGER, TIMESTAMP, DOUBLE } = duckdb()
  return (barTypes ??= [INTEGER, TIMESTAMP, TIMESTAMP, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE])
}

/** Appends a series straight into the `bars` table layout (series_id, open_time, close_time, o, h, l, c, v). */
export function appendBars(appender: DuckDBAppender, s: BarSeries, seriesId: number): void {
  const n = s.openTime.length
  const prices = [s.open, s.high, s.low, s.close, s.volume]
  let full: DuckDBDataChunk | undefined
  for (let start = 0; start < n; start += ROWS) {
    const len = Math.min(ROWS, n - start)
    let chunk: DuckDBDataChunk
    if (len === ROWS && full) chunk = full
    else {
      chunk = duckdb().DuckDBDataChunk.create(BAR_TYPES(), len)
      // The constant series id is written once per chunk object; reused chunks keep it.
      const v = vec(chunk, 0)
      if (v.items instanceof Int32Array && v.items.length === len) v.items.fill(seriesId)
      else for (let j = 0; j < len; j++) v.setItem(j, seriesId)
      v.flush()
      if (len === ROWS) full = chunk
    }
    fillTimestampColumn(chunk, 1, s.openTime, start, len)
    fillTimestampColumn(chunk, 2, s.closeTime, start, len)
    for (let k = 0; k < 5; k++) fillDoubleColumn(chunk, 3 + k, prices[k]!, start, len)
    appender.appendDataChunk(chunk)
  }
}

/** Reads a 7-column DOUBLE result (open/close time ms, o, h, l, c, v) as series of at most `chunkSize` bars. */
export async function* readChunks(
  result: DuckDBResult,
  instrumentId: string,
  timeframe: string,
  chunkSize: number,
): AsyncIterable<BarSeries> {
  const keys = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const
  let buf = allocBarSeries(instrumentId, timeframe, chunkSize)
  let fill = 0
  while (true) {
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) break
    const n = chunk.rowCount
    const vecs = keys.map((_, k) => vec(chunk, k))
    let j = 0
    while (j < n) {
      const take = Math.min(n - j, chunkSize - fill)
      for (let k = 0; k < 7; k++) {
        const v = vecs[k]!
        const dst = buf[keys[k]!]
        if (v.items instanceof Float64Array) dst.set(v.items.subarray(j, j + take), fill)
        else for (let x = 0; x < take; x++) dst[fill + x] = Number(v.getItem(j + x))
      }
      fill += take
      j += take
      if (fill === chunkSize) {
        yield buf
        buf = allocBarSeries(instrumentId, timeframe, chunkSize)
        fill = 0
      }
    }
  }
  if (fill > 0) {
    const out = allocBarSeries(instrumentId, timeframe, fill)
    for (const k of keys) out[k].set(buf[k].subarray(0, fill))
    yield out
  }
}
