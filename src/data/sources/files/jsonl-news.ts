/**
 * News items from a JSON-lines file: one object per line with `id`, `time` (epoch ms or an ISO-8601 string
 * with a zone), `symbols`, `headline`, and optionally `body`, `source`, `url`, `sentiment` in [-1, 1].
 * Parsing is strict: the whole file is checked before any item is handed out, an unknown key, a wrong type,
 * a duplicate id or a line that is not JSON is a {@link NewsFileError} naming the file and line. Blank lines
 * are the only lines skipped.
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { KestrelError } from '../../../core/index.ts'
import type { NewsItem, NewsQuery, NewsSource } from '../../../core/index.ts'

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
const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/

/** Parses one line into an item, or throws {@link NewsFileError}. `source` fills a missing `source`. */
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
  for (const k of Object.keys(o)) if (!KEYS.has(k)) bad(`unknown key ${JSON.stringify(k)}`)
  const str = (k: string, required: boolean): string | undefined => {
    const x = o[k]
    if (x === undefined && !required) return undefined
    if (typeof x !== 'string' || x.trim() === '')
      return bad(`${k} must be a non-empty string, got ${JSON.stringify(x)}`)
    return x
  }
  const id = str('id', true)!
  let time: number
  if (typeof o.time === 'number' && Number.isSafeInteger(o.time)) time = o.time
  else if (typeof o.time === 'string' && ISO_WITH_ZONE.test(o.time) && Number.isFinite(Date.parse(o.time)))
    time = Date.parse(o.time)
  else return bad(`time must be epoch ms or ISO-8601 with a zone, got ${JSON.stringify(o.time)}`)
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

/** Parses a whole JSON-lines text; every line is checked, ids are unique per source. */
export function parseNewsLines(text: string, file: string, source = basename(file)): NewsItem[] {
  const out: NewsItem[] = []
  const seen = new Map<string, number>()
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '')
    if (raw.trim() === '') continue
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

/** A {@link NewsSource} over a JSON-lines file; items come out oldest first (file order among equal times). */
export class JsonlNewsSource implements NewsSource {
  constructor(
    readonly path: string,
    /** Source name for lines without one; default the file's base name. */
    readonly sourceName = basename(path),
  ) {}

  /** Reads and checks the whole file, then yields the matching items by time. */
  async *news(q: NewsQuery): AsyncIterable<NewsItem> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      throw new KestrelError(
        'FILE_NOT_FOUND',
        `${this.path}: cannot read the news file (${(e as NodeJS.ErrnoException).code})`,
        {
          path: this.path,
        },
      )
    }
    const items = parseNewsLines(text, this.path, this.sourceName)
      .filter((it) => matchesNewsQuery(it, q))
      .sort((a, b) => a.time - b.time)
    for (const it of items) yield it
  }
}
