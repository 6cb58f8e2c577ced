/**
 * Polygon.io aggregates (`GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`) as a
 * {@link BarSource}: `from`/`to` in epoch ms (both inclusive at Polygon, so `to` is the request's end less
 * 1 ms), `adjusted`, `sort=asc`, `limit` up to 50000, pages through `next_url`. Each result
 * `{t, o, h, l, c, v}` is stamped at its window's start, Kestrel's open time.
 */
import { KestrelError, parseTimeframe } from '../../../core/index.ts'
import { ChunkBuilder } from '../chunk.ts'
import { Fields } from '../provider-json.ts'
import type { BarSource, FetchRequest, ResumeState, SourceChunk } from '../types.ts'
import { PolygonClient, type PolygonOptions } from './client.ts'

/** Settings of {@link PolygonBarSource}. */
export interface PolygonBarOptions extends PolygonOptions {
  /** Split-adjusted bars. Default true (Polygon's default). */
  readonly adjusted?: boolean
  /** Base aggregates per page, at most 50000. Default 50000. */
  readonly pageLimit?: number
}

/** Maps a Kestrel timeframe to Polygon's multiplier and timespan (`15m` → 15 minute, `1w` → 1 week). */
export function polygonTimespan(tf: string): { multiplier: number; timespan: string } {
  const t = parseTimeframe(tf)
  const span = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' } as Record<string, string>
  const s = span[t.unit]
  if (!s)
    throw new KestrelError('PARAM_INVALID', `polygon: timeframe ${tf} is not supported (seconds to weeks)`, { tf })
  return { multiplier: t.count, timespan: s }
}

/** Historical bars from Polygon.io. */
export class PolygonBarSource implements BarSource {
  readonly provider = 'polygon'
  private readonly client: PolygonClient

  constructor(private readonly opts: PolygonBarOptions) {
    this.client = new PolygonClient(opts)
  }

  /** Pages through the range; each page is one chunk. */
  async *fetch(req: FetchRequest, resume?: ResumeState): AsyncIterable<SourceChunk> {
    const b = new ChunkBuilder(this.provider, req, resume)
    if (b.done) return
    const { multiplier, timespan } = polygonTimespan(req.timeframe)
    const path = `/v2/aggs/ticker/${encodeURIComponent(req.symbol)}/range/${multiplier}/${timespan}/${b.from}/${req.to - 1}`
    const url = this.client.url(path, {
      adjusted: String(this.opts.adjusted ?? true),
      sort: 'asc',
      limit: String(this.opts.pageLimit ?? 50_000),
    })
    for await (const page of this.client.pages(url)) {
      b.request()
      const results = page.body.arr('results')
      for (let i = 0; i < results.length; i++) {
        const f = new Fields('polygon', page.url.pathname, `results[${i}]`, results[i])
        b.add(f.num('t'), f.raw('o'), f.raw('h'), f.raw('l'), f.raw('c'), f.raw('v'), () => JSON.stringify(results[i]))
      }
      if (!page.body.optStr('next_url')) b.coverUntil(req.to)
      yield b.take()
    }
  }
}
