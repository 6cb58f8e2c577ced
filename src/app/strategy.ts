/**
 * Writing strategies: the built-ins and their parameters (`kestrel strategy ls`), and a new strategy file with
 * its test (`kestrel strategy new <name>`), which never overwrites a file unless told to.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { KestrelError } from '../core/index.ts'
import { builtinStrategies, describeParams, type StrategyParamInfo } from '../strategy/index.ts'
import { BUNDLED_DIR } from './quickstart.ts'
import { strategyFileText, strategyTestText } from './strategy-template.ts'

/** A built-in strategy and what its parameters are. */
export interface StrategyListing {
  readonly name: string
  readonly description: string
  readonly params: readonly StrategyParamInfo[]
}

/** Every built-in strategy with its parameters (name, type, default, description), by name. */
export function listStrategies(): StrategyListing[] {
  return Object.values(builtinStrategies).map((d) => ({
    name: d.name,
    description: d.description ?? '',
    params: describeParams(d),
  }))
}

/** Options of {@link scaffoldStrategy}. */
export interface ScaffoldOptions {
  /** The strategy's name: letters, digits, `-` and `_`, starting with a letter; also the file's name. */
  readonly name: string
  /** Folder to write into (created if missing); default `cwd`. */
  readonly dir?: string
  /** Folder the printed commands are relative to (the caller's working directory). */
  readonly cwd: string
  /** Overwrite files that exist. */
  readonly force?: boolean
}

/** What {@link scaffoldStrategy} wrote, and the commands that run it. */
export interface ScaffoldResult {
  readonly strategyFile: string
  readonly testFile: string
  /** `kestrel backtest ...` on the bundled SPY daily bars, as words and as one shell line. */
  readonly backtest: { readonly argv: readonly string[]; readonly line: string }
  /** `node --import tsx --test ...`, as words and as one shell line. */
  readonly test: { readonly argv: readonly string[]; readonly line: string }
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/

/** A word as the shell reads it: quoted when it holds anything but safe characters. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`
}

/** `path` as the user types it from `cwd`: relative (`./x.ts`) when inside it, else absolute. */
function typed(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path
  return rel.startsWith('.') ? rel : `./${rel}`
}

/**
 * Writes `<dir>/<name>.ts` (a strategy on the library's streaming RSI) and `<dir>/<name>.test.ts` (its test),
 * and returns the commands that backtest it on the bundled data and run its test. A bad name is USAGE; an
 * existing file is FILE_EXISTS unless `force`; nothing is written when either file would be refused.
 */
export function scaffoldStrategy(opts: ScaffoldOptions): ScaffoldResult {
  const { name } = opts
  if (!NAME.test(name)) {
    const why = /[/\\]/.test(name)
      ? 'a name, not a path (use --dir for the folder)'
      : 'letters, digits, - and _, starting with a letter, at most 64 characters'
    throw new KestrelError('USAGE', `strategy new ${JSON.stringify(name)}: expected ${why}`, { name })
  }
  const dir = resolve(opts.cwd, opts.dir ?? '.')
  const strategyFile = join(dir, `${name}.ts`)
  const testFile = join(dir, `${name}.test.ts`)
  if (!opts.force)
    for (const f of [strategyFile, testFile])
      if (existsSync(f))
        throw new KestrelError('FILE_EXISTS', `${f} exists: pick another name, or --force to overwrite it`, {
          path: f,
        })
  const backtestArgv = [
    'kestrel',
    'backtest',
    '--data',
    typed(join(BUNDLED_DIR, 'SPY_1d.csv'), opts.cwd),
    '--strategy',
    typed(strategyFile, opts.cwd),
  ]
  const testArgv = ['node', '--import', 'tsx', '--test', typed(testFile, opts.cwd)]
  const line = (argv: readonly string[]) => argv.map(shellWord).join(' ')
  mkdirSync(dir, { recursive: true })
  write(strategyFile, strategyFileText(name, line(backtestArgv), line(testArgv)), opts.force)
  write(testFile, strategyTestText(name), opts.force)
  return {
    strategyFile,
    testFile,
    backtest: { argv: backtestArgv, line: line(backtestArgv) },
    test: { argv: testArgv, line: line(testArgv) },
  }
}

/** Writes `text` to `path`; without `force`, only if no file is there (checked and created in one step). */
function write(path: string, text: string, force = false): void {
  let fd: number
  try {
    fd = openSync(path, force ? 'w' : 'wx')
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST')
      throw new KestrelError('FILE_EXISTS', `${path} exists: pick another name, or --force to overwrite it`, { path })
    throw e
  }
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}
