/**
 * The Benzinga REST client shared by news and the calendars: the key as the `token` query parameter (how
 * Benzinga authenticates), `accept: application/json` (Benzinga answers XML otherwise), and page-numbered
 * lists (`page` from 0) read until a page comes back shorter than the page size. Calendar times are US
 * Eastern wall times (`date` + `time`) and are converted to UTC here.
 */
import { KestrelError } from '../../../core/index.ts'
import { dateToDayIndex, localToUtc } from '../../calendars/index.ts'
import type { RetryPolicy } from '../http.ts'
import { getJson, shapeError, trimBase, type ProviderHttp } from '../provider-json.ts'

/** Settings of the Benzinga clients. The key comes from config (`${ENV:BENZINGA_API_KEY}`), never from code. */
export interface BenzingaOptions {
  readonly token: string
  /** Default `https://api.benzinga.com`. */
  readonly baseUrl?: string
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** Default host of the Benzinga API. */
export const BENZINGA_BASE_URL = 'https://api.benzinga.com'

/** Low-level access to Benzinga endpoints. */
export class BenzingaClient {
  readonly base: string
  private readonly http: ProviderHttp

  constructor(private readonly opts: BenzingaOptions) {
    if (!opts.token)
      throw new KestrelError('CONFIG_INVALID', 'benzinga: token is required (set it from ${ENV:BENZINGA_API_KEY})')
    this.base = trimBase(opts.baseUrl ?? BENZINGA_BASE_URL)
    this.http = { provider: 'benzinga', retry: opts.retry, fetch: opts.fetch }
  }

  /** GETs `path` with `query` (and the token) and returns the parsed body. */
  async get(path: string, query: Record<string, string | undefined>): Promise<unknown> {
    const u = new URL(`${this.base}${path}`)
    u.searchParams.set('token', this.opts.token)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v)
    return getJson(this.http, u)
  }

  /**
   * Every row of a paged list: `page` = 0, 1, … with `pageSizeParam` = `pageSize`, until a page has fewer
   * rows. `rows` picks the array out of a body (news: the body; calendars: `body[key]`).
   */
  async *paged(
    path: string,
    query: Record<string, string | undefined>,
    pageSizeParam: string,
    pageSize: number,
    rows: (body: unknown) => readonly unknown[],
  ): AsyncIterable<unknown> {
    for (let page = 0; ; page++) {
      const body = await this.get(path, { ...query, page: String(page), [pageSizeParam]: String(pageSize) })
      const list = rows(body)
      for (const r of list) yield r
      if (list.length < pageSize) return
    }
  }

  /** The rows of a calendar body `{ [key]: [...] }`; Benzinga sends `[]` or `{}` when there are none. */
  static calendarRows(path: string, key: string): (body: unknown) => readonly unknown[] {
    return (body) => {
      if (Array.isArray(body) && body.length === 0) return []
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw shapeError('benzinga', path, `expected an object with "${key}"`, body)
      const v = (body as Record<string, unknown>)[key]
      if (v === undefined || v === null) return []
      if (!Array.isArray(v)) throw shapeError('benzinga', path, `"${key}" is not an array`, v)
      return v
    }
  }
}

/** A Benzinga calendar `date` (`YYYY-MM-DD`) and `time` (`HH:MM:SS`, US Eastern; empty = midnight) in UTC ms. */
export function easternToUtc(date: string, time: string | undefined): number {
  const day = dateToDayIndex(date)
  const m = /^(\d\d):(\d\d)(?::(\d\d))?$/.exec(time || '00:00:00')
  if (!m) throw new KestrelError('PROVIDER_ERROR', `benzinga: time ${JSON.stringify(time)} is not HH:MM:SS`, { time })
  const minute = Number(m[1]) * 60 + Number(m[2])
  return localToUtc('America/New_York', day, minute) + Number(m[3] ?? 0) * 1000
}

/** `YYYY-MM-DD` (UTC) of an instant, for Benzinga's date parameters. */
export function utcDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10)
}
