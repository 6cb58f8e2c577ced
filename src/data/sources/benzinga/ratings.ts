/**
 * Benzinga analyst ratings (`GET /api/v2.1/calendar/ratings`): `parameters[tickers]`,
 * `parameters[date_from]` / `parameters[date_to]`, `page` / `pagesize` (≤ 1000); the body is
 * `{ratings: [{id, date, time, ticker, analyst, action_company, rating_current, rating_prior, pt_current,
 * pt_prior, importance, url}]}` with US Eastern `date` + `time`. Ratings also read as catalyst items.
 */
import type { EpochMs, NewsItem, NewsQuery, NewsSource } from '../../../core/index.ts'
import { Fields } from '../provider-json.ts'
import { BenzingaClient, easternToUtc, utcDate, type BenzingaOptions } from './client.ts'

/** One analyst action. */
export interface AnalystRating {
  readonly id: string
  /** UTC instant of the action. */
  readonly time: EpochMs
  readonly ticker: string
  /** The firm (`Goldman Sachs`). */
  readonly firm: string
  /** `Upgrades`, `Downgrades`, `Maintains`, `Initiates Coverage On`, … */
  readonly action: string
  readonly ratingCurrent?: string
  readonly ratingPrior?: string
  readonly priceTargetCurrent?: number
  readonly priceTargetPrior?: number
  /** Benzinga's importance, 0 (low) … 5 (high). */
  readonly importance?: number
  readonly url?: string
}

const PATH = '/api/v2.1/calendar/ratings'

/** Settings of {@link BenzingaRatings}. */
export interface BenzingaRatingsOptions extends BenzingaOptions {
  /** Rows per page, at most 1000. Default 1000. */
  readonly pageSize?: number
}

/** Analyst ratings from Benzinga; also a {@link NewsSource} of them as headlines. */
export class BenzingaRatings implements NewsSource {
  private readonly client: BenzingaClient

  constructor(private readonly opts: BenzingaRatingsOptions) {
    this.client = new BenzingaClient(opts)
  }

  /** Ratings with a time in [from, to), oldest first. */
  async ratings(q: NewsQuery): Promise<AnalystRating[]> {
    const rows = this.client.paged(
      PATH,
      {
        'parameters[tickers]': q.symbols && q.symbols.length > 0 ? q.symbols.join(',') : undefined,
        'parameters[date_from]': utcDate(q.from - 86_400_000),
        'parameters[date_to]': utcDate(q.to + 86_400_000),
      },
      'pagesize',
      this.opts.pageSize ?? 1000,
      BenzingaClient.calendarRows(PATH, 'ratings'),
    )
    const out: AnalystRating[] = []
    let i = 0
    for await (const raw of rows) {
      const r = benzingaRating(new Fields('benzinga', PATH, `ratings[${i++}]`, raw))
      if (r.time >= q.from && r.time < q.to) out.push(r)
    }
    return out.sort((a, b) => a.time - b.time)
  }

  /** The ratings as catalyst items (headline like `Goldman Sachs Upgrades AAPL to Buy, PT 150 → 180`). */
  async *news(q: NewsQuery): AsyncIterable<NewsItem> {
    for (const r of await this.ratings(q)) yield ratingNewsItem(r)
  }
}

/** Maps one Benzinga rating row. */
export function benzingaRating(f: Fields): AnalystRating {
  const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>))
  return {
    id: f.str('id'),
    time: easternToUtc(f.str('date'), f.optStr('time')),
    ticker: f.str('ticker').toUpperCase(),
    firm: f.str('analyst'),
    action: f.str('action_company'),
    ...opt('ratingCurrent', f.optStr('rating_current')),
    ...opt('ratingPrior', f.optStr('rating_prior')),
    ...opt('priceTargetCurrent', f.optNum('pt_current')),
    ...opt('priceTargetPrior', f.optNum('pt_prior')),
    ...opt('importance', f.optNum('importance')),
    ...opt('url', f.optStr('url')),
  }
}

/** A rating as a catalyst item, source `benzinga:ratings`. */
export function ratingNewsItem(r: AnalystRating): NewsItem {
  const to = r.ratingCurrent ? ` to ${r.ratingCurrent}` : ''
  const pt =
    r.priceTargetCurrent !== undefined
      ? `, PT ${r.priceTargetPrior !== undefined ? `${r.priceTargetPrior} → ` : ''}${r.priceTargetCurrent}`
      : ''
  return {
    id: r.id,
    time: r.time,
    symbols: [r.ticker],
    headline: `${r.firm} ${r.action} ${r.ticker}${to}${pt}`,
    source: 'benzinga:ratings',
    ...(r.url !== undefined && { url: r.url }),
  }
}
