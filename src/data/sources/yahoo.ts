/**
 * Yahoo Finance bars through yahoo-finance2's `chart()` (v8 chart endpoint). yahoo-finance2 takes an injected
 * `fetch` per call; ours rewrites its `https://query2.finance.yahoo.com` URL to the configured base URL and
 * adds Kestrel's retries, so tests point the real library at a local server. Yahoo caps intraday ranges per
 * request (1m: 8 days), so the range is walked in windows: those are the pages.
 */
import type YahooFinance from 'yahoo-finance2'
import { KestrelError, MS, isKestrelError, parseTimeframe } from '../../core/index.ts'
import { ChunkBuilder } from './chunk.ts'
import { fetchWithRetry } from './http.ts'
import type { RetryPolicy } from './http.ts'
import type { BarSource, FetchRequest, ResumeState, SourceChunk } from './types.ts'

/** Settings of the Yahoo client. */
export interface YahooOptions {
  /** Default `https://query2.finance.yahoo.com`. */
  readonly baseUrl?: string
  /** Window per request; default by interval (1m: 7 days, ≤30m: 55 days, hours: 700 days, else 10 years). */
  readonly windowMs?: number
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

type ChartInterval = '1m' | '2m' | '5m' | '15m' | '30m' | '60m' | '90m' | '1h' | '1d' | '5d' | '1wk' | '1mo' | '3mo'
const INTERVALS: Record<string, ChartInterval> = {
  '1m': '1m',
  '2m': '2m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '60m': '60m',
  '90m': '90m',
  '1h': '1h',
  '1d': '1d',
  '5d': '5d',
  '1w': '1wk',
}

/** Maps a Kestrel timeframe to a Yahoo interval (`1w` → `1wk`); throws PARAM_INVALID for one Yahoo lacks. */
export function yahooInterval(tf: string): ChartInterval {
  const t = parseTimeframe(tf)
  const i = INTERVALS[t.text]
  if (!i)
    throw new KestrelError(
      'PARAM_INVALID',
      `yahoo: timeframe ${tf} is not offered (use one of ${Object.keys(INTERVALS).join(', ')})`,
    )
  return i
}

function defaultWindow(tfMs: number): number {
  if (tfMs <= MS.minute) return 7 * MS.day
  if (tfMs <= 30 * MS.minute) return 55 * MS.day
  if (tfMs < MS.day) return 700 * MS.day
  return 3650 * MS.day
}

/** Historical bars from Yahoo Finance. */
export class YahooSource implements BarSource {
  readonly provider = 'yahoo'
  private readonly base: string
  private yf: Promise<InstanceType<typeof YahooFinance>> | undefined

  constructor(private readonly opts: YahooOptions = {}) {
    this.base = (opts.baseUrl ?? 'https://query2.finance.yahoo.com').replace(/\/+$/, '')
  }

  /** The library's client, loaded on first use (importing the data layer does not load yahoo-finance2). */
  private client(): Promise<InstanceType<typeof YahooFinance>> {
    // No version check (it calls the npm registry), no survey notice, no console logging.
    const quiet = { info() {}, warn() {}, error() {}, debug() {}, dir() {} }
    return (this.yf ??= import('yahoo-finance2').then(
      (m) => new m.default({ versionCheck: false, suppressNotices: ['yahooSurvey'], logger: quiet }),
    ))
  }

  /** Walks the range window by window; each window is one chunk. */
  async *fetch(req: FetchRequest, resume?: ResumeState): AsyncIterable<SourceChunk> {
    const b = new ChunkBuilder(this.provider, req, resume)
    const interval = yahooInterval(req.timeframe)
    const window = this.opts.windowMs ?? defaultWindow(b.tfMs)
    while (!b.done) {
      const p1 = b.from
      const p2 = Math.min(req.to, p1 + window)
      b.request()
      let chart
      try {
        chart = await (
          await this.client()
        ).chart(
          req.symbol,
          {
            period1: new Date(p1),
            period2: new Date(p2),
            interval,
            includePrePost: true,
            events: '',
            return: 'object',
          },
          { fetch: this.fetchVia(), validateResult: true },
        )
      } catch (e) {
        if (isKestrelError(e)) throw e
        throw new KestrelError(
          'PROVIDER_ERROR',
          `yahoo: chart ${req.symbol} ${interval}: ${(e as Error)?.message ?? String(e)}`,
          {
            provider: this.provider,
            path: `/v8/finance/chart/${req.symbol}`,
          },
          { cause: e },
        )
      }
      const ts = chart.timestamp ?? []
      const q = chart.indicators.quote[0]
      for (let i = 0; i < ts.length; i++) {
        const t = ts[i]! * 1000
        b.add(t, q?.open[i], q?.high[i], q?.low[i], q?.close[i], q?.volume[i], () =>
          JSON.stringify({ t: ts[i], o: q?.open[i], h: q?.high[i], l: q?.low[i], c: q?.close[i], v: q?.volume[i] }),
        )
      }
      b.coverUntil(p2)
      yield b.take()
    }
  }

  /** The fetch handed to yahoo-finance2: same path and query on our base URL, with retries. */
  private fetchVia(): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const src = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
      const target = new URL(`${this.base}${src.pathname}${src.search}`)
      const headers = new Headers(init?.headers)
      return fetchWithRetry(this.provider, target, { method: 'GET', headers }, this.opts.retry, this.opts.fetch)
    }) as typeof fetch
  }
}
