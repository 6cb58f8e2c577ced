/**
 * JSON over HTTP for provider clients: one GET through {@link fetchWithRetry} (429 with Retry-After, 5xx,
 * timeouts), then a body that must parse as JSON, and checks on its shape that fail with PROVIDER_ERROR
 * naming the provider, the path and the field.
 */
import { KestrelError } from '../../core/index.ts'
import { fetchWithRetry } from './http.ts'
import type { RetryPolicy } from './http.ts'

/** How a client reaches its provider: base URL, retries, and an injectable fetch. */
export interface ProviderHttp {
  readonly provider: string
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** GETs `url` and parses the body; a body that is not JSON is PROVIDER_ERROR. */
export async function getJson(http: ProviderHttp, url: URL, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetchWithRetry(
    http.provider,
    url,
    { headers: { accept: 'application/json', ...headers } },
    http.retry,
    http.fetch,
  )
  const text = await res.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new KestrelError(
      'PROVIDER_ERROR',
      `${http.provider}: GET ${url.pathname} answered with something that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
      { provider: http.provider, path: url.pathname },
    )
  }
}

/** The PROVIDER_ERROR for a body whose shape is not the documented one. */
export function shapeError(provider: string, path: string, what: string, got?: unknown): KestrelError {
  const tail = got === undefined ? '' : ` (got ${JSON.stringify(got)?.slice(0, 80) ?? String(got)})`
  return new KestrelError('PROVIDER_ERROR', `${provider}: GET ${path}: ${what}${tail}`, { provider, path, what })
}

/** A reader of one JSON object's fields that fails with {@link shapeError} naming the field. */
export class Fields {
  private readonly o: Record<string, unknown>

  constructor(
    readonly provider: string,
    readonly path: string,
    readonly where: string,
    value: unknown,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw shapeError(provider, path, `${where} is not an object`, value)
    this.o = value as Record<string, unknown>
  }

  /** The raw value of `key`. */
  raw(key: string): unknown {
    return this.o[key]
  }

  /** A required non-empty string (numbers are accepted and printed, as some providers send ids as numbers). */
  str(key: string): string {
    const v = this.o[key]
    if (typeof v === 'number' && Number.isFinite(v)) return String(v)
    if (typeof v !== 'string' || v === '')
      throw shapeError(this.provider, this.path, `${this.where}.${key} is not a string`, v)
    return v
  }

  /** An optional string: undefined for null, missing or empty. */
  optStr(key: string): string | undefined {
    const v = this.o[key]
    if (v == null || v === '') return undefined
    if (typeof v === 'number' && Number.isFinite(v)) return String(v)
    if (typeof v !== 'string') throw shapeError(this.provider, this.path, `${this.where}.${key} is not a string`, v)
    return v
  }

  /** A required finite number (numeric strings are accepted: several providers quote numbers). */
  num(key: string): number {
    const v = this.optNum(key)
    if (v === undefined) throw shapeError(this.provider, this.path, `${this.where}.${key} is not a number`, this.o[key])
    return v
  }

  /** An optional finite number: undefined for null, missing or empty. */
  optNum(key: string): number | undefined {
    const v = this.o[key]
    if (v == null || v === '') return undefined
    const n = typeof v === 'string' ? Number(v) : v
    if (typeof n !== 'number' || !Number.isFinite(n))
      throw shapeError(this.provider, this.path, `${this.where}.${key} is not a number`, v)
    return n
  }

  /** A required boolean. */
  bool(key: string): boolean {
    const v = this.o[key]
    if (typeof v !== 'boolean') throw shapeError(this.provider, this.path, `${this.where}.${key} is not a boolean`, v)
    return v
  }

  /** A required instant: an RFC 3339 / RFC 2822 string parsed by Date.parse. */
  time(key: string): number {
    const s = this.str(key)
    const t = Date.parse(s)
    if (!Number.isFinite(t)) throw shapeError(this.provider, this.path, `${this.where}.${key} is not a time`, s)
    return t
  }

  /** An array (null or missing is empty). */
  arr(key: string): readonly unknown[] {
    const v = this.o[key]
    if (v == null) return []
    if (!Array.isArray(v)) throw shapeError(this.provider, this.path, `${this.where}.${key} is not an array`, v)
    return v
  }
}

/** Trims trailing slashes from a base URL. */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '')
}
