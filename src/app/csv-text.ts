/**
 * CSV text in and out for the use cases that write CSV (bars, features, indicators) or read a column of it:
 * one quote-aware line splitter, one field quoter, and one writer that waits for a slow reader and stops
 * quietly when the reader has gone (`kestrel … | head`).
 */
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { KestrelError, isoUtc, type BarSeries } from '../core/index.ts'

/** Splits one CSV line on `delim`, honouring double quotes (`""` inside quotes is one quote). */
export function splitCsvLine(line: string, delim = ','): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === delim) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

/** Quotes a CSV field when it holds a comma, quote or newline (column names like `macd(12,26,9).macd` do). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Writes, waiting for drain; resolves early when the reader has gone (e.g. `| head`), see `out.destroyed`. */
export async function writeText(out: Writable, text: string): Promise<void> {
  if (out.destroyed) return
  if (out.write(text)) return
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      resolve()
    }
    out.once('drain', done)
    out.once('close', done)
    out.once('error', done)
  })
}

/**
 * Text gathered and written in blocks of about 64 KiB. `add` returns a promise only when it writes a block
 * (await it then: `const p = w.add(line); if (p) await p`), so a row costs no tick.
 */
export class BlockWriter {
  private buf = ''
  constructor(private readonly out: Writable) {}
  add(text: string): Promise<void> | undefined {
    this.buf += text
    return this.buf.length > 1 << 16 ? this.flush() : undefined
  }
  async flush(): Promise<void> {
    if (this.buf) await writeText(this.out, this.buf)
    this.buf = ''
  }
}

/** A file to write CSV to; its errors surface in {@link closeFile}. */
export function openFile(path: string): Writable {
  const s = createWriteStream(path)
  s.on('error', () => {}) // surfaced by closeFile()
  return s
}

/** Ends a file opened by {@link openFile}; a write error is FILE_NOT_FOUND naming the path. */
export async function closeFile(out: Writable, path: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      if (out.errored) return reject(out.errored)
      out.once('error', reject)
      out.end(resolve)
    })
  } catch (e) {
    throw new KestrelError('FILE_NOT_FOUND', `${path}: cannot write (${(e as Error).message})`, { path }, { cause: e })
  }
}

/** Result of a resample: bars with their close time, minutes present and minutes expected. */
export interface BarsWithCounts extends BarSeries {
  readonly count: ArrayLike<number>
  readonly expected: ArrayLike<number>
  /** Gap filling's flags (1 = inserted); written as a last `filled` column when present. */
  readonly filled?: ArrayLike<number>
}

/** The header of a bar CSV in the bundled format. */
export const BARS_CSV_HEADER = 'timestamp,open,high,low,close,volume\n'

/** Writes bars as CSV rows (the bundled format; resampled bars add close_time, count and expected). */
export async function writeBarsCsv(out: Writable, s: BarSeries | BarsWithCounts, header = true): Promise<void> {
  const rs = 'count' in s ? s : undefined
  const flags = rs?.filled
  if (header)
    await writeText(
      out,
      rs ? BARS_CSV_HEADER.replace('\n', `,close_time,count,expected${flags ? ',filled' : ''}\n`) : BARS_CSV_HEADER,
    )
  const w = new BlockWriter(out)
  for (let i = 0; i < s.openTime.length; i++) {
    let line = `${isoUtc(s.openTime[i]!)},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`
    line += rs ? `,${isoUtc(s.closeTime[i]!)},${rs.count[i]},${rs.expected[i]}${flags ? `,${flags[i]}` : ''}\n` : '\n'
    const p = w.add(line)
    if (p) await p
  }
  await w.flush()
}
