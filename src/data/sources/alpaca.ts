/**
 * Alpaca market data v2 historical bars (`GET /v2/stocks/{symbol}/bars`), paged with `page_token` /
 * `next_page_token`, authenticated with the `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers.
 */
import { KestrelError, isoUtc, parseTimeframe } from '../../core/index.ts'
import { ChunkBuilder } from './chunk.ts'
import { fetchWithRetry } from './http.ts'
import type { RetryPolicy } from './http.ts'
import type { BarSource, FetchRequest, ResumeState, SourceChunk } from './types.ts'

/** Settings of the Alpaca client. Keys come from config (`${ENV:APCA_API_KEY_ID}`), never from code. */
export interface AlpacaOptions {
  readonly keyId: string
  readonly secretKey: string
  /** Default `https://data.alpaca.markets`. */
  readonly baseUrl?: string
  /** `iex` (free) or `sip`. Default `iex`. */
  readonly feed?: string
  /** `raw`, `split`, `dividend` or `all`. Default `raw`. */
  readonly adjustment?: string
  /** Bars per page, at most 10000. Default 10000. */
  readonly pageLimit?: number
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** One bar as Alpaca sends it. */
interface AlpacaBar {
  t: string
  o: number | null
  h: number | null
  l: number | null
  c: number | null
  v: number | null
}

/** Maps a Kestrel timeframe to Alpaca's (`1m` → `1Min`, `1h` → `1Hour`, `1d` → `1Day`, `1w` → `1Week`). */
export function alpacaTimeframe(tf: string): string {
  const t = parseTimeframe(tf)
  const unit = { m: 'Min', h: 'Hour', d: 'Day', w: 'Week' } as Record<string, string>
  const u = unit[t.unit]
  if (!u)
    throw new KestrelError('PARAM_INVALID', `alpaca: timeframe ${tf} is not supported (minutes, hours, days, weeks)`)
  return `${t.count}${u}`
}

/** Historical bars from Alpaca. */
export class AlpacaSource implements BarSource {
  readonly provider = 'alpaca'
  private readonly base: string

  constructor(private readonly opts: AlpacaOptions) {
    if (!opts.keyId || !opts.secretKey) {
      throw new KestrelError('CONFIG_INVALID', 'alpaca: keyId and secretKey are required (set them from ${ENV:...})')
    }
    this.base = (opts.baseUrl ?? 'https://data.alpaca.markets').replace(/\/+$/, '')
  }

  /** Pages through the range; each page is one chunk. */
  async *fetch(req: FetchRequest, resume?: ResumeState): AsyncIterable<SourceChunk> {
    const b = new ChunkBuilder(this.provider, req, resume)
    if (b.done) return
    const tf = alpacaTimeframe(req.timeframe)
    let pageToken: string | undefined
    const start = isoUtc(b.from)
    do {
      const url = new URL(`${this.base}/v2/stocks/${encodeURIComponent(req.symbol)}/bars`)
      url.searchParams.set('timeframe', tf)
      url.searchParams.set('start', start)
      url.searchParams.set('end', isoUtc(req.to - 1))
      url.searchParams.set('limit', String(this.opts.pageLimit ?? 10_000))
      url.searchParams.set('adjustment', this.opts.adjustment ?? 'raw')
      url.searchParams.set('feed', this.opts.feed ?? 'iex')
      url.searchParams.set('sort', 'asc')
      if (pageToken) url.searchParams.set('page_token', pageToken)
      b.request()
      const res = await fetchWithRetry(
        this.provider,
        url,
        { headers: { 'APCA-API-KEY-ID': this.opts.keyId, 'APCA-API-SECRET-KEY': this.opts.secretKey } },
        this.opts.retry,
        this.opts.fetch,
      )
      const body = (await readJson(res, url)) as { bars?: AlpacaBar[] | null; next_page_token?: string | null }
      if (body.bars != null && !Array.isArray(body.bars)) {
        throw new KestrelError('PROVIDER_ERROR', `alpaca: GET ${url.pathname}: "bars" is not an array`, {
          path: url.pathname,
        })
      }
      for (const bar of body.bars ?? []) {
        const t = Date.parse(bar.t)
        if (!Number.isFinite(t)) {
          throw new KestrelError(
            'PROVIDER_ERROR',
            `alpaca: GET ${url.pathname}: bar time ${JSON.stringify(bar.t)} is not RFC 3339`,
            { path: url.pathname },
          )
        }
        b.add(t, bar.o, bar.h, bar.l, bar.c, bar.v, () => JSON.stringify(bar))
      }
      pageToken = body.next_page_token ?? undefined
      if (!pageToken) b.coverUntil(req.to)
      yield b.take()
    } while (pageToken)
  }
}

/** Parses a JSON body, or throws PROVIDER_ERROR naming the path. */
async function readJson(res: Response, url: URL, provider = 'alpaca'): Promise<unknown> {
  const text = await res.text()
  try {
    return JSON.parse(text)
  } catch {
    throw new KestrelError(
      'PROVIDER_ERROR',
      `${provider}: GET ${url.pathname} answered with something that is not JSON: ${text.slice(0, 120)}`,
      {
        provider,
        path: url.pathname,
      },
    )
  }
}
