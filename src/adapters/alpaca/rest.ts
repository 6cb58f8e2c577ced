/**
 * Alpaca's REST API with the key headers and the retry policy of the data layer's HTTP client (exponential
 * backoff with jitter; 429 honours Retry-After). Failures are typed: VENUE_RATE_LIMITED, VENUE_TIMEOUT,
 * VENUE_UNAVAILABLE (network, 5xx, a body that is not JSON), and {@link AlpacaApiError} for the venue's own
 * refusals (4xx with Alpaca's `{code, message}` body), which are never retried.
 */
import { KestrelError } from '../../core/index.ts'
import { backoffDelay, parseRetryAfter, resolveRetryPolicy, type RetryPolicy } from '../../data/index.ts'
import type { ResolvedRetryPolicy } from '../../data/index.ts'

/** A refusal of the venue: its HTTP status and Alpaca's error code and message. */
export class AlpacaApiError extends KestrelError {
  constructor(
    readonly status: number,
    readonly alpacaCode: number | undefined,
    readonly alpacaMessage: string,
    method: string,
    path: string,
  ) {
    super(
      status === 401 || status === 403 ? 'VENUE_UNAVAILABLE' : 'ORDER_INVALID',
      `alpaca: ${method} ${path} answered HTTP ${status}${alpacaCode !== undefined ? ` ${alpacaCode}` : ''}: ${alpacaMessage}`,
      { status, alpacaCode, alpacaMessage, method, path },
    )
  }
}

/** Settings of {@link AlpacaRest}. */
export interface AlpacaRestOptions {
  /** e.g. `https://paper-api.alpaca.markets` or a local server's url. */
  readonly baseUrl: string
  readonly keyId: string
  readonly secretKey: string
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** One request's options. */
export interface RequestOptions {
  readonly body?: unknown
  readonly query?: Record<string, string | undefined>
  /** Whether a timeout or a network error may be retried (false for order submits: the venue may have it). */
  readonly retryUnknown?: boolean
  /** Counts the attempts made (a submit tells its own retry from a duplicate by it). */
  readonly stats?: { attempts: number }
}

/** The REST client. */
export class AlpacaRest {
  private readonly base: string
  private readonly policy: ResolvedRetryPolicy
  private readonly fetchImpl: typeof fetch

  constructor(private readonly opts: AlpacaRestOptions) {
    if (!opts.keyId || !opts.secretKey)
      throw new KestrelError('CONFIG_INVALID', 'alpaca: keyId and secretKey are required (set them from ${ENV:...})')
    this.base = opts.baseUrl.replace(/\/+$/, '')
    this.policy = resolveRetryPolicy(opts.retry)
    this.fetchImpl = opts.fetch ?? fetch
  }

  /**
   * Sends one request and returns its JSON body (undefined for 204). Retries 429 (after Retry-After), 5xx and,
   * when `retryUnknown` (default true), timeouts and network errors; 4xx is an {@link AlpacaApiError} at once.
   */
  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const p = this.policy
    const url = new URL(this.base + path)
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
    const where = `${method} ${url.pathname}`
    let last: KestrelError | undefined
    for (let attempt = 1; attempt <= p.maxAttempts; attempt++) {
      if (o.stats) o.stats.attempts = attempt
      const ac = new AbortController()
      const timer = setTimeout(() => ac.abort(), p.timeoutMs)
      let wait: number
      let giveUp = false
      try {
        const res = await this.fetchImpl(url, {
          method,
          signal: ac.signal,
          headers: {
            'APCA-API-KEY-ID': this.opts.keyId,
            'APCA-API-SECRET-KEY': this.opts.secretKey,
            ...(o.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
        })
        const text = await res.text()
        if (res.ok) {
          if (res.status === 204 || text === '') return undefined as T
          try {
            return JSON.parse(text) as T
          } catch {
            throw new KestrelError(
              'VENUE_UNAVAILABLE',
              `alpaca: ${where} answered with something that is not JSON: ${text.slice(0, 120)}`,
              {
                path: url.pathname,
              },
            )
          }
        }
        const err = errorBody(text)
        if (res.status === 429) {
          const after = parseRetryAfter(res.headers.get('retry-after'))
          last = new KestrelError(
            'VENUE_RATE_LIMITED',
            `alpaca: ${where} still rate limited (HTTP 429${after !== undefined ? `, Retry-After ${after / 1000} s` : ''}) after ${attempt} attempt${attempt === 1 ? '' : 's'}`,
            { path: url.pathname, status: 429, attempts: attempt, retryAfterMs: after },
          )
          giveUp = after !== undefined && after > p.maxRetryAfterMs
          wait = Math.max(after ?? 0, backoffDelay(p, attempt))
        } else if (res.status >= 500) {
          last = new KestrelError(
            'VENUE_UNAVAILABLE',
            `alpaca: ${where} failed (HTTP ${res.status}: ${err.message}) after ${attempt} attempt${attempt === 1 ? '' : 's'}`,
            { path: url.pathname, status: res.status, attempts: attempt },
          )
          wait = backoffDelay(p, attempt)
        } else {
          throw new AlpacaApiError(res.status, err.code, err.message, method, url.pathname)
        }
      } catch (e) {
        if (e instanceof KestrelError) throw e
        {
          const timedOut = ac.signal.aborted
          last = new KestrelError(
            timedOut ? 'VENUE_TIMEOUT' : 'VENUE_UNAVAILABLE',
            timedOut
              ? `alpaca: ${where}: no answer within ${p.timeoutMs} ms (attempt ${attempt})`
              : `alpaca: ${where}: network error: ${(e as Error)?.message ?? String(e)} (attempt ${attempt})`,
            { path: url.pathname, attempts: attempt },
            { cause: e },
          )
          if (o.retryUnknown === false) throw last
          wait = backoffDelay(p, attempt)
        }
      } finally {
        clearTimeout(timer)
      }
      if (giveUp) break
      if (attempt < p.maxAttempts) await p.sleep(wait)
    }
    throw last!
  }
}

/** Alpaca's `{code, message}` error body, or the text itself as the message. */
function errorBody(text: string): { code?: number; message: string } {
  try {
    const v = JSON.parse(text) as { code?: unknown; message?: unknown }
    return {
      code: typeof v.code === 'number' ? v.code : undefined,
      message: typeof v.message === 'string' ? v.message : text.slice(0, 200),
    }
  } catch {
    return { message: text.slice(0, 200) }
  }
}
