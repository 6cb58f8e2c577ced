/**
 * The run's logger: structured JSON lines on stderr with a correlation id (`runId`) per invocation, readable
 * (pino-pretty) when a person is at a terminal. Level: `--log-level`, else `KESTREL_LOG_LEVEL`, else `warn`,
 * so normal output stays clean. Loaded when a command runs, not for `--help`.
 */
import { randomUUID } from 'node:crypto'
import { createLogger, type Logger, type LoggerOptions } from '../core/index.ts'
import { currentRun, isInteractive, type CliRun } from './util.ts'

const loggers = new WeakMap<CliRun, Logger>()

/** The logger of the current run, made on first use. */
export function cliLogger(): Logger {
  const run = currentRun()
  let logger = loggers.get(run)
  if (!logger) {
    const level = (run.logLevel ?? (run.io.env.KESTREL_LOG_LEVEL || 'warn')) as LoggerOptions['level']
    const runId = randomUUID().slice(0, 8)
    logger =
      run.io.stderr === process.stderr
        ? createLogger({ level, runId, pretty: isInteractive() })
        : createLogger({ level, runId, destination: run.io.stderr })
    loggers.set(run, logger)
  }
  return logger
}
