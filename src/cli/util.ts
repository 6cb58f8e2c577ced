/**
 * Small helpers shared by the CLI commands: the run's streams and environment, secrets kept out of output,
 * tables, JSON output, progress bars. Cheap to import (`kestrel --help` loads it): nothing of ours, no
 * library until a progress bar is drawn.
 */
import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'
import type CliProgress from 'cli-progress'
import type { Command } from 'commander'

/** Where one CLI run reads and writes: the process's streams and environment, or a caller's (in-process runs). */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean }
  readonly stderr: Writable & { isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
}

/** One CLI run: its streams and environment, and the log level `--log-level` asked for. */
export interface CliRun {
  readonly io: CliIo
  logLevel?: string
}

let run: CliRun = { io: { stdout: process.stdout, stderr: process.stderr, env: process.env } }
let io: CliIo = run.io

/** Runs `fn` with `next` as the CLI's streams and environment, then puts the previous ones back. */
export async function withCliIo<T>(next: CliIo, fn: () => Promise<T>): Promise<T> {
  const prev = run
  const prevSecrets = [...secrets]
  run = { io: next }
  io = next
  secrets.clear()
  try {
    return await fn()
  } finally {
    run = prev
    io = prev.io
    secrets.clear()
    for (const x of prevSecrets) secrets.add(x)
  }
}

/** The current run (the logger of `log.ts` is kept per run). */
export function currentRun(): CliRun {
  return run
}

/** Sets the run's log level (`--log-level`), before the first log line. */
export function setLogLevel(level: string | undefined): void {
  if (level !== undefined) run.logLevel = level
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
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress
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

/** A command file: `run` takes what commander hands the action (arguments, then options). */
interface CommandModule {
  run(...args: never[]): unknown
}

/** The action of a command whose code is loaded on first use. */
export function lazy(load: () => Promise<CommandModule>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const m = await load()
    await (m.run as (...a: unknown[]) => unknown)(...args)
  }
}

/** Adds an example to a command's help text. */
export function withExample(cmd: Command, ...examples: string[]): Command {
  return cmd.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`,
  )
}

/** Collects a repeatable option. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v]

/** Writes quarantined rows on stderr: how many and why, then the first `shown` (`--json` lists them all). */
export function warnQuarantine(rows: readonly { reason: string; message: string }[], shown = 20): void {
  if (rows.length === 0) return
  const by = new Map<string, number>()
  for (const q of rows) by.set(q.reason, (by.get(q.reason) ?? 0) + 1)
  const why = [...by].map(([r, n]) => `${r} ${n}`).join(', ')
  const lines = rows.slice(0, shown).map((q) => `  ${q.message}\n`)
  if (rows.length > shown) lines.push(`  ... and ${rows.length - shown} more (--json lists every row)\n`)
  stderr().write(
    redact(
      `warning: ${rows.length} row${rows.length === 1 ? '' : 's'} quarantined (not used): ${why}\n${lines.join('')}`,
    ),
  )
}

/** `{ OUTLIER_RANGE: 3, GAP: 433 }` → `OUTLIER_RANGE 3, GAP 433` (or `-`). */
export function formatReasons(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
  return parts.length ? parts.join(', ') : '-'
}

const epipeHandled = new WeakSet<object>()

/** Makes a closed stdout (the reader stopped early, e.g. `| head`) end the output quietly instead of crashing. */
export function ignoreStdoutEpipe(): void {
  const out = stdout()
  if (epipeHandled.has(out)) return
  epipeHandled.add(out)
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
}
