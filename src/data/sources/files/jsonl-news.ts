/**
 * The one reader of JSON-lines news and catalyst files: one object per line with `time` (epoch ms, an ISO-8601
 * time with a zone, or a date, read as 00:00 UTC), `symbols` (upper-cased; empty for market-wide items),
 * `headline`, and optionally `id`, `body`, `source`, `url`, `sentiment` in [-1, 1]. Blank lines and lines
 * starting with `#` are skipped.
 *
 * Ids: an explicit `id` wins; a line without one is known by where it was read, `<file name>:<line>` (the file's
 * base name, so the id does not change with the directory it is read from). Ids are unique per source.
 *
 * Parsing is strict: the whole file is checked before any item is handed out, and an unknown key, a wrong type,
 * a duplicate id or a line that is not JSON is a {@link NewsFileError} naming the file and line.
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { KestrelError } from '../../../core/index.ts'
import { parseRecordTime } from './jsonl-records.ts'
import type { CatalystSource, EpochMs, NewsItem, NewsQuery, NewsSource } from '../../../core/index.ts'

/** A bad line in a news file (code DATA_BAD_ROW; FILE_NOT_FOUND when the file cannot be read). */
export class NewsFileError extends KestrelError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super('DATA_BAD_ROW', `${file} line ${line}: ${reason}`, { file, line, reason })
    this.name = 'NewsFileError'
  }
}

const KEYS = new Set(['id', 'time', 'symbols', 'headline', 'body', 'source', 'url', 'sentiment'])
/** The id of a line without one: `<file name>:<line>`. */
export function lineNewsId(file: string, line: number): string {
  return `${basename(file)}:${line}`
}

/**
 * Parses one line into an item, or throws {@link NewsFileError}. `source` fills a missing `source`; a missing
 * `id` is {@link lineNewsId}.
 */
export function parseNewsLine(text: string, file: string, line: number, source: string): NewsItem {
  const bad = (reason: string): never => {
    throw new NewsFileError(file, line, reason)
  }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    return bad(`not JSON (${(e as Error).message})`)
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('expected a JSON object')
  const o = v as Record<string, unknown>
  for (const k of Object.keys(o))
    if (!KEYS.has(k)) bad(`unknown key ${JSON.stringify(k)} (expected ${[...KEYS].join(', ')})`)
  const str = (k: string, required: boolean): string | undefined => {
    const x = o[k]
    if (x === undefined && !required) return undefined
    if (typeof x !== 'string' || x.trim() === '')
      return bad(`${k} must be a non-empty string, got ${JSON.stringify(x)}`)
    return x
  }
  const id = str('id', false) ?? lineNewsId(file, line)
  const time = parseRecordTime(o.time)
  if (time === undefined)
    return bad(`time must be epoch ms, an ISO-8601 time with a zone or a date, got ${JSON.stringify(o.time)}`)
  if (!Array.isArray(o.symbols) || o.symbols.some((s) => typeof s !== 'string' || s.trim() === ''))
    return bad(`symbols must be an array of non-empty strings, got ${JSON.stringify(o.symbols)}`)
  const sentiment = o.sentiment
  if (sentiment !== undefined && !(typeof sentiment === 'number' && sentiment >= -1 && sentiment <= 1))
    return bad(`sentiment must be a number in [-1, 1], got ${JSON.stringify(sentiment)}`)
  const body = str('body', false)
  const url = str('url', false)
  return {
    id,
    time,
    symbols: (o.symbols as string[]).map((s) => s.trim().toUpperCase()),
    headline: str('headline', true)!,
    source: str('source', false) ?? source,
    ...(body !== undefined && { body }),
    ...(url !== undefined && { url }),
    ...(sentiment !== undefined && { sentiment }),
  }
}

/** Parses a whole JSON-lines text in file order; every line is checked, ids are unique per source. */
export function parseNewsLines(text: string, file: string, source = basename(file)): NewsItem[] {
  const out: NewsItem[] = []
  const seen = new Map<string, number>()
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '')
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const item = parseNewsLine(raw, file, i + 1, source)
    const key = `${item.source}\u0000${item.id}`
    const first = seen.get(key)
    if (first !== undefined)
      throw new NewsFileError(file, i + 1, `duplicate id ${JSON.stringify(item.id)} (first on line ${first})`)
    seen.set(key, i + 1)
    out.push(item)
  }
  return out
}

/** Keeps the items a query asks for: published in [from, to), tagged with one of `symbols` when given. */
export function matchesNewsQuery(item: NewsItem, q: NewsQuery): boolean {
  if (!(item.time >= q.from && item.time < q.to)) return false
  if (!q.symbols || q.symbols.length === 0) return true
  return item.symbols.some((s) => q.symbols!.some((w) => w.toUpperCase() === s))
}

/**
 * A JSON-lines news file as a {@link NewsSource} and as a {@link CatalystSource} (the shape the catalyst
 * scanners read); items come out oldest first (file order among equal times).
 */
export class JsonlNewsSource implements NewsSource, CatalystSource {
  /** The name in scanner messages and alert details: the file's path. */
  readonly name: string

  constructor(
    readonly path: string,
    /** Source name for lines without one; default the file's base name. */
    readonly sourceName = basename(path),
  ) {
    this.name = path
  }

  /** Reads and checks the whole file; the items in time order. */
  async items(): Promise<NewsItem[]> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw new KestrelError('FILE_NOT_FOUND', `${this.path}: cannot read the news file (${code})`, {
        path: this.path,
      })
    }
    return parseNewsLines(text, this.path, this.sourceName).sort((a, b) => a.time - b.time)
  }

  /** Reads and checks the whole file, then yields the matching items by time. */
  async *news(q: NewsQuery): AsyncIterable<NewsItem> {
    for (const it of await this.items()) if (matchesNewsQuery(it, q)) yield it
  }

  /** The items published in [from, to), by time. */
  read(from: EpochMs, to: EpochMs): AsyncIterable<NewsItem> {
    return this.news({ from, to })
  }
}
