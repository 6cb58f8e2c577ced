/**
 * Polygon.io upcoming market holidays and early closes (`GET /v1/marketstatus/upcoming`): a JSON array of
 * `{exchange, name, date, status: "closed" | "early-close", open?, close?}`.
 */
import type { EpochMs } from '../../../core/index.ts'
import { Fields, shapeError } from '../provider-json.ts'
import { PolygonClient, type PolygonOptions } from './client.ts'

/** One upcoming holiday or early close of one exchange. */
export interface MarketHoliday {
  readonly exchange: string
  readonly name: string
  /** Local calendar date, `YYYY-MM-DD`. */
  readonly date: string
  readonly status: 'closed' | 'early-close'
  /** Open and close of an early-close day (absent when closed). */
  readonly open?: EpochMs
  readonly close?: EpochMs
}

const PATH = '/v1/marketstatus/upcoming'

/** Fetches the upcoming holidays, in the provider's order (by date). */
export async function polygonUpcomingHolidays(opts: PolygonOptions): Promise<MarketHoliday[]> {
  const client = new PolygonClient(opts)
  const body = await client.get(client.url(PATH))
  if (!Array.isArray(body)) throw shapeError('polygon', PATH, 'expected an array of holidays', body)
  return body.map((raw, i) => {
    const f = new Fields('polygon', PATH, `[${i}]`, raw)
    const status = f.str('status')
    if (status !== 'closed' && status !== 'early-close')
      throw shapeError('polygon', PATH, `[${i}].status is not closed or early-close`, status)
    const date = f.str('date').slice(0, 10)
    if (!/^\d{4}-\d\d-\d\d$/.test(date)) throw shapeError('polygon', PATH, `[${i}].date is not a date`, f.raw('date'))
    const open = f.optStr('open')
    const close = f.optStr('close')
    return {
      exchange: f.str('exchange'),
      name: f.str('name'),
      date,
      status,
      ...(open !== undefined && { open: f.time('open') }),
      ...(close !== undefined && { close: f.time('close') }),
    }
  })
}
