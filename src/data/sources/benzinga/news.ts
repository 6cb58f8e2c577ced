/**
 * Benzinga newsfeed (`GET /api/v2/news`): `tickers` (comma-separated), `dateFrom` / `dateTo` (dates,
 * inclusive), `displayOutput` (`full` with body, `abstract`, `headline`), `page` / `pageSize` (≤ 100).
 * The body is a JSON array of stories `{id, created (RFC 2822), title, teaser, body, url, stocks: [{name}]}`.
 * Dates are whole days, so the exact [from, to) cut is made here on `created`.
 */
import type { NewsItem, NewsQuery, NewsSource } from '../../../core/index.ts'
import { MS } from '../../../core/index.ts'
import { mergeNews } from '../news-merge.ts'
import { Fields, shapeError } from '../provider-json.ts'
import { BenzingaClient, utcDate, type BenzingaOptions } from './client.ts'

/** Settings of {@link BenzingaNewsSource}. */
export interface BenzingaNewsOptions extends BenzingaOptions {
  /** Stories per page, at most 100. Default 100. */
  readonly pageSize?: number
  /** `full` (default: body as HTML), `abstract` or `headline`. */
  readonly displayOutput?: 'full' | 'abstract' | 'headline'
}

const PATH = '/api/v2/news'

/** News from Benzinga. */
export class BenzingaNewsSource implements NewsSource {
  private readonly client: BenzingaClient

  constructor(private readonly opts: BenzingaNewsOptions) {
    this.client = new BenzingaClient(opts)
  }

  /** Stories created in [from, to), oldest first. */
  async *news(q: NewsQuery): AsyncIterable<NewsItem> {
    yield* await mergeNews([this.all(q)])
  }

  private async *all(q: NewsQuery): AsyncIterable<NewsItem> {
    const rows = this.client.paged(
      PATH,
      {
        tickers: q.symbols && q.symbols.length > 0 ? q.symbols.join(',') : undefined,
        dateFrom: utcDate(q.from - MS.day),
        dateTo: utcDate(q.to + MS.day),
        displayOutput: this.opts.displayOutput ?? 'full',
      },
      'pageSize',
      this.opts.pageSize ?? 100,
      (body) => {
        if (!Array.isArray(body)) throw shapeError('benzinga', PATH, 'expected an array of stories', body)
        return body
      },
    )
    let i = 0
    for await (const raw of rows) {
      const item = benzingaNewsItem(new Fields('benzinga', PATH, `story[${i++}]`, raw))
      if (item.time >= q.from && item.time < q.to) yield item
    }
  }
}

/** Maps one Benzinga story. The body is the teaser when there is one, else the (HTML) body. */
export function benzingaNewsItem(f: Fields): NewsItem {
  const symbols = f
    .arr('stocks')
    .map((s, i) => new Fields(f.provider, f.path, `${f.where}.stocks[${i}]`, s).str('name').toUpperCase())
  const body = f.optStr('teaser') ?? f.optStr('body')
  const url = f.optStr('url')
  return {
    id: f.str('id'),
    time: f.time('created'),
    symbols,
    headline: f.str('title'),
    source: 'benzinga',
    ...(body !== undefined && { body }),
    ...(url !== undefined && { url }),
  }
}
