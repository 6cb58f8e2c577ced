/**
 * The `kestrel` command line: `kestrel <noun> <verb>`. Expected errors print their message and exit with the
 * documented status (0 ok, 1 input, 2 usage, 3 environment, 4 internal); a stack trace only with `--debug`.
 */
import type { Writable } from 'node:stream'
import { Command, CommanderError } from 'commander'
import { isKestrelError } from '../core/index.ts'
import { cliLogger, redact, setLogLevel, stderr, stdout, withCliIo, type CliIo } from './util.ts'
import { registerBacktest } from './commands/backtest.ts'
import { registerConfig } from './commands/config.ts'
import { registerData } from './commands/data.ts'
import { registerFeatures } from './commands/features.ts'
import { registerIndicators } from './commands/indicators.ts'
import { registerQuickstart } from './commands/quickstart.ts'
import { registerRisk } from './commands/risk.ts'
import { registerStats } from './commands/stats.ts'

/** Builds the program (exported for tests). */
export function buildProgram(argv: readonly string[] = process.argv.slice(2)): Command {
  const program = new Command('kestrel')
    .description('Kestrel: intraday trading from research to live, in one engine')
    .option('--debug', 'print stack traces for errors')
    .option(
      '--log-level <level>',
      'structured log level on stderr: trace, debug, info, warn, error, silent (default: warn, or KESTREL_LOG_LEVEL)',
    )
    .configureOutput({ writeOut: (t) => stdout().write(t), writeErr: (t) => stderr().write(redact(t)) })
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_root, action) => {
      setLogLevel(program.opts<{ logLevel?: string }>().logLevel)
      cliLogger().info({ command: action.name(), argv }, 'command start')
    })
  registerQuickstart(program)
  registerData(program)
  registerConfig(program)
  registerIndicators(program)
  registerFeatures(program)
  registerBacktest(program)
  registerStats(program)
  registerRisk(program)
  return program
}

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
  const program = buildProgram(argv)
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
