/**
 * The Polygon.io REST client shared by news, aggregates and market status: `Authorization: Bearer <key>`
 * on every request, pages followed through the `next_url` the provider returns (rebased onto the configured
 * base URL, so a test server or proxy keeps every page), and Polygon's error bodies
 * (`{"status":"ERROR","error":…}`, `{"status":"NOT_AUTHORIZED","message":…}`) turned into PROVIDER_ERROR.
 */
import { KestrelError } from '../../../core/index.ts'
import type { RetryPolicy } from '../http.ts'
import { Fields, getJson, shapeError, trimBase, type ProviderHttp } from '../provider-json.ts'

/** Settings of the Polygon clients. The key comes from config (`${ENV:POLYGON_API_KEY}`), never from code. */
export interface PolygonOptions {
  readonly apiKey: string
  /** Default `https://api.polygon.io`. */
  readonly baseUrl?: string
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** Default host of the Polygon REST API. */
export const POLYGON_BASE_URL = 'https://api.polygon.io'

/** One page of a Polygon list endpoint. */
export interface PolygonPage {
  readonly url: URL
  readonly body: Fields
}

/** Low-level access: one GET, or every page of a list. */
export class PolygonClient {
  readonly base: string
  private readonly http: ProviderHttp

  constructor(private readonly opts: PolygonOptions) {
    if (!opts.apiKey)
      throw new KestrelError('CONFIG_INVALID', 'polygon: apiKey is required (set it from ${ENV:POLYGON_API_KEY})')
    this.base = trimBase(opts.baseUrl ?? POLYGON_BASE_URL)
    this.http = { provider: 'polygon', retry: opts.retry, fetch: opts.fetch }
  }

  /** The URL of `path` with `query` on the base. */
  url(path: string, query: Record<string, string | undefined> = {}): URL {
    const u = new URL(`${this.base}${path}`)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v)
    return u
  }

  /** GETs a URL and returns the parsed body after checking Polygon's error statuses. */
  async get(url: URL): Promise<unknown> {
    const body = await getJson(this.http, url, { authorization: `Bearer ${this.opts.apiKey}` })
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const o = body as Record<string, unknown>
      if (o.status === 'ERROR' || o.status === 'NOT_AUTHORIZED' || o.status === 'NOT_FOUND') {
        const msg = typeof o.error === 'string' ? o.error : typeof o.message === 'string' ? o.message : ''
        throw new KestrelError(
          'PROVIDER_ERROR',
          `polygon: GET ${url.pathname}: status ${o.status}${msg ? `: ${msg}` : ''}`,
          {
            provider: 'polygon',
            path: url.pathname,
            status: o.status,
            requestId: o.request_id,
          },
        )
      }
    }
    return body
  }

  /** Every page of a list endpoint, starting at `first`, following `next_url` until there is none. */
  async *pages(first: URL): AsyncIterable<PolygonPage> {
    let url: URL | undefined = first
    const seen = new Set<string>()
    while (url) {
      const key = url.pathname + url.search
      if (seen.has(key)) throw shapeError('polygon', url.pathname, `next_url repeats a page already read`, key)
      seen.add(key)
      const body: Fields = new Fields('polygon', url.pathname, 'body', await this.get(url))
      yield { url, body }
      const next: string | undefined = body.optStr('next_url')
      url = next ? this.rebase(next, url.pathname) : undefined
    }
  }

  /** `next_url` with its path and query moved onto our base (the provider names its own host). */
  private rebase(next: string, path: string): URL {
    let u: URL
    try {
      u = new URL(next)
    } catch {
      throw shapeError('polygon', path, 'next_url is not a URL', next)
    }
    return new URL(`${this.base}${u.pathname}${u.search}`)
  }
}
