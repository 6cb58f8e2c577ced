/**
 * Yahoo Finance fundamentals through the quoteSummary endpoint (`GET /v10/finance/quoteSummary/{symbol}
 * ?modules=summaryDetail,defaultKeyStatistics,…&crumb=…`). The body is `{quoteSummary: {result: [{<module>:
 * {<field>: {raw, fmt} | value}}], error}}`; an error is `{…: {result: null, error: {code, description}}}`.
 *
 * This is a small client of our own rather than yahoo-finance2's `quoteSummary()`: that call needs Yahoo's
 * cookie-and-crumb handshake, which the library runs against fixed hosts with a process-wide crumb cache and
 * manual redirects, so the URL-rewriting fetch hook the bar source uses cannot point it at a local server.
 * The same handshake is done here on configurable URLs: GET `cookieUrl` (Yahoo answers 404 with a
 * `set-cookie`), then GET `/v1/test/getcrumb` with that cookie; the crumb and cookie ride on each request.
 */
import { KestrelError } from '../../../core/index.ts'
import { fetchWithRetry } from '../http.ts'
import type { RetryPolicy } from '../http.ts'
import { getJson, shapeError, trimBase, type ProviderHttp } from '../provider-json.ts'

/** Settings of {@link YahooFundamentals}. */
export interface YahooFundamentalsOptions {
  /** Default `https://query2.finance.yahoo.com`. */
  readonly baseUrl?: string
  /** Where the session cookie comes from. Default `https://fc.yahoo.com`. */
  readonly cookieUrl?: string
  /** A crumb and cookie obtained elsewhere; skips the handshake. */
  readonly session?: { readonly crumb: string; readonly cookie: string }
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** A module's fields with Yahoo's `{raw, fmt}` pairs reduced to `raw`. */
export type SummaryModule = Readonly<Record<string, number | string | boolean | null>>

/** The modules of one symbol. */
export interface Fundamentals {
  readonly symbol: string
  readonly modules: Readonly<Record<string, SummaryModule>>
}

/** The fields a scanner asks for most, from `price`, `summaryDetail` and `defaultKeyStatistics`. */
export interface KeyFundamentals {
  readonly marketCap?: number
  readonly trailingPE?: number
  readonly forwardPE?: number
  readonly beta?: number
  readonly sharesOutstanding?: number
  readonly floatShares?: number
  readonly shortPercentOfFloat?: number
  readonly averageVolume?: number
}

/** Modules fetched by default. */
export const DEFAULT_SUMMARY_MODULES = ['price', 'summaryDetail', 'defaultKeyStatistics', 'financialData'] as const

/** quoteSummary client. */
export class YahooFundamentals {
  private readonly base: string
  private readonly http: ProviderHttp
  private session: Promise<{ crumb: string; cookie: string }> | undefined

  constructor(private readonly opts: YahooFundamentalsOptions = {}) {
    this.base = trimBase(opts.baseUrl ?? 'https://query2.finance.yahoo.com')
    this.http = { provider: 'yahoo', retry: opts.retry, fetch: opts.fetch }
    if (opts.session) this.session = Promise.resolve({ ...opts.session })
  }

  /** The modules of `symbol`. */
  async fundamentals(symbol: string, modules: readonly string[] = DEFAULT_SUMMARY_MODULES): Promise<Fundamentals> {
    const s = await (this.session ??= this.handshake())
    const path = `/v10/finance/quoteSummary/${encodeURIComponent(symbol)}`
    const url = new URL(`${this.base}${path}`)
    url.searchParams.set('modules', modules.join(','))
    url.searchParams.set('crumb', s.crumb)
    let body: unknown
    try {
      body = await getJson(this.http, url, { cookie: s.cookie })
    } catch (e) {
      // Yahoo's "Not Found" for an unknown symbol is an input error, not a provider failure.
      if (e instanceof KestrelError && e.details.status === 404)
        throw new KestrelError('DATA_NOT_FOUND', `yahoo: no quote summary for ${symbol}`, { symbol, path })
      throw e
    }
    const qs = (body as { quoteSummary?: { result?: unknown; error?: unknown } } | null)?.quoteSummary
    if (typeof qs !== 'object' || qs === null) throw shapeError('yahoo', path, 'no "quoteSummary" object', body)
    if (qs.error) {
      const err = qs.error as { code?: string; description?: string }
      throw new KestrelError('PROVIDER_ERROR', `yahoo: GET ${path}: ${err.code ?? 'error'}: ${err.description ?? ''}`, {
        provider: 'yahoo',
        path,
        code: err.code,
      })
    }
    if (!Array.isArray(qs.result) || qs.result.length !== 1)
      throw shapeError('yahoo', path, 'quoteSummary.result is not a one-element array', qs.result)
    const r = qs.result[0] as Record<string, unknown>
    const out: Record<string, SummaryModule> = {}
    for (const m of modules) {
      const mod = r[m]
      if (mod === undefined) continue
      if (typeof mod !== 'object' || mod === null || Array.isArray(mod))
        throw shapeError('yahoo', path, `module ${m} is not an object`, mod)
      out[m] = flattenModule(mod as Record<string, unknown>)
    }
    return { symbol, modules: out }
  }

  /** Cookie from `cookieUrl`, then the crumb for it. */
  private async handshake(): Promise<{ crumb: string; cookie: string }> {
    const f = this.opts.fetch ?? fetch
    const cookieUrl = this.opts.cookieUrl ?? 'https://fc.yahoo.com'
    let cookie: string
    try {
      const res = await f(cookieUrl, {
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.retry?.timeoutMs ?? 30_000),
      })
      await res.arrayBuffer()
      cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .join('; ')
    } catch (e) {
      throw new KestrelError(
        'PROVIDER_ERROR',
        `yahoo: no session cookie from ${new URL(cookieUrl).host}: ${(e as Error).message}`,
        {
          provider: 'yahoo',
        },
      )
    }
    if (!cookie)
      throw new KestrelError('PROVIDER_ERROR', `yahoo: ${new URL(cookieUrl).host} set no session cookie`, {
        provider: 'yahoo',
      })
    const res = await fetchWithRetry(
      'yahoo',
      `${this.base}/v1/test/getcrumb`,
      { headers: { cookie } },
      this.opts.retry,
      this.opts.fetch,
    )
    const crumb = (await res.text()).trim()
    if (!crumb || crumb.startsWith('{') || crumb.startsWith('<'))
      throw shapeError('yahoo', '/v1/test/getcrumb', 'expected a crumb', crumb.slice(0, 60))
    return { crumb, cookie }
  }
}

/** `{raw, fmt}` pairs become `raw`; empty objects (`{}`, Yahoo's "no value") become null; scalars stay. */
export function flattenModule(mod: Record<string, unknown>): SummaryModule {
  const out: Record<string, number | string | boolean | null> = {}
  for (const [k, v] of Object.entries(mod)) {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v
    else if (typeof v === 'object' && !Array.isArray(v)) {
      const raw = (v as { raw?: unknown }).raw
      if (typeof raw === 'number' || typeof raw === 'string') out[k] = raw
      else if (Object.keys(v).length === 0) out[k] = null
    }
  }
  return out
}

/** Picks {@link KeyFundamentals} out of fetched modules (absent where Yahoo had no number). */
export function keyFundamentals(f: Fundamentals): KeyFundamentals {
  const pick = (...refs: [string, string][]): number | undefined => {
    for (const [m, k] of refs) {
      const v = f.modules[m]?.[k]
      if (typeof v === 'number' && Number.isFinite(v)) return v
    }
    return undefined
  }
  const entries: [keyof KeyFundamentals, number | undefined][] = [
    ['marketCap', pick(['price', 'marketCap'], ['summaryDetail', 'marketCap'])],
    ['trailingPE', pick(['summaryDetail', 'trailingPE'])],
    ['forwardPE', pick(['summaryDetail', 'forwardPE'], ['defaultKeyStatistics', 'forwardPE'])],
    ['beta', pick(['summaryDetail', 'beta'], ['defaultKeyStatistics', 'beta'])],
    ['sharesOutstanding', pick(['defaultKeyStatistics', 'sharesOutstanding'])],
    ['floatShares', pick(['defaultKeyStatistics', 'floatShares'])],
    ['shortPercentOfFloat', pick(['defaultKeyStatistics', 'shortPercentOfFloat'])],
    ['averageVolume', pick(['summaryDetail', 'averageVolume'])],
  ]
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as KeyFundamentals
}
