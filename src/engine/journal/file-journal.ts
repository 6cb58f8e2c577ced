/**
 * The journal of a live or paper node: an append-only file of hash-chained records (format in `records.ts`),
 * written before the node acts on what it records (crash-only design: the node's state is a projection of the
 * journal, rebuilt at every start).
 *
 * Durability, per record, once {@link FileJournal.append} returns:
 * - `os` (default): the line is in the operating system (`write(2)` returned): it survives a kill of the
 *   process, not a power cut.
 * - `fsync`: `fdatasync(2)` after every record: it survives a power cut.
 * - `batch`: in the OS at once, `fdatasync` after every `batchRecords` records or `batchMs` milliseconds,
 *   whichever comes first (group commit): a power cut loses at most that window.
 * `bench/journal.bench.ts` measures each mode.
 *
 * One process writes a journal at a time: a `<file>.lock` holding the writer's pid is taken on open and
 * refused while that process lives (two nodes on one journal would send every order twice). A lock left by a
 * killed process is taken over.
 */
import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { GENESIS_HASH, KestrelError } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'
import { encodeRecord, scanJournal, type JournalRecord } from './records.ts'

/** How durable a record is when `append` returns (see the file header). */
export type Durability = 'os' | 'fsync' | 'batch'

/** Every durability mode, for flags and docs. */
export const DURABILITY_MODES: readonly Durability[] = ['os', 'fsync', 'batch']

/** Options of {@link FileJournal.open}. */
export interface FileJournalOptions {
  /** Default `os`. */
  readonly durability?: Durability
  /** `batch`: records per fdatasync (default 256). */
  readonly batchRecords?: number
  /** `batch`: longest wait before an fdatasync, in ms (default 20). */
  readonly batchMs?: number
  /** Called for each existing record when the journal is opened, in order (the node's projection). */
  readonly onRecord?: (r: JournalRecord) => void
}

/** What opening an existing journal found. */
export interface JournalRecovery {
  /** Records already in the journal. */
  readonly records: number
  /** Bytes of a torn last line that were cut off (a write the process did not finish; nothing acted on it). */
  readonly tornBytes: number
}

/** An append-only, hash-chained journal file with one writer. */
export class FileJournal {
  /** What was in the file when it was opened. */
  readonly recovery: JournalRecovery
  private fd: number
  private seq: number
  private prev: string
  private unsynced = 0
  private timer: NodeJS.Timeout | undefined
  private readonly lock: string

  private constructor(
    readonly path: string,
    private readonly durability: Durability,
    private readonly batchRecords: number,
    private readonly batchMs: number,
    fd: number,
    lock: string,
    seq: number,
    prev: string,
    recovery: JournalRecovery,
  ) {
    this.fd = fd
    this.lock = lock
    this.seq = seq
    this.prev = prev
    this.recovery = recovery
  }

  /**
   * Opens (or creates) the journal at `path` for appending: takes the lock, reads and checks every record
   * (calling `onRecord` for each), cuts off a torn last line, and positions after the last record. A record
   * that breaks the chain refuses the open (JOURNAL_INVALID naming it): a journal is never silently repaired.
   */
  static open(path: string, opts: FileJournalOptions = {}): FileJournal {
    const durability = opts.durability ?? 'os'
    if (!DURABILITY_MODES.includes(durability))
      throw new KestrelError(
        'PARAM_INVALID',
        `journal durability: expected one of ${DURABILITY_MODES.join(', ')}, got ${String(durability)}`,
      )
    const batchRecords = opts.batchRecords ?? 256
    const batchMs = opts.batchMs ?? 20
    if (!(Number.isInteger(batchRecords) && batchRecords >= 1))
      throw new KestrelError('PARAM_INVALID', `journal batchRecords: expected an integer >= 1, got ${batchRecords}`)
    if (!(Number.isFinite(batchMs) && batchMs > 0))
      throw new KestrelError('PARAM_INVALID', `journal batchMs: expected a positive number, got ${batchMs}`)
    const lock = `${path}.lock`
    mkdirSync(dirname(path), { recursive: true })
    takeLock(lock, path)
    try {
      let seq = 0
      let prev = GENESIS_HASH
      let tornBytes = 0
      if (existsSync(path)) {
        const scan = scanJournal(path, opts.onRecord)
        if (scan.firstBad)
          throw new KestrelError(
            'JOURNAL_INVALID',
            `journal ${path}: record ${scan.firstBad.line}: ${scan.firstBad.reason}; refusing to append to a broken chain`,
            { path, record: scan.firstBad.line },
          )
        seq = scan.records
        prev = scan.lastHash
        tornBytes = scan.tornBytes
        if (tornBytes > 0) {
          const fd = openSync(path, 'r+')
          try {
            ftruncateSync(fd, scan.goodBytes)
            fdatasyncSync(fd)
          } finally {
            closeSync(fd)
          }
        }
      }
      const fd = openSync(path, 'a')
      return new FileJournal(path, durability, batchRecords, batchMs, fd, lock, seq, prev, { records: seq, tornBytes })
    } catch (e) {
      releaseLock(lock)
      throw e
    }
  }

  /** Sequence number of the last record (0 when empty). */
  get lastSeq(): number {
    return this.seq
  }

  /** Hash of the last record (64 zeros when empty). */
  get lastHash(): string {
    return this.prev
  }

  /**
   * Appends one record and returns it once it is as durable as the journal's mode says. `data` must be plain
   * JSON: a NaN or infinite number, a bigint or a function is refused (JOURNAL_INVALID) and nothing is written.
   */
  append(kind: string, data: unknown, time: EpochMs): JournalRecord {
    if (this.fd < 0) throw new KestrelError('STATE_INVALID', `journal ${this.path}: closed`)
    const { line, record } = encodeRecord(this.seq + 1, time, kind, data, this.prev)
    const buf = Buffer.from(`${line}\n`, 'utf8')
    let off = 0
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off)
    this.seq = record.seq
    this.prev = record.hash
    if (this.durability === 'fsync') fdatasyncSync(this.fd)
    else if (this.durability === 'batch') {
      if (++this.unsynced >= this.batchRecords) this.sync()
      else if (this.timer === undefined) {
        this.timer = setTimeout(() => this.sync(), this.batchMs)
        this.timer.unref()
      }
    }
    return record
  }

  /** Flushes to the disk now (`fdatasync`). */
  sync(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.unsynced = 0
    if (this.fd >= 0) fdatasyncSync(this.fd)
  }

  /** Flushes, closes the file and releases the lock. */
  close(): void {
    if (this.fd < 0) return
    this.sync()
    closeSync(this.fd)
    this.fd = -1
    releaseLock(this.lock)
  }
}

/** Whether `pid` runs. A zombie (killed, not yet reaped: common in containers without an init) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (not Linux): trust kill(0)
  }
}

function takeLock(lock: string, path: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' })
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10)
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new KestrelError('STATE_INVALID', `journal ${path}: in use by process ${pid} (lock ${lock})`, { pid })
      // A lock left by a process that no longer runs: take it over.
      unlinkSync(lock)
    }
  }
  throw new KestrelError('STATE_INVALID', `journal ${path}: could not take the lock ${lock}`)
}

function releaseLock(lock: string): void {
  try {
    unlinkSync(lock)
  } catch {
    // Already gone: nothing to release.
  }
}
