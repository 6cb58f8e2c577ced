/**
 * Reading and verifying a journal file. A record is one line of JSON:
 *
 *     {"seq":1,"time":1700000000000,"kind":"bar","data":{...},"prev":"<64 hex>","hash":"<64 hex>"}
 *
 * `hash` is the SHA-256 of the line's exact bytes before `,"hash":` (so no re-serialisation is involved),
 * `prev` the hash of the record before (64 zeros for the first), `seq` counts from 1 without gaps. Changing,
 * deleting, inserting or reordering a record breaks the chain at that record. A last line without its newline
 * is a torn write (the process died inside `write`): it was never acknowledged, so nothing acted on it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { GENESIS_HASH, KestrelError, isHashHex, sha256Hex } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'

/** One record of the journal. */
export interface JournalRecord<D = unknown> {
  /** 1-based, consecutive. */
  readonly seq: number
  /** The node's clock when the record was written. */
  readonly time: EpochMs
  /** What the record is (`bar`, `submit`, `report`, `kill`, ...): the node's vocabulary, not the journal's. */
  readonly kind: string
  readonly data: D
  /** Hash of the record before (64 zeros for the first). */
  readonly prev: string
  /** SHA-256 of this record's line up to its hash. */
  readonly hash: string
}

/** Length of `,"hash":"<64 hex>"}` at the end of every line. */
export const HASH_SUFFIX_LENGTH = 75

/** The line of a record (without its newline) and the record, from its parts. */
export function encodeRecord(
  seq: number,
  time: EpochMs,
  kind: string,
  data: unknown,
  prev: string,
): { line: string; record: JournalRecord } {
  const body = `{"seq":${seq},"time":${time},"kind":${JSON.stringify(kind)},"data":${json(data, kind)},"prev":"${prev}"`
  const hash = sha256Hex(body)
  return { line: `${body},"hash":"${hash}"}`, record: { seq, time, kind, data, prev, hash } }
}

/** JSON of `data`, refusing what JSON cannot carry faithfully (NaN, ±Infinity, bigint, functions). */
function json(data: unknown, kind: string): string {
  const text = JSON.stringify(data, (key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new KestrelError(
        'JOURNAL_INVALID',
        `journal: ${kind} record: ${key || 'data'} is ${v}, not a finite number`,
      )
    if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol')
      throw new KestrelError('JOURNAL_INVALID', `journal: ${kind} record: ${key || 'data'} is a ${typeof v}`)
    return v
  })
  return text === undefined ? 'null' : text
}

/** Why a line is not the next record of the chain, or undefined when it is. */
export function checkLine(
  line: string,
  expectSeq: number,
  expectPrev: string,
): { record: JournalRecord; error?: undefined } | { record?: undefined; error: string } {
  if (line.length <= HASH_SUFFIX_LENGTH || !line.endsWith('"}')) return { error: 'not a journal record (bad framing)' }
  const body = line.slice(0, line.length - HASH_SUFFIX_LENGTH)
  const suffix = line.slice(line.length - HASH_SUFFIX_LENGTH)
  if (!suffix.startsWith(',"hash":"')) return { error: 'not a journal record (no hash at the end)' }
  const hash = suffix.slice(9, 73)
  if (!isHashHex(hash)) return { error: 'hash is not 64 hex digits' }
  let r: Partial<JournalRecord>
  try {
    r = JSON.parse(line) as Partial<JournalRecord>
  } catch {
    return { error: 'not valid JSON' }
  }
  if (r.seq !== expectSeq) return { error: `seq is ${String(r.seq)}, expected ${expectSeq}` }
  if (typeof r.time !== 'number' || !Number.isFinite(r.time)) return { error: 'time is not a number' }
  if (typeof r.kind !== 'string') return { error: 'kind is not a string' }
  if (r.prev !== expectPrev) return { error: `prev does not match the hash of record ${expectSeq - 1}` }
  if (sha256Hex(body) !== hash) return { error: 'hash does not match the record (changed after it was written)' }
  return { record: r as JournalRecord }
}

/** Lines of a file, read synchronously in chunks; the last element says whether the file ended in a newline. */
function* lines(path: string): Generator<{ line: string; offset: number; end: number; complete: boolean }> {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new KestrelError('FILE_NOT_FOUND', `journal ${path}: no such file`)
    throw e
  }
  try {
    const size = fstatSync(fd).size
    const buf = Buffer.alloc(1 << 20)
    let carry = Buffer.alloc(0)
    let pos = 0
    let lineStart = 0
    while (pos < size) {
      const n = readSync(fd, buf, 0, buf.length, pos)
      if (n <= 0) break
      pos += n
      let chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n)
      let from = 0
      for (;;) {
        const nl = chunk.indexOf(10, from)
        if (nl < 0) break
        const line = chunk.toString('utf8', from, nl)
        yield { line, offset: lineStart, end: lineStart + (nl - from) + 1, complete: true }
        lineStart += nl - from + 1
        from = nl + 1
      }
      carry = Buffer.from(chunk.subarray(from))
      chunk = carry
    }
    if (carry.length > 0)
      yield { line: carry.toString('utf8'), offset: lineStart, end: lineStart + carry.length, complete: false }
  } finally {
    closeSync(fd)
  }
}

/** What {@link scanJournal} found. */
export interface JournalScan {
  /** Whole, chained records. */
  readonly records: number
  readonly lastHash: string
  /** Byte length of the good prefix (where the next record goes). */
  readonly goodBytes: number
  /** Bytes of a torn last line (no newline), 0 when none. */
  readonly tornBytes: number
  /** The first record that breaks the chain (1-based line), when one does. */
  readonly firstBad?: { readonly line: number; readonly reason: string }
}

/**
 * Reads a journal from the start, checking every link; calls `onRecord` for each good record (and its exact
 * line) in order. Stops
 * at the first bad record (reported in `firstBad`); a torn last line is reported in `tornBytes`, not as bad.
 */
export function scanJournal(path: string, onRecord?: (r: JournalRecord, line: string) => void): JournalScan {
  let seq = 0
  let prev = GENESIS_HASH
  let goodBytes = 0
  for (const l of lines(path)) {
    if (!l.complete) {
      // A torn write is an unterminated last line; a whole record without its newline is torn as well.
      return { records: seq, lastHash: prev, goodBytes, tornBytes: l.end - l.offset }
    }
    const c = checkLine(l.line, seq + 1, prev)
    if (c.error !== undefined)
      return { records: seq, lastHash: prev, goodBytes, tornBytes: 0, firstBad: { line: seq + 1, reason: c.error } }
    seq++
    prev = c.record.hash
    goodBytes = l.end
    onRecord?.(c.record, l.line)
  }
  return { records: seq, lastHash: prev, goodBytes, tornBytes: 0 }
}

/** Every record of an intact journal, in order; throws JOURNAL_INVALID naming the first bad record. */
export function readJournal(path: string): JournalRecord[] {
  const out: JournalRecord[] = []
  const s = scanJournal(path, (r) => out.push(r))
  if (s.firstBad)
    throw new KestrelError('JOURNAL_INVALID', `journal ${path}: record ${s.firstBad.line}: ${s.firstBad.reason}`, {
      path,
      record: s.firstBad.line,
    })
  return out
}
