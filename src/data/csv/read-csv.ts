/**
 * Reads a CSV bar file from disk in chunks (memory bounded by the bars, not the file text). A gzip file
 * (`.csv.gz`, or any file that starts with gzip's magic bytes) is decompressed on the way.
 */
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { Transform, pipeline, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { KestrelError } from '../../core/index.ts'
import { CsvBarParser, type CsvOptions, type CsvParseResult } from './csv-bar-parser.ts'

/** Options for {@link readCsvFile}: parse options plus a progress callback on bytes read. */
export interface ReadCsvOptions extends CsvOptions {
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void
  /** Sees every chunk of the file's bytes as read, compressed as on disk (e.g. to hash the file in the same pass). */
  readonly onChunk?: (chunk: Uint8Array) => void
  /** Read chunk size in bytes. Default 4 MiB. */
  readonly chunkSize?: number
}

/** True when the file at `path` starts with gzip's magic bytes (1f 8b). */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r')
  try {
    const b = Buffer.alloc(2)
    const { bytesRead } = await fh.read(b, 0, 2, 0)
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b
  } finally {
    await fh.close()
  }
}

/**
 * The bytes of the file at `path`, decompressed when it is gzip; `onRaw` sees each chunk as it is on disk.
 * A read or decompression error ends the iteration with that error.
 */
export function fileBytes(
  path: string,
  gzip: boolean,
  chunkSize = 4 << 20,
  onRaw?: (chunk: Buffer) => void,
): AsyncIterable<Buffer> {
  const raw = createReadStream(path, { highWaterMark: chunkSize })
  if (!gzip) {
    return (async function* () {
      for await (const c of raw as AsyncIterable<Buffer>) {
        onRaw?.(c)
        yield c
      }
    })()
  }
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      onRaw?.(chunk)
      done(null, chunk)
    },
  })
  return pipeline(raw, tap, createGunzip({ chunkSize: 1 << 16 }), () => {}) as Readable as AsyncIterable<Buffer>
}

/** Parses the CSV file at `path` (gzip or not); FILE_NOT_FOUND when it is missing. */
export async function readCsvFile(path: string, opts: ReadCsvOptions = {}): Promise<CsvParseResult> {
  let size: number
  try {
    const st = await stat(path)
    if (!st.isFile()) throw new KestrelError('DATA_BAD_FILE', `${path}: not a file`, { path })
    size = st.size
  } catch (e) {
    if (e instanceof KestrelError) throw e
    throw new KestrelError('FILE_NOT_FOUND', `${path}: no such file`, { path }, { cause: e })
  }
  const gzip = await isGzipFile(path)
  const parser = new CsvBarParser({
    ...opts,
    source: opts.source ?? path,
    expectedRows: opts.expectedRows ?? Math.ceil((size * (gzip ? 5 : 1)) / 40) + 16,
  })
  let done = 0
  const stream = fileBytes(path, gzip, opts.chunkSize, (chunk) => {
    opts.onChunk?.(chunk)
    done += chunk.length
  })
  try {
    for await (const chunk of stream) {
      parser.push(chunk)
      opts.onProgress?.(done, size)
    }
  } catch (e) {
    if (e instanceof KestrelError) throw e
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: read failed after ${done} bytes${gzip ? ' (gzip)' : ''} (${(e as Error).message})`,
      { path },
      { cause: e },
    )
  }
  return parser.finish()
}
