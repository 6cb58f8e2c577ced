/**
 * Historical OHLCV from any ccxt exchange: `fetchOHLCV` paged with `since` + `limit` (and `until`), under the
 * exchange's own rate limiter (`enableRateLimit`), with Kestrel's retries around each page, resumable from
 * the last bar delivered. `baseUrl` points every `urls.api` entry of the exchange at another host (tests
 * use a local server), so nothing else is ever contacted.
 */
import { createRequire } from 'node:module'
import type ccxtModule from 'ccxt'
import type { Exchange } from 'ccxt'
import { KestrelError, parseTimeframe } from '../../core/index.ts'
import { ChunkBuilder } from './chunk.ts'
import { backoffDelay, providerFailure, resolveRetryPolicy } from './http.ts'
import type { AttemptFailure, RetryPolicy } from './http.ts'
import type { BarSource, FetchRequest, ResumeState, SourceChunk } from './types.ts'

// ccxt is large (about a second to load): load it on first use, so commands that never fetch from an
// exchange start fast.
let ccxtLib: typeof ccxtModule | undefined
function ccxt(): typeof ccxtModule {
  ccxtLib ??= createRequire(import.meta.url)('ccxt') as typeof ccxtModule
  return ccxtLib
}

/** Settings of a ccxt download. */
export interface CcxtOptions {
  /** ccxt exchange id (`binance`, `kraken`, …) or a ready exchange instance. */
  readonly exchange: string | Exchange
  /** Sends every API request to this origin instead (paths kept). */
  readonly baseUrl?: string
  /** Merged into the exchange's `options` (e.g. `{ fetchMarkets: { types: ['spot'] } }`). */
  readonly exchangeOptions?: Record<string, unknown>
  /** Bars per request. Default 1000. */
  readonly pageLimit?: number
  /** Milliseconds between requests for ccxt's throttle; default the exchange's own `rateLimit`. */
  readonly rateLimitMs?: number
  readonly retry?: RetryPolicy
}

/** Rewrites every URL string in a ccxt `urls.api` tree to `base` + its path. */
export function rewriteApiUrls(api: unknown, base: string): unknown {
  const origin = base.replace(/\/+$/, '')
  if (typeof api === 'string') {
    const u = new URL(api)
    return `${origin}${u.pathname === '/' ? '' : u.pathname}`
  }
  if (api && typeof api === 'object') {
    return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, rewriteApiUrls(v, origin)]))
  }
  return api
}

/** Makes the ccxt exchange for `opts` (rate limiter on). Throws PARAM_INVALID for an unknown id. */
export function makeExchange(opts: CcxtOptions, timeoutMs: number): Exchange {
  let ex: Exchange
  if (typeof opts.exchange === 'string') {
    const Cls = (ccxt() as unknown as Record<string, new (cfg: object) => Exchange>)[opts.exchange]
    if (!ccxt().exchanges.includes(opts.exchange) || typeof Cls !== 'function') {
      throw new KestrelError('PARAM_INVALID', `ccxt: unknown exchange ${JSON.stringify(opts.exchange)}`, {
        exchange: opts.exchange,
      })
    }
    // The throttle is built in the constructor, so the rate limit must be given there.
    ex = new Cls({ enableRateLimit: true, ...(opts.rateLimitMs !== undefined ? { rateLimit: opts.rateLimitMs } : {}) })
  } else {
    ex = opts.exchange
  }
  ex.enableRateLimit = true
  ex.timeout = timeoutMs
  if (opts.rateLimitMs !== undefined) ex.rateLimit = opts.rateLimitMs
  if (opts.exchangeOptions) ex.options = { ...ex.options, ...opts.exchangeOptions }
  if (opts.baseUrl) ex.urls = { ...ex.urls, api: rewriteApiUrls(ex.urls.api, opts.baseUrl) as Exchange['urls']['api'] }
  return ex
}

/** Historical bars from a ccxt exchange. */
export class CcxtSource implements BarSource {
  readonly provider: string
  readonly exchange: Exchange
  private readonly policy

  constructor(private readonly opts: CcxtOptions) {
    this.policy = resolveRetryPolicy(opts.retry)
    this.exchange = makeExchange(opts, this.policy.timeoutMs)
    this.provider = `ccxt:${this.exchange.id}`
  }

  /** Pages forward from `from` (or the resume point) until `to`; each page is one chunk. */
  async *fetch(req: FetchRequest, resume?: ResumeState): AsyncIterable<SourceChunk> {
    const ex = this.exchange
    const id = req.instrumentId ?? `${req.symbol.replace(/[/:]/g, '-')}.${ex.id.toUpperCase()}`
    const b = new ChunkBuilder(this.provider, { ...req, instrumentId: id }, resume)
    const tf = parseTimeframe(req.timeframe).text
    if (ex.timeframes && !(tf in ex.timeframes)) {
      throw new KestrelError(
        'PARAM_INVALID',
        `${this.provider}: timeframe ${tf} is not offered (${Object.keys(ex.timeframes).join(', ')})`,
      )
    }
    // A failed loadMarkets stays cached inside ccxt unless reloaded, so every attempt reloads.
    if (!ex.markets || Object.keys(ex.markets).length === 0) await this.call(() => ex.loadMarkets(true))
    const limit = this.opts.pageLimit ?? 1000
    while (!b.done) {
      const since = b.from
      b.request()
      const rows = await this.call(() => ex.fetchOHLCV(req.symbol, tf, since, limit, { until: req.to - 1 }))
      let maxT = -Infinity
      for (const r of rows) {
        const t = Number(r[0])
        if (t > maxT) maxT = t
        b.add(t, r[1], r[2], r[3], r[4], r[5], () => JSON.stringify(r))
      }
      // An empty page, or one reaching past the range (exchanges that ignore `until`), ends the download.
      if (rows.length === 0 || maxT + b.tfMs >= req.to) b.coverUntil(req.to)
      const chunk = b.take()
      if (rows.length > 0 && b.from === since) {
        throw new KestrelError(
          'PROVIDER_ERROR',
          `${this.provider}: fetchOHLCV(${req.symbol}, since ${since}) made no progress: ${rows.length} rows, none at or after since`,
          { provider: this.provider, since },
        )
      }
      yield chunk
    }
  }

  /** Runs one ccxt call with retries: rate limits (honouring Retry-After), timeouts and network errors. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.policy
    let last: AttemptFailure | undefined
    let made = 0
    for (let attempt = 1; attempt <= p.maxAttempts; attempt++) {
      made = attempt
      try {
        return await fn()
      } catch (e) {
        last = this.classify(e)
      }
      if (attempt === p.maxAttempts) break
      if (last.retryAfterMs !== undefined && last.retryAfterMs > p.maxRetryAfterMs) break
      await p.sleep(Math.max(last.retryAfterMs ?? 0, backoffDelay(p, attempt)))
    }
    throw providerFailure(this.provider, this.lastPath(), made, last!)
  }

  private classify(e: unknown): AttemptFailure {
    const msg = (e as Error)?.message ?? String(e)
    if (e instanceof ccxt().RateLimitExceeded || e instanceof ccxt().DDoSProtection) {
      const ra = this.exchange.last_response_headers?.['Retry-After']
      const secs = ra !== undefined && /^\d+(\.\d+)?$/.test(String(ra)) ? Number(ra) * 1000 : undefined
      return { kind: 'rate', status: 429, detail: msg, retryAfterMs: secs }
    }
    if (e instanceof ccxt().RequestTimeout)
      return { kind: 'timeout', detail: `no answer within ${this.exchange.timeout} ms` }
    if (e instanceof ccxt().NetworkError) return { kind: 'server', status: statusIn(msg), detail: msg }
    throw new KestrelError(
      'PROVIDER_ERROR',
      `${this.provider}: ${msg}`,
      { provider: this.provider, path: this.lastPath() },
      { cause: e },
    )
  }

  private lastPath(): string {
    const u = this.exchange.last_request_url as string | undefined
    try {
      return u ? new URL(u).pathname : '?'
    } catch {
      return '?'
    }
  }
}

/** The HTTP status in a ccxt error message (`... 503 Service Unavailable ...`), if any. */
function statusIn(msg: string): number | undefined {
  const m = / ([45]\d\d) [A-Z]/.exec(msg)
  return m ? Number(m[1]) : undefined
}
