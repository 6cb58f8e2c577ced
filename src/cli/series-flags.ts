/**
 * How every command that selects stored series names them: positional symbols, `--symbol` and `--instrument`
 * (each repeatable), all three the same. Each name is an instrument id (`SPY.ARCA`) or a bare symbol stored under
 * one venue (`SPY`); `resolveInstrument` in src/app turns it into an id. Cheap to import (the command tree loads
 * it for `--help`).
 */
import type { Command } from 'commander'

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
  /** True for a command that takes one series (the flags are still repeatable, and more than one an error). */
  readonly one?: boolean
}

/** Collects a repeatable flag without a default (so help shows none). */
const gather = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v]

/** Adds `[symbols...]`, `--symbol <sym>` and `--instrument <id>` (both repeatable) to `cmd`. */
export function seriesOptions(cmd: Command, help: SeriesHelp): Command {
  const names = 'an instrument id (SPY.ARCA) or a symbol stored under one venue (SPY)'
  const many = help.one ? '' : ' (repeatable)'
  return cmd
    .argument('[symbols...]', `${help.what}: ${names}; the same as --symbol`)
    .option('--symbol <sym>', help.symbol ?? `${help.what}: ${names}${many}`, gather)
    .option('--instrument <id>', `the same as --symbol${many}`, gather)
}

/** Every name given, positional first, then `--symbol`, then `--instrument`; each once, in that order. */
export function seriesNames(positional: readonly string[] | undefined, o: SeriesFlags): string[] {
  return [...new Set([...(positional ?? []), ...(o.symbol ?? []), ...(o.instrument ?? [])])]
}
