/** Reads a CSV bar file from disk in chunks (memory bounded by the bars, not the file text). */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { KestrelError } from '../../core/index.ts'
import { CsvBarParser, type CsvOptions, type CsvParseResult } from './csv-bar-parser.ts'

/** Options for {@link readCsvFile}: parse options plus a progress callback on bytes read. */
export interface ReadCsvOptions extends CsvOptions {
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void
  /** Sees every chunk of raw bytes as read (e.g. to hash the file in the same pass). */
  readonly onChunk?: (chunk: Uint8Array) => void
  /** Read chunk size in bytes. Default 4 MiB. */
  readonly chunkSize?: number
}

/** Parses the CSV file at `path`; FILE_NOT_FOUND when it is missing. */
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
  const parser = new CsvBarParser({
    ...opts,
    source: opts.source ?? path,
    expectedRows: opts.expectedRows ?? Math.ceil(size / 40) + 16,
  })
  let done = 0
  const stream = createReadStream(path, { highWaterMark: opts.chunkSize ?? 4 << 20 })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      opts.onChunk?.(chunk)
      parser.push(chunk)
      done += chunk.length
      opts.onProgress?.(done, size)
    }
  } catch (e) {
    if (e instanceof KestrelError) throw e
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: read failed after ${done} bytes (${(e as Error).message})`,
      { path },
      { cause: e },
    )
  }
  return parser.finish()
}
