/**
 * JSON-lines record files that quarantine: one object per line, blank lines and `#` lines skipped. Each line is
 * parsed on its own; a bad line (not JSON, an unknown key, a field of the wrong type or out of range, a repeated
 * id) becomes a {@link RecordLineError} naming the file, the line and the field, and goes to the quarantine with
 * its raw text, so nothing is dropped silently and the good lines are still read. Ids follow the news files'
 * rule: an explicit `id` wins, a line without one is `<file name>:<line>`.
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { KestrelError, type EpochMs } from '../../../core/index.ts'
import type { QuarantinedRow } from '../../store/types.ts'

/** A bad line in a record file (code DATA_BAD_ROW); `reason` is a stable code such as `BAD_FIELD`. */
export class RecordLineError extends KestrelError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: 'NOT_JSON' | 'NOT_OBJECT' | 'UNKNOWN_KEY' | 'BAD_FIELD' | 'DUPLICATE_ID',
    what: string,
    readonly field?: string,
  ) {
    super('DATA_BAD_ROW', `${file} line ${line}: ${what}`, { file, line, reason, ...(field && { field }) })
    this.name = 'RecordLineError'
  }
}

const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/
const ISO_DATE = /^(\d{4})-(\d\d)-(\d\d)$/

/** 00:00 UTC of an ISO date `YYYY-MM-DD` the calendar has, else undefined. */
export function parseRecordDate(x: unknown): EpochMs | undefined {
  const d = typeof x === 'string' ? ISO_DATE.exec(x) : null
  if (!d) return undefined
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])]
  const t = Date.UTC(y, m - 1, day)
  const u = new Date(t)
  return u.getUTCFullYear() === y && u.getUTCMonth() === m - 1 && u.getUTCDate() === day ? t : undefined
}

/** A record time: epoch ms, an ISO-8601 time with a zone, or a date (00:00 UTC); else undefined. */
export function parseRecordTime(x: unknown): EpochMs | undefined {
  if (typeof x === 'number') return Number.isSafeInteger(x) ? x : undefined
  if (typeof x !== 'string') return undefined
  if (ISO_DATE.test(x)) return parseRecordDate(x)
  if (!ISO_WITH_ZONE.test(x)) return undefined
  const t = Date.parse(x)
  return Number.isFinite(t) ? t : undefined
}

/** The typed fields of one line's object; each getter throws {@link RecordLineError} naming the field. */
export class RecordFields {
  constructor(
    readonly o: Readonly<Record<string, unknown>>,
    readonly file: string,
    readonly line: number,
  ) {}

  private bad(field: string, expected: string): never {
    throw new RecordLineError(
      this.file,
      this.line,
      'BAD_FIELD',
      `${field}: expected ${expected}, got ${JSON.stringify(this.o[field]) ?? 'nothing'}`,
      field,
    )
  }

  /** A non-empty string (trimmed). */
  string(k: string): string {
    const x = this.o[k]
    return typeof x === 'string' && x.trim() !== '' ? x.trim() : this.bad(k, 'a non-empty string')
  }

  /** A finite number ≥ `min` (> `min` when `strict`), an integer when `int`. */
  number(k: string, min: number, opts: { strict?: boolean; int?: boolean } = {}): number {
    const x = this.o[k]
    const ok =
      typeof x === 'number' &&
      Number.isFinite(x) &&
      (opts.strict ? x > min : x >= min) &&
      (!opts.int || Number.isSafeInteger(x))
    return ok ? x : this.bad(k, `${opts.int ? 'an integer' : 'a number'} ${opts.strict ? '>' : '≥'} ${min}`)
  }

  /** One of `values`. */
  oneOf<T extends string>(k: string, values: readonly T[]): T {
    const x = this.o[k]
    return values.includes(x as T) ? (x as T) : this.bad(k, `one of ${values.join(', ')}`)
  }

  /** Epoch ms, an ISO-8601 time with a zone, or a date. */
  time(k: string): EpochMs {
    return parseRecordTime(this.o[k]) ?? this.bad(k, 'epoch ms, an ISO-8601 time with a zone or a date')
  }

  /** An ISO date `YYYY-MM-DD`, as 00:00 UTC. */
  date(k: string): EpochMs {
    return parseRecordDate(this.o[k]) ?? this.bad(k, 'a date YYYY-MM-DD')
  }
}

/** What a record file held: its records in time order (file order among equal times) and its bad lines. */
export interface RecordFile<T> {
  readonly records: readonly T[]
  readonly quarantine: readonly QuarantinedRow[]
}

/**
 * Parses a JSON-lines text of records. `keys` are the keys a line may have besides `id`; `parse` reads one
 * line's fields (it throws {@link RecordLineError} for a bad one).
 */
export function parseRecordLines<T extends { readonly id: string; readonly time: EpochMs }>(
  text: string,
  file: string,
  keys: readonly string[],
  parse: (f: RecordFields, id: string) => T,
): RecordFile<T> {
  const allowed = new Set(['id', ...keys])
  const records: { r: T; at: number }[] = []
  const quarantine: QuarantinedRow[] = []
  const seen = new Map<string, number>()
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '')
    const t = raw.trim()
    if (t === '' || t.startsWith('#')) continue
    const line = i + 1
    try {
      let v: unknown
      try {
        v = JSON.parse(raw)
      } catch (e) {
        throw new RecordLineError(file, line, 'NOT_JSON', `not JSON (${(e as Error).message})`)
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new RecordLineError(file, line, 'NOT_OBJECT', 'expected a JSON object')
      const o = v as Record<string, unknown>
      for (const k of Object.keys(o))
        if (!allowed.has(k))
          throw new RecordLineError(
            file,
            line,
            'UNKNOWN_KEY',
            `unknown key ${JSON.stringify(k)} (expected ${[...allowed].join(', ')})`,
            k,
          )
      const f = new RecordFields(o, file, line)
      const id = o.id === undefined ? `${basename(file)}:${line}` : f.string('id')
      const first = seen.get(id)
      if (first !== undefined)
        throw new RecordLineError(
          file,
          line,
          'DUPLICATE_ID',
          `duplicate id ${JSON.stringify(id)} (first on line ${first})`,
          'id',
        )
      const r = parse(f, id)
      seen.set(id, line)
      records.push({ r, at: line })
    } catch (e) {
      if (!(e instanceof RecordLineError)) throw e
      quarantine.push({
        source: file,
        line,
        ...(e.field !== undefined && { field: e.field }),
        reason: e.reason,
        message: e.message,
        severity: 'error',
        raw,
      })
    }
  }
  records.sort((a, b) => a.r.time - b.r.time || a.at - b.at)
  return { records: records.map((x) => x.r), quarantine }
}

/** Reads a record file once (FILE_NOT_FOUND when it cannot be read) and parses it with {@link parseRecordLines}. */
export async function readRecordFile<T extends { readonly id: string; readonly time: EpochMs }>(
  path: string,
  keys: readonly string[],
  parse: (f: RecordFields, id: string) => T,
): Promise<RecordFile<T>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new KestrelError('FILE_NOT_FOUND', `${path}: cannot read the file (${(e as NodeJS.ErrnoException).code})`, {
      path,
    })
  }
  return parseRecordLines(text, path, keys, parse)
}

/**
 * A time-ordered record file as a source: `read(from, to)` yields the records in [from, to); `quarantine` holds
 * the bad lines once the file has been read. The file is read on the first call and kept.
 */
export class JsonlRecordSource<T extends { readonly id: string; readonly time: EpochMs }> {
  /** The file's base name, for alert details (messages name the whole path). */
  readonly name: string
  private file?: Promise<RecordFile<T>>
  private bad: readonly QuarantinedRow[] = []

  constructor(
    readonly path: string,
    private readonly keys: readonly string[],
    private readonly parse: (f: RecordFields, id: string) => T,
  ) {
    this.name = basename(path)
  }

  /** The records and the quarantine of the whole file. */
  async load(): Promise<RecordFile<T>> {
    this.file ??= readRecordFile(this.path, this.keys, this.parse).then((f) => {
      this.bad = f.quarantine
      return f
    })
    return this.file
  }

  /** The bad lines of the file (empty before the first read). */
  get quarantine(): readonly QuarantinedRow[] {
    return this.bad
  }

  async *read(from: EpochMs, to: EpochMs): AsyncIterable<T> {
    for (const r of (await this.load()).records) if (r.time >= from && r.time < to) yield r
  }
}
