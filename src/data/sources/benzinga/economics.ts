/**
 * Benzinga economic calendar (`GET /api/v2.1/calendar/economics`): `parameters[date_from]` /
 * `parameters[date_to]`, `parameters[importance]` (the minimum), `country`, `page` / `pagesize`; the body is
 * `{economics: [{id, date, time, country, event_name, event_period, actual, consensus, prior, importance}]}`
 * with US Eastern `date` + `time`.
 */
import type { EpochMs, NewsQuery } from '../../../core/index.ts'
import { Fields } from '../provider-json.ts'
import { BenzingaClient, easternToUtc, utcDate, type BenzingaOptions } from './client.ts'

/** One scheduled release. */
export interface EconomicEvent {
  readonly id: string
  /** UTC instant of the release. */
  readonly time: EpochMs
  /** `USA`, `EUR`, … as Benzinga spells it. */
  readonly country: string
  readonly name: string
  /** The period it reports (`Q1`, `Mar`), when given. */
  readonly period?: string
  /** Benzinga's importance, 0 (low) … 5 (high). */
  readonly importance: number
  readonly actual?: string
  readonly consensus?: string
  readonly prior?: string
}

/** What to fetch: releases in [from, to), optionally only at or above an importance and for one country. */
export interface EconomicsQuery extends Pick<NewsQuery, 'from' | 'to'> {
  readonly minImportance?: number
  readonly country?: string
}

/** Settings of {@link BenzingaEconomics}. */
export interface BenzingaEconomicsOptions extends BenzingaOptions {
  /** Rows per page, at most 1000. Default 1000. */
  readonly pageSize?: number
}

const PATH = '/api/v2.1/calendar/economics'

/** The economic calendar from Benzinga. */
export class BenzingaEconomics {
  private readonly client: BenzingaClient

  constructor(private readonly opts: BenzingaEconomicsOptions) {
    this.client = new BenzingaClient(opts)
  }

  /** Releases in [from, to), oldest first. */
  async events(q: EconomicsQuery): Promise<EconomicEvent[]> {
    const rows = this.client.paged(
      PATH,
      {
        'parameters[date_from]': utcDate(q.from - 86_400_000),
        'parameters[date_to]': utcDate(q.to + 86_400_000),
        'parameters[importance]': q.minImportance !== undefined ? String(q.minImportance) : undefined,
        country: q.country,
      },
      'pagesize',
      this.opts.pageSize ?? 1000,
      BenzingaClient.calendarRows(PATH, 'economics'),
    )
    const out: EconomicEvent[] = []
    let i = 0
    for await (const raw of rows) {
      const e = benzingaEconomicEvent(new Fields('benzinga', PATH, `economics[${i++}]`, raw))
      if (e.time >= q.from && e.time < q.to && e.importance >= (q.minImportance ?? -Infinity)) out.push(e)
    }
    return out.sort((a, b) => a.time - b.time)
  }
}

/** Maps one Benzinga economics row. */
export function benzingaEconomicEvent(f: Fields): EconomicEvent {
  const opt = <K extends string>(k: K, v: string | undefined) =>
    v === undefined ? {} : ({ [k]: v } as Record<K, string>)
  return {
    id: f.str('id'),
    time: easternToUtc(f.str('date'), f.optStr('time')),
    country: f.str('country'),
    name: f.str('event_name'),
    importance: f.num('importance'),
    ...opt('period', f.optStr('event_period')),
    ...opt('actual', f.optStr('actual')),
    ...opt('consensus', f.optStr('consensus')),
    ...opt('prior', f.optStr('prior')),
  }
}
