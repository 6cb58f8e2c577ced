/**
 * A catalyst source over a JSON-lines file: one news or sentiment item per line,
 * `{ "time": "2013-10-07T14:00:00Z", "symbols": ["SPY"], "headline": "...", "sentiment": 0.6 }`
 * (`body` and `source` optional; blank lines and lines starting with `#` skipped). The file is read and checked
 * whole on the first pass: a bad line is DATA_BAD_ROW naming the file and the line. Items are handed out in time
 * order (ties in file order), only those with `from <= time < to`.
 */
import { readFile } from 'node:fs/promises'
import { KestrelError, parseIso, type CatalystSource, type EpochMs, type NewsItem } from '../../core/index.ts'

function bad(file: string, line: number, what: string): KestrelError {
  return new KestrelError('DATA_BAD_ROW', `${file} line ${line}: ${what}`, { path: file, line })
}

/** Parses the text of a JSON-lines catalyst file (`file` names it in errors); items sorted by time. */
export function parseCatalystLines(text: string, file: string): NewsItem[] {
  const items: { item: NewsItem; at: number }[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim()
    if (raw === '' || raw.startsWith('#')) continue
    const n = i + 1
    let v: unknown
    try {
      v = JSON.parse(raw)
    } catch (e) {
      throw bad(file, n, `not JSON (${(e as Error).message})`)
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(file, n, 'expected a JSON object')
    const o = v as Record<string, unknown>
    for (const k of Object.keys(o))
      if (!['id', 'time', 'symbols', 'headline', 'body', 'source', 'sentiment'].includes(k))
        throw bad(file, n, `unknown key ${JSON.stringify(k)} (id, time, symbols, headline, body, source, sentiment)`)
    if (o.id !== undefined && typeof o.id !== 'string') throw bad(file, n, 'id: expected a string')
    if (typeof o.time !== 'string') throw bad(file, n, 'time: expected an ISO-8601 string')
    let time: EpochMs
    try {
      time = parseIso(o.time)
    } catch {
      throw bad(file, n, `time: not an ISO-8601 time: ${JSON.stringify(o.time)}`)
    }
    if (!Array.isArray(o.symbols) || o.symbols.length === 0 || o.symbols.some((s) => typeof s !== 'string' || s === ''))
      throw bad(file, n, 'symbols: expected a non-empty array of symbols')
    if (typeof o.headline !== 'string' || o.headline === '') throw bad(file, n, 'headline: expected a non-empty string')
    if (o.body !== undefined && typeof o.body !== 'string') throw bad(file, n, 'body: expected a string')
    if (o.source !== undefined && typeof o.source !== 'string') throw bad(file, n, 'source: expected a string')
    if (o.sentiment !== undefined && !(typeof o.sentiment === 'number' && o.sentiment >= -1 && o.sentiment <= 1))
      throw bad(file, n, `sentiment: expected a number in [-1, 1], got ${JSON.stringify(o.sentiment)}`)
    // An item without its own id is known by where it was read: file and line.
    const item: NewsItem = {
      id: typeof o.id === 'string' && o.id !== '' ? o.id : `${file}:${n}`,
      time,
      symbols: o.symbols as string[],
      headline: o.headline,
      source: (o.source as string | undefined) ?? file,
      ...(o.body !== undefined ? { body: o.body as string } : {}),
      ...(o.sentiment !== undefined ? { sentiment: o.sentiment as number } : {}),
    }
    items.push({ item, at: n })
  }
  items.sort((a, b) => a.item.time - b.item.time || a.at - b.at)
  return items.map((x) => x.item)
}

/** A {@link CatalystSource} reading a JSON-lines file (see the module comment for the line format). */
export class JsonLinesCatalystSource implements CatalystSource {
  readonly name: string
  private items?: Promise<NewsItem[]>

  constructor(readonly file: string) {
    this.name = file
  }

  private load(): Promise<NewsItem[]> {
    this.items ??= readFile(this.file, 'utf8').then(
      (text) => parseCatalystLines(text, this.file),
      (e: unknown) => {
        const code = (e as { code?: string }).code
        throw code === 'ENOENT'
          ? new KestrelError('FILE_NOT_FOUND', `catalyst file ${this.file}: no such file`, { path: this.file })
          : e
      },
    )
    return this.items
  }

  async *read(from: EpochMs, to: EpochMs): AsyncIterable<NewsItem> {
    for (const item of await this.load()) if (item.time >= from && item.time < to) yield item
  }
}
