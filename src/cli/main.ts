/**
 * The `kestrel` command line: `kestrel <noun> <verb>`. Expected errors print their message and exit with the
 * documented status (0 ok, 1 input, 2 usage, 3 environment, 4 internal); a stack trace only with `--debug`.
 */
import { Command, CommanderError } from 'commander'
import { isKestrelError } from '../core/index.ts'
import { cliLogger, setLogLevel } from './util.ts'
import { registerBacktest } from './commands/backtest.ts'
import { registerConfig } from './commands/config.ts'
import { registerData } from './commands/data.ts'
import { registerFeatures } from './commands/features.ts'
import { registerIndicators } from './commands/indicators.ts'
import { registerQuickstart } from './commands/quickstart.ts'
import { registerRisk } from './commands/risk.ts'
import { registerStats } from './commands/stats.ts'

/** Builds the program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('kestrel')
    .description('Kestrel: intraday trading from research to live, in one engine')
    .option('--debug', 'print stack traces for errors')
    .option(
      '--log-level <level>',
      'structured log level on stderr: trace, debug, info, warn, error, silent (default: warn, or KESTREL_LOG_LEVEL)',
    )
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_root, action) => {
      setLogLevel(program.opts<{ logLevel?: string }>().logLevel)
      cliLogger().info({ command: action.name(), argv: process.argv.slice(2) }, 'command start')
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

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  const debug = argv.includes('--debug')
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
      process.stderr.write(`error [${e.code}]: ${e.message}\n`)
      if (debug && e.stack) process.stderr.write(`${e.stack}\n`)
      return e.exitCode
    }
    process.stderr.write(`internal error: ${(e as Error)?.message ?? String(e)}\n`)
    if (debug && (e as Error)?.stack) process.stderr.write(`${(e as Error).stack}\n`)
    else process.stderr.write('(run again with --debug for the stack trace)\n')
    return 4
  }
}
