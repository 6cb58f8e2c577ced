/**
 * Test helper: writes candles as freqtrade lays out its Feather files (date as a UTC nanosecond timestamp, then
 * open, high, low, close, volume as doubles) with `apache-arrow`, uncompressed, LZ4-frame compressed (by
 * `lz4-frame.ts`'s encoder), or marked ZSTD (a stand-in codec that only writes the ZSTD magic: for the reader's
 * refusal). Arrow JS writes the compressed buffer's length as the 8-byte prefix where the IPC format asks for the
 * uncompressed length; Kestrel's reader, like Arrow JS, uses the prefix only to tell compressed buffers from raw
 * ones (-1), so the files read back; the pyarrow-written files of freqtrade carry the uncompressed length.
 */
import { writeFileSync } from 'node:fs'
import {
  CompressionType,
  Float64,
  TimeUnit,
  Timestamp,
  compressionRegistry,
  Table,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow'
import { registerArrowCodecs } from './feather.ts'

/** A candle: epoch ms, open, high, low, close, volume (freqtrade's JSON row). */
export type Candle = readonly [number, number, number, number, number, number]

/** Settings of {@link featherBytes}. */
export interface FeatherWriteOptions {
  readonly compression?: 'none' | 'lz4' | 'zstd'
  /** Column names in file order (default freqtrade's: date, open, high, low, close, volume). */
  readonly names?: readonly string[]
  /** A null in this column at these rows. */
  readonly nulls?: { readonly column: number; readonly rows: readonly number[] }
}

/** The bytes of a Feather v2 (Arrow IPC file) holding `rows`. */
export function featherBytes(rows: readonly Candle[], opts: FeatherWriteOptions = {}): Uint8Array {
  registerArrowCodecs()
  const names = opts.names ?? ['date', 'open', 'high', 'low', 'close', 'volume']
  const column = (k: number) =>
    rows.map((r, i) => (opts.nulls?.column === k && opts.nulls.rows.includes(i) ? null : r[k]!))
  const table = new Table({
    [names[0]!]: vectorFromArray(column(0), new Timestamp(TimeUnit.NANOSECOND, 'UTC')),
    ...Object.fromEntries([1, 2, 3, 4, 5].map((k) => [names[k]!, vectorFromArray(column(k), new Float64())])),
  })
  if (opts.compression === 'lz4') return tableToIPC(table, 'file', CompressionType.LZ4_FRAME)
  if (opts.compression !== 'zstd') return tableToIPC(table, 'file')
  const refusing = compressionRegistry.get(CompressionType.ZSTD)
  const magic = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0, 0)
  compressionRegistry.set(CompressionType.ZSTD, { encode: (b) => Uint8Array.from([...magic, ...b.subarray(0, 2)]) })
  try {
    return tableToIPC(table, 'file', CompressionType.ZSTD)
  } finally {
    compressionRegistry.set(CompressionType.ZSTD, refusing!)
  }
}

/** Writes {@link featherBytes} to `path`; returns `path`. */
export function writeFeather(path: string, rows: readonly Candle[], opts: FeatherWriteOptions = {}): string {
  writeFileSync(path, featherBytes(rows, opts))
  return path
}
