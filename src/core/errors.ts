/**
 * Typed errors. Every expected failure is a {@link KestrelError} with a stable `code`, a message that says
 * what and where (`ORCL_1d.csv line 812: high 12.1 < open 12.4`) and structured `details`.
 */

/** Stable error codes. Grouped by the exit status the CLI maps them to. */
export const ERROR_CODES = {
  // input errors (exit 1)
  DATA_BAD_ROW: 1,
  DATA_BAD_FILE: 1,
  DATA_VALIDATION_FAILED: 1,
  DATA_NOT_FOUND: 1,
  FILE_NOT_FOUND: 1,
  FILE_EXISTS: 1,
  CONFIG_INVALID: 1,
  PARAM_INVALID: 1,
  ORDER_INVALID: 1,
  SPEC_INVALID: 1,
  TIMEZONE_UNKNOWN: 1,
  RISK_REJECTED: 1,
  STRATEGY_INVALID: 1,
  STRATEGY_ERROR: 1,
  CURRENCY_MISMATCH: 1,
  SIGNAL_INVALID: 1,
  JOURNAL_INVALID: 1,
  // usage (exit 2)
  USAGE: 2,
  // environment: a service or provider is missing or down (exit 3)
  SERVICE_UNAVAILABLE: 3,
  PROVIDER_ERROR: 3,
  PROVIDER_RATE_LIMITED: 3,
  PROVIDER_TIMEOUT: 3,
  VENUE_UNAVAILABLE: 3,
  VENUE_RATE_LIMITED: 3,
  VENUE_TIMEOUT: 3,
  // internal (exit 4)
  INTERNAL: 4,
  STATE_INVALID: 4,
  // the run finished, but orders were refused for a reason the strategy's code can fix (exit 5)
  ORDERS_REJECTED: 5,
  // a live node stopped taking new risk: a reconciliation difference, a stale feed, a lost heartbeat (exit 6)
  NODE_HALTED: 6,
} as const

/** A stable error code of {@link KestrelError}; {@link ERROR_CODES} maps each to its exit status. */
export type ErrorCode = keyof typeof ERROR_CODES

/** Base of every error Kestrel raises on purpose. */
export class KestrelError extends Error {
  readonly code: ErrorCode
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'KestrelError'
    this.code = code
    this.details = details
  }

  /** The documented process exit status for this error (README: "Exit codes"). */
  get exitCode(): number {
    return ERROR_CODES[this.code]
  }

  toJSON(): { code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details }
  }
}

/** True when `e` is a KestrelError, optionally with the given code. */
export function isKestrelError(e: unknown, code?: ErrorCode): e is KestrelError {
  return e instanceof KestrelError && (code === undefined || e.code === code)
}

/** Throws PARAM_INVALID unless `cond` holds. `where` names the parameter, e.g. `ema(period)`. */
export function requireParam(cond: boolean, where: string, expected: string, got: unknown): asserts cond {
  if (!cond) {
    throw new KestrelError('PARAM_INVALID', `${where}: expected ${expected}, got ${formatValue(got)}`, {
      where,
      expected,
      got,
    })
  }
}

/** Short printable form of a value for error messages. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v)
  try {
    const s = JSON.stringify(v)
    return s.length > 80 ? `${s.slice(0, 77)}...` : s
  } catch {
    return Object.prototype.toString.call(v)
  }
}
