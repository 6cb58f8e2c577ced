/**
 * How every command that selects stored series names them: positional symbols, `--symbol` and `--instrument`
 * (each repeatable), all three the same. Each name is an instrument id (`SPY.ARCA`) or a bare symbol stored under
 * one venue (`SPY`); `resolveInstrument` in src/app turns it into an id. Cheap to import (the command tree loads
 * it for `--help`).
 */
import type { Command } from 'commander'
import { collect } from './util.ts'

/** The series flags of a command as commander hands them over. */
export interface SeriesFlags {
  readonly symbol?: readonly string[]
  readonly instrument?: readonly string[]
}

/** How {@link seriesOptions} words the help of a command. */
export interface SeriesHelp {
  /** What the names select (`the series to export`). */
  readonly what: string
  /** Help of `--symbol` when it differs (a command that also reads a file, where it names the file's instrument). */
  readonly symbol?: string
  /** False: no positional symbols (a command whose positional arguments are something else). */
  readonly positional?: boolean
}

/** Adds `[symbols...]`, `--symbol <sym>` and `--instrument <id>` (both repeatable) to `cmd`. */
export function seriesOptions(cmd: Command, help: SeriesHelp): Command {
  const names = 'an instrument id (SPY.ARCA) or a symbol stored under one venue (SPY)'
  if (help.positional !== false) cmd.argument('[symbols...]', `${help.what}: ${names}; the same as --symbol`)
  return cmd
    .option('--symbol <sym>', help.symbol ?? `${help.what}: ${names} (repeatable)`, collect, [])
    .option('--instrument <id>', 'the same as --symbol (repeatable)', collect, [])
}

/** Every name given, positional first, then `--symbol`, then `--instrument`; each once, in that order. */
export function seriesNames(positional: readonly string[] | undefined, o: SeriesFlags): string[] {
  return [...new Set([...(positional ?? []), ...(o.symbol ?? []), ...(o.instrument ?? [])])]
}
