/**
 * The data warnings a backtest reports because they change its results: suspected unadjusted splits in the bars
 * it read that the run's corporate actions do not explain. Each says how to fix the input: the run's actions file
 * (`--actions`, a config's `backtest.corporateActions`) applies a split to positions and orders on its ex-date;
 * `kestrel data export --adjust` writes back-adjusted bars instead. With strict data the run is refused.
 */
import { KestrelError } from '../core/index.ts'
import {
  actionsRowFor,
  getCalendar,
  readCorporateActions,
  splitWarnings,
  unexplainedSplits,
  type SplitWarning,
} from '../data/index.ts'
import type { LoadedBars } from '../engine/index.ts'
import type { DataWarning } from '../research/index.ts'

/** A suspected split as the run reports it: the warning and how to fix the input. */
export interface RunDataWarning extends SplitWarning {
  /** What to give the run so the split is applied. */
  readonly fix: string
}

/** Where the run's corporate actions come from, and how the user names that setting. */
export interface ActionsSetting {
  /** The actions file (absolute or relative to the working directory), when the run has one. */
  readonly path?: string
  /** `--actions` on the command line, `backtest.corporateActions` in a config. */
  readonly name: string
}

/** The fix of one warning: the actions row to add, where, and the back-adjusting alternative. */
export function splitFix(w: SplitWarning, setting: ActionsSetting): string {
  const file = setting.path ?? 'actions.csv'
  const row = actionsRowFor(w)
  const apply =
    setting.path === undefined
      ? `${setting.name.startsWith('--') ? `pass ${setting.name} ${file}` : `set ${setting.name}: ${file}`} holding the row ${row} (columns symbol,date,type,value)`
      : `add the row ${row} to ${file} (${setting.name})`
  return `adjust: ${apply} to apply the split, or write back-adjusted bars from the store: kestrel data export ${w.symbol} --adjust ${file} --out ${w.symbol}_adjusted.csv`
}

/** The suspected splits of `loaded` that the actions file does not explain, each with its fix. */
export async function runDataWarnings(
  loaded: readonly LoadedBars[],
  setting: ActionsSetting,
): Promise<RunDataWarning[]> {
  const found: SplitWarning[] = []
  for (const l of loaded) {
    if (!l.warnings?.length) continue
    found.push(
      ...splitWarnings(l.warnings, {
        instrumentId: l.instrument.id,
        symbol: l.instrument.symbol,
        timeframe: l.timeframe,
        timezone: getCalendar(l.instrument.calendar).timezone,
      }),
    )
  }
  if (found.length === 0) return []
  const actions = setting.path === undefined ? [] : (await readCorporateActions(setting.path)).actions
  return unexplainedSplits(found, actions).map((w) => ({ ...w, fix: splitFix(w, setting) }))
}

/** The warnings as the tearsheet's rows. */
export function tearsheetWarnings(warnings: readonly RunDataWarning[]): DataWarning[] {
  return warnings.map((w) => ({
    code: w.code,
    instrument: w.instrument,
    date: w.date,
    ratio: w.ratio,
    message: w.message,
    fix: w.fix,
  }))
}

/** The warnings as the JSON report's `warnings` entries. */
export function warningsJson(warnings: readonly RunDataWarning[]): Record<string, unknown>[] {
  return warnings.map((w) => ({
    code: w.code,
    instrument: w.instrument,
    date: w.date,
    ratio: w.ratio,
    factor: w.factor,
    time: w.time,
    message: w.message,
    fix: w.fix,
  }))
}

/** One line per warning: `AAPL.SIM 2014-06-09: suspected unadjusted split ≈ 7:1 (…)`. */
export function warningLine(w: RunDataWarning): string {
  return `${w.instrument} ${w.date}: suspected unadjusted split ≈ ${w.ratio} (${w.message})`
}

/** The refusal of a run with strict data: every warning and its fix, in the message and the details. */
export function strictDataError(warnings: readonly RunDataWarning[]): KestrelError {
  const lines = warnings.map((w) => `${warningLine(w)}; ${w.fix}`)
  return new KestrelError(
    'DATA_VALIDATION_FAILED',
    `strict data: ${warnings.length === 1 ? 'a warning changes' : `${warnings.length} warnings change`} the results: ${lines.join('; ')}`,
    { warnings: warningsJson(warnings) },
  )
}
