/**
 * The `kestrel` command line: `kestrel <noun> <verb>`. Expected errors print their message and exit with the
 * documented status (0 ok, 1 input, 2 usage, 3 environment, 4 internal); a stack trace only with `--debug`.
 * The command tree is in program.ts; each command's code, and what it needs, loads only when it runs.
 */
import type { Writable } from 'node:stream'
import { CommanderError } from 'commander'
import { buildProgram } from './program.ts'
import { redact, setLogLevel, stderr, withCliIo, type CliIo } from './util.ts'

/** Where an in-process run reads and writes; anything left out is the process's own. */
export interface RunCliOptions {
  readonly stdout?: Writable
  readonly stderr?: Writable
  /** Working directory of the run (relative paths resolve against it); the process's is restored after. */
  readonly cwd?: string
  /** Environment of the run (`${ENV:NAME}`, `KESTREL_LOG_LEVEL`, `CI`). */
  readonly env?: Readonly<Record<string, string | undefined>>
}

let queue: Promise<unknown> = Promise.resolve()

/**
 * Runs the CLI in-process with `argv` (without node and script) and resolves to the exit status; nothing is
 * printed outside the given streams. Runs in one process are serialised (they share the working directory).
 */
export function runCli(argv: readonly string[], opts: RunCliOptions = {}): Promise<number> {
  const run = queue.then(() => runOne([...argv], opts))
  queue = run.catch(() => undefined)
  return run
}

async function runOne(argv: string[], opts: RunCliOptions): Promise<number> {
  const io: CliIo = {
    stdout: opts.stdout ?? process.stdout,
    stderr: opts.stderr ?? process.stderr,
    env: opts.env ?? process.env,
  }
  const prevCwd = process.cwd()
  const prevExit = process.exitCode
  process.exitCode = undefined
  try {
    if (opts.cwd !== undefined) process.chdir(opts.cwd)
    return await withCliIo(io, () => execute(argv))
  } finally {
    if (opts.cwd !== undefined) process.chdir(prevCwd)
    process.exitCode = prevExit
  }
}

/** Runs the CLI with `argv` (without node and script) on the process's streams; resolves to the exit status. */
export function main(argv: string[]): Promise<number> {
  return runCli(argv)
}

async function execute(argv: string[]): Promise<number> {
  const program = buildProgram(async (action, root) => {
    setLogLevel(root.opts<{ logLevel?: string }>().logLevel)
    const { cliLogger } = await import('./log.ts')
    cliLogger().info({ command: action.name(), argv }, 'command start')
  })
  const debug = argv.includes('--debug')
  const err = { write: (text: string) => stderr().write(redact(text)) }
  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0
      return 2
    }
    // Loaded here, not up front: `kestrel --help` must not load the core (zod, yaml, pino).
    const { isKestrelError } = await import('../core/index.ts')
    if (isKestrelError(e)) {
      err.write(`error [${e.code}]: ${e.message}\n`)
      if (debug) writeStack(e)
      return e.exitCode
    }
    err.write(`internal error: ${(e as Error)?.message ?? String(e)}\n`)
    if (debug) writeStack(e)
    else err.write('(run again with --debug for the stack trace)\n')
    return 4
  }
}

/** `--debug`: the stack trace, then that of each cause. */
function writeStack(e: unknown): void {
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++)
    if (c.stack) stderr().write(redact(`${depth > 0 ? 'caused by: ' : ''}${c.stack}\n`))
}
