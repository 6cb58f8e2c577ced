/** Small helpers shared by the CLI commands: tables, JSON output, progress bars, env access. */
import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import cliProgress from 'cli-progress'
import { createLogger, type Logger, type LoggerOptions } from '../core/index.ts'
import type { Command } from 'commander'

/** Where one CLI run reads and writes: the process's streams and environment, or a caller's (in-process runs). */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean }
  readonly stderr: Writable & { isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
}

let io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }

/** Runs `fn` with `next` as the CLI's streams and environment, then puts the previous ones back. */
export async function withCliIo<T>(next: CliIo, fn: () => Promise<T>): Promise<T> {
  const prev = io
  const prevSecrets = [...secrets]
  io = next
  secrets.clear()
  logger = undefined
  logLevel = undefined
  try {
    return await fn()
  } finally {
    io = prev
    secrets.clear()
    for (const x of prevSecrets) secrets.add(x)
    logger = undefined
    logLevel = undefined
  }
}

/** The run's standard output. */
export function stdout(): CliIo['stdout'] {
  return io.stdout
}

/** The run's standard error. */
export function stderr(): CliIo['stderr'] {
  return io.stderr
}

/** True when a person is watching (stdout and stderr are terminals, not CI). */
export function isInteractive(): boolean {
  return Boolean(io.stderr.isTTY && io.stdout.isTTY && !io.env.CI)
}

/** Values read through {@link envVars} in this run: secrets, kept out of every error message. */
const secrets = new Set<string>()

/** Shorter values are not redacted from free text (they would garble it and guard nothing). */
const MIN_SECRET_LENGTH = 4

/**
 * The environment, for `${ENV:NAME}` interpolation and provider keys (only the CLI and server read it). Every
 * value read through it is remembered as a secret of the run and {@link redact}ed from what the CLI prints.
 */
export function envVars(): Readonly<Record<string, string | undefined>> {
  return new Proxy(io.env, {
    get(target, key) {
      const v: unknown = Reflect.get(target, key)
      if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH) secrets.add(v)
      return v
    },
  })
}

/** `text` with every secret of the run replaced by `***` (longest first, so overlapping secrets all go). */
export function redact(text: string): string {
  if (secrets.size === 0) return text
  let out = text
  for (const x of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(x).join('***')
  return out
}

/** A progress reporter: a bar on stderr at a terminal, nothing in pipes and CI. */
export interface Progress {
  start(total: number, label?: string): void
  update(done: number): void
  stop(): void
}

export function progress(label: string): Progress {
  if (!isInteractive()) return { start() {}, update() {}, stop() {} }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      stream: io.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  return {
    start: (total) => bar.start(total, 0),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  }
}

/** Renders rows as an aligned text table. Numbers are right-aligned. */
export function table(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(no rows)\n'
  const cols = columns ?? Object.keys(rows[0]!)
  const cells = rows.map((r) => cols.map((c) => fmtCell(r[c])))
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)))
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] == null))
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}

function fmtCell(v: unknown): string {
  if (v == null) return ''
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 2 : 4)
  return String(v)
}

/** Prints a value as JSON on stdout. */
export function printJson(value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Adds an example to a command's help text. */
export function withExample(cmd: Command, ...examples: string[]): Command {
  return cmd.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`,
  )
}

let logger: Logger | undefined
let logLevel: LoggerOptions['level'] | undefined

/** Sets the CLI's log level (`--log-level`), before the first call to {@link cliLogger}. */
export function setLogLevel(level: string | undefined): void {
  if (level !== undefined) logLevel = level as LoggerOptions['level']
}

/**
 * The run's logger: structured JSON lines on stderr with a correlation id (`runId`) per invocation, readable
 * (pino-pretty) when a person is at a terminal. Level: `--log-level`, else `KESTREL_LOG_LEVEL`, else `warn`,
 * so normal output stays clean.
 */
export function cliLogger(): Logger {
  if (!logger) {
    const level = (logLevel ?? (io.env.KESTREL_LOG_LEVEL || 'warn')) as LoggerOptions['level']
    const runId = randomUUID().slice(0, 8)
    logger =
      io.stderr === process.stderr
        ? createLogger({ level, runId, pretty: isInteractive() })
        : createLogger({ level, runId, destination: io.stderr })
  }
  return logger
}
