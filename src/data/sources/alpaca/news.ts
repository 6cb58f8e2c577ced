/**
 * Alpaca news (`GET /v1beta1/news` on the market-data host): `symbols` (comma-separated), `start` / `end`
 * (RFC 3339, inclusive), `sort=asc`, `limit` (≤ 50), `include_content`, paged with `page_token` /
 * `next_page_token`; the body is `{news: [{id, headline, summary, content, created_at, url, symbols,
 * source}], next_page_token}`.
 */
import { isoUtc } from '../../../core/index.ts'
import type { NewsItem, NewsQuery, NewsSource } from '../../../core/index.ts'
import type { RetryPolicy } from '../http.ts'
import { Fields, getJson, shapeError, trimBase, type ProviderHttp } from '../provider-json.ts'
import { alpacaHeaders, type AlpacaKeys } from './auth.ts'

/** Settings of {@link AlpacaNewsSource}. */
export interface AlpacaNewsOptions extends AlpacaKeys {
  /** Default `https://data.alpaca.markets`. */
  readonly baseUrl?: string
  /** Articles per page, at most 50. Default 50. */
  readonly pageLimit?: number
  /** Ask for the full (HTML) content; the body is then the content, else the summary. Default false. */
  readonly includeContent?: boolean
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

const PATH = '/v1beta1/news'

/** News from Alpaca (Benzinga's feed, as Alpaca serves it). */
export class AlpacaNewsSource implements NewsSource {
  private readonly base: string
  private readonly headers: Record<string, string>
  private readonly http: ProviderHttp

  constructor(private readonly opts: AlpacaNewsOptions) {
    this.headers = alpacaHeaders(opts)
    this.base = trimBase(opts.baseUrl ?? 'https://data.alpaca.markets')
    this.http = { provider: 'alpaca', retry: opts.retry, fetch: opts.fetch }
  }

  /** Articles created in [from, to), oldest first. */
  async *news(q: NewsQuery): AsyncIterable<NewsItem> {
    let token: string | undefined
    do {
      const url = new URL(`${this.base}${PATH}`)
      if (q.symbols && q.symbols.length > 0) url.searchParams.set('symbols', q.symbols.join(','))
      url.searchParams.set('start', isoUtc(q.from))
      url.searchParams.set('end', isoUtc(q.to - 1))
      url.searchParams.set('sort', 'asc')
      url.searchParams.set('limit', String(this.opts.pageLimit ?? 50))
      url.searchParams.set('include_content', String(this.opts.includeContent ?? false))
      if (token) url.searchParams.set('page_token', token)
      const body = new Fields('alpaca', PATH, 'body', await getJson(this.http, url, this.headers))
      const news = body.arr('news')
      for (let i = 0; i < news.length; i++) {
        const item = alpacaNewsItem(new Fields('alpaca', PATH, `news[${i}]`, news[i]))
        if (item.time >= q.from && item.time < q.to) yield item
      }
      const next = body.optStr('next_page_token')
      if (next !== undefined && next === token)
        throw shapeError('alpaca', PATH, 'next_page_token repeats the page just read', next)
      token = next
    } while (token)
  }
}

/** Maps one Alpaca article. */
export function alpacaNewsItem(f: Fields): NewsItem {
  const body = f.optStr('content') ?? f.optStr('summary')
  const url = f.optStr('url')
  return {
    id: f.str('id'),
    time: f.time('created_at'),
    symbols: f.arr('symbols').map((s) => String(s).toUpperCase()),
    headline: f.str('headline'),
    source: 'alpaca',
    ...(body !== undefined && { body }),
    ...(url !== undefined && { url }),
  }
}
