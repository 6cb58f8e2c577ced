/**
 * Polygon.io ticker news (`GET /v2/reference/news`): `ticker`, `published_utc.gte` / `published_utc.lt`,
 * `order=asc`, `sort=published_utc`, `limit` up to 1000, pages through `next_url`. Several symbols are one
 * request each (the endpoint takes one ticker), merged by article id.
 */
import { isoUtc } from '../../../core/index.ts'
import type { NewsItem, NewsQuery, NewsSource } from '../../../core/index.ts'
import { mergeNews } from '../news-merge.ts'
import { Fields } from '../provider-json.ts'
import { PolygonClient, type PolygonOptions } from './client.ts'

/** Settings of {@link PolygonNewsSource}. */
export interface PolygonNewsOptions extends PolygonOptions {
  /** Articles per page, at most 1000. Default 1000. */
  readonly pageLimit?: number
}

/** News from Polygon.io. */
export class PolygonNewsSource implements NewsSource {
  private readonly client: PolygonClient

  constructor(private readonly opts: PolygonNewsOptions) {
    this.client = new PolygonClient(opts)
  }

  /** Articles published in [from, to), oldest first. */
  async *news(q: NewsQuery): AsyncIterable<NewsItem> {
    const symbols = q.symbols ?? []
    if (symbols.length <= 1) {
      yield* this.one(symbols[0], q)
      return
    }
    yield* await mergeNews(symbols.map((s) => this.one(s, q)))
  }

  private async *one(ticker: string | undefined, q: NewsQuery): AsyncIterable<NewsItem> {
    const url = this.client.url('/v2/reference/news', {
      ticker,
      'published_utc.gte': isoUtc(q.from),
      'published_utc.lt': isoUtc(q.to),
      order: 'asc',
      sort: 'published_utc',
      limit: String(this.opts.pageLimit ?? 1000),
    })
    for await (const page of this.client.pages(url)) {
      const results = page.body.arr('results')
      for (let i = 0; i < results.length; i++) {
        const f = new Fields('polygon', page.url.pathname, `results[${i}]`, results[i])
        const item = polygonNewsItem(f)
        if (item.time >= q.from && item.time < q.to) yield item
      }
    }
  }
}

/** Maps one Polygon article (`id`, `published_utc`, `tickers`, `title`, `description`, `article_url`). */
export function polygonNewsItem(f: Fields): NewsItem {
  const symbols = f.arr('tickers').map((t) => String(t).toUpperCase())
  const body = f.optStr('description')
  const url = f.optStr('article_url')
  return {
    id: f.str('id'),
    time: f.time('published_utc'),
    symbols,
    headline: f.str('title'),
    source: 'polygon',
    ...(body !== undefined && { body }),
    ...(url !== undefined && { url }),
  }
}
