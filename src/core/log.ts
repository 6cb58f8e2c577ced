/**
 * Structured JSON logs (pino). Every record carries the run's correlation id (`runId`). The CLI chooses
 * readable output at a terminal; everything else gets one JSON object per line.
 */
import { pino, type Logger } from 'pino'

export type { Logger }

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'
  /** Correlation id added to every record. */
  runId?: string
  /** Human-readable output (pino-pretty), for a person at a terminal. */
  pretty?: boolean
  /** Key paths to redact (secrets), e.g. `config.storage.postgresUrl`. */
  redact?: string[]
  /** Write here instead of stdout (tests). */
  destination?: NodeJS.WritableStream
}

/** Creates the root logger of a run. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const base = opts.runId ? { runId: opts.runId } : {}
  const options = {
    level: opts.level ?? 'info',
    base,
    redact: opts.redact?.length ? { paths: opts.redact, censor: '***' } : undefined,
  }
  if (opts.pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, destination: 2 } } })
  }
  return opts.destination
    ? pino(options, opts.destination as pino.DestinationStream)
    : pino(options, pino.destination(2))
}
