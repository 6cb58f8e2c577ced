/**
 * HTTP with retries for provider clients: exponential backoff with jitter on 429 (honouring Retry-After),
 * 5xx, network errors and timeouts; then a typed error naming the provider, the URL path and the attempts.
 */
import { KestrelError, Rng } from '../../core/index.ts'

/** How hard to try. Delays are `min(maxDelayMs, baseDelayMs * 2^(attempt-1))`, scaled by a jitter in [0.5, 1). */
export interface RetryPolicy {
  /** Total attempts, first one included. Default 5. */
  readonly maxAttempts?: number
  /** Default 500 ms. */
  readonly baseDelayMs?: number
  /** Default 30 s. */
  readonly maxDelayMs?: number
  /** Per-attempt timeout. Default 30 s. */
  readonly timeoutMs?: number
  /** A Retry-After longer than this fails at once instead of waiting. Default 120 s. */
  readonly maxRetryAfterMs?: number
  /** Uniform [0,1) source for the jitter; seed it in tests. Default a Rng seeded from the clock. */
  readonly random?: () => number
  /** Sleep function (tests record the delays). Default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>
}

/** Resolved policy with every field set. */
export type ResolvedRetryPolicy = Required<RetryPolicy>

/** Fills in the defaults of a {@link RetryPolicy}. */
export function resolveRetryPolicy(p: RetryPolicy = {}): ResolvedRetryPolicy {
  return {
    maxAttempts: p.maxAttempts ?? 5,
    baseDelayMs: p.baseDelayMs ?? 500,
    maxDelayMs: p.maxDelayMs ?? 30_000,
    timeoutMs: p.timeoutMs ?? 30_000,
    maxRetryAfterMs: p.maxRetryAfterMs ?? 120_000,
    random:
      p.random ??
      (
        (r) => () =>
          r.uniform()
      )(new Rng(Date.now() >>> 0)),
    sleep: p.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms))),
  }
}

/** The backoff delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(policy: ResolvedRetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(exp * (0.5 + 0.5 * policy.random()))
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined
  const v = value.trim()
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000)
  const t = Date.parse(v)
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined
}

/** Why one attempt failed. */
export type AttemptFailure = {
  kind: 'rate' | 'server' | 'timeout' | 'network'
  status?: number
  detail: string
  retryAfterMs?: number
}

/**
 * Fetches `url` and returns the first successful (2xx) response. 429, 5xx, network errors and timeouts are
 * retried; any other status fails at once with PROVIDER_ERROR. After the last attempt it throws
 * PROVIDER_RATE_LIMITED, PROVIDER_TIMEOUT or PROVIDER_ERROR by the last failure.
 */
export async function fetchWithRetry(
  provider: string,
  url: string | URL,
  init: RequestInit = {},
  policy: RetryPolicy = {},
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const p = resolveRetryPolicy(policy)
  const u = new URL(url)
  let last: AttemptFailure | undefined
  let made = 0
  for (let attempt = 1; attempt <= p.maxAttempts; attempt++) {
    made = attempt
    const ac = new AbortController()
    const timer = setTimeout(() => ac.abort(), p.timeoutMs)
    try {
      const res = await fetchImpl(u, { ...init, signal: ac.signal })
      if (res.ok) {
        // The timer must also cover reading the body: hand the caller a buffered response.
        const body = await res.arrayBuffer()
        const empty = res.status === 204 || res.status === 205 || res.status === 304
        return new Response(empty ? null : body, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        })
      }
      const text = (await res.text().catch(() => '')).slice(0, 300)
      if (res.status === 429) {
        last = {
          kind: 'rate',
          status: 429,
          detail: text,
          retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
        }
      } else if (res.status >= 500) {
        last = { kind: 'server', status: res.status, detail: text }
      } else {
        throw new KestrelError(
          'PROVIDER_ERROR',
          `${provider}: GET ${u.pathname} answered HTTP ${res.status}${text ? `: ${text}` : ''} (attempt ${attempt}, not retried)`,
          { provider, path: u.pathname, status: res.status, attempts: attempt, body: text },
        )
      }
    } catch (e) {
      if (e instanceof KestrelError) throw e
      last = ac.signal.aborted
        ? { kind: 'timeout', detail: `no answer within ${p.timeoutMs} ms` }
        : { kind: 'network', detail: (e as Error)?.message ?? String(e) }
    } finally {
      clearTimeout(timer)
    }
    if (attempt === p.maxAttempts) break
    if (last.retryAfterMs !== undefined && last.retryAfterMs > p.maxRetryAfterMs) break
    await p.sleep(Math.max(last.retryAfterMs ?? 0, backoffDelay(p, attempt)))
  }
  throw providerFailure(provider, u.pathname, made, last!)
}

/** The typed error for a request that failed for good: rate limited, timed out, or any other failure. */
export function providerFailure(provider: string, path: string, attempts: number, f: AttemptFailure): KestrelError {
  const details = { provider, path, attempts, status: f.status, reason: f.detail }
  if (f.kind === 'rate') {
    const wait = f.retryAfterMs !== undefined ? ` (Retry-After ${Math.round(f.retryAfterMs / 1000)} s)` : ''
    return new KestrelError(
      'PROVIDER_RATE_LIMITED',
      `${provider}: GET ${path} still rate limited (HTTP 429)${wait} after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
      details,
    )
  }
  if (f.kind === 'timeout') {
    return new KestrelError(
      'PROVIDER_TIMEOUT',
      `${provider}: GET ${path} timed out (${f.detail}) after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
      details,
    )
  }
  const what = f.status !== undefined ? `HTTP ${f.status}` : `network error: ${f.detail}`
  return new KestrelError(
    'PROVIDER_ERROR',
    `${provider}: GET ${path} failed (${what}) after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
    details,
  )
}
