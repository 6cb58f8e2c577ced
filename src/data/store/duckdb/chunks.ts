/** Moving columns between Float64Arrays and DuckDB data chunks without a native call per value. */
import { DuckDBDataChunk } from '@duckdb/node-api'
import type { DuckDBResult, DuckDBType } from '@duckdb/node-api'
import { allocBarSeries } from '../../../core/index.ts'
import type { BarSeries } from '../../../core/index.ts'

interface DoubleVectorLike {
  readonly itemCount: number
  setItem(i: number, v: number | null): void
  getItem(i: number): unknown
  flush(): void
}

/** Copies `src[start, start + len)` into column `k` of `chunk` (a DOUBLE column of exactly `len` rows). */
export function fillDoubleColumn(chunk: DuckDBDataChunk, k: number, src: Float64Array, start: number, len: number): void {
  const v = chunk.getColumnVector(k) as unknown as DoubleVectorLike & { items?: unknown }
  const items = v.items
  if (items instanceof Float64Array && items.length === len) {
    // The vector's own typed array (the library keeps it private); one memcpy, then flush to the native side.
    items.set(src.subarray(start, start + len))
  } else {
    for (let j = 0; j < len; j++) v.setItem(j, src[start + j]!)
  }
  v.flush()
}

/** Appends `cols` (equal-length DOUBLE columns) through `append`, 2048 rows a chunk. */
export function forEachChunk(
  types: readonly DuckDBType[],
  cols: readonly Float64Array[],
  append: (chunk: DuckDBDataChunk) => void,
  size = 2048,
): void {
  const n = cols[0]?.length ?? 0
  let full: DuckDBDataChunk | undefined
  for (let start = 0; start < n; start += size) {
    const len = Math.min(size, n - start)
    const chunk = len === size ? (full ??= DuckDBDataChunk.create(types, size)) : DuckDBDataChunk.create(types, len)
    for (let k = 0; k < cols.length; k++) fillDoubleColumn(chunk, k, cols[k]!, start, len)
    append(chunk)
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
    const vecs = keys.map((_, k) => chunk.getColumnVector(k) as unknown as DoubleVectorLike & { items?: unknown })
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
