/**
 * Suspected unadjusted splits as warnings a run must show: a split-sized jump in raw prices reads as a crash (or,
 * for a reverse split, a surge) that no strategy could have traded, so it changes every result computed over it.
 * A split listed in the run's corporate actions on the same session date, with a ratio near the jump's, explains
 * the jump and is not warned about.
 */
import { isoUtc, parseTimeframe, type EpochMs } from '../../core/index.ts'
import { dayIndexToDate, localDayIndex } from '../calendars/index.ts'
import type { Finding } from '../validation/index.ts'
import type { CorporateAction } from './actions.ts'

/** The validation reason of a suspected unadjusted split. */
export const SUSPECTED_SPLIT = 'SUSPECTED_UNADJUSTED_SPLIT'

/** One suspected unadjusted split in a run's data. */
export interface SplitWarning {
  readonly code: typeof SUSPECTED_SPLIT
  /** Instrument id (`AAPL.SIM`). */
  readonly instrument: string
  readonly symbol: string
  /** Session date of the first bar after the jump, `YYYY-MM-DD` (the split's ex-date when it is one). */
  readonly date: string
  /** Open time of that bar. */
  readonly time: string
  /** The nearest common split ratio, new:old (`7:1`; a reverse split `1:10`). */
  readonly ratio: string
  /** Price after / price before, as measured. */
  readonly factor: number
  /** The validation's message, with the file and line. */
  readonly message: string
}

/** Where the bars of a {@link splitWarnings} call come from. */
export interface SplitWarningContext {
  readonly instrumentId: string
  readonly symbol: string
  readonly timeframe: string
  /** The exchange's time zone: intraday bars are dated by its local day (daily bars by their UTC date). */
  readonly timezone: string
}

/** The suspected unadjusted splits among a series' validation findings. */
export function splitWarnings(findings: readonly Finding[], ctx: SplitWarningContext): SplitWarning[] {
  let daily = true
  try {
    daily = parseTimeframe(ctx.timeframe).ms >= 86_400_000
  } catch {
    // a calendar timeframe (1M): dated by UTC like daily bars
  }
  const out: SplitWarning[] = []
  for (const f of findings) {
    if (f.reason !== SUSPECTED_SPLIT || f.timestamp === undefined) continue
    const t: EpochMs = f.timestamp
    const ratio = String(f.details?.ratio ?? '')
    const factor = Number(f.details?.factor)
    out.push({
      code: SUSPECTED_SPLIT,
      instrument: ctx.instrumentId,
      symbol: ctx.symbol,
      date: daily ? isoUtc(t).slice(0, 10) : dayIndexToDate(localDayIndex(ctx.timezone, t)),
      time: isoUtc(t),
      ratio,
      factor,
      message: f.message,
    })
  }
  return out
}

/** A split's price factor (after / before) matches a measured jump within this log distance (≈ 10 %). */
const EXPLAINED_TOLERANCE = 0.1

/**
 * The warnings no split of `actions` explains: one of the warning's symbol on its date whose price factor
 * (1 / new shares per old) is within 10 % of the measured jump.
 */
export function unexplainedSplits(
  warnings: readonly SplitWarning[],
  actions: readonly CorporateAction[],
): SplitWarning[] {
  return warnings.filter(
    (w) =>
      !actions.some(
        (a) =>
          a.type === 'split' &&
          a.symbol === w.symbol.toUpperCase() &&
          a.date === w.date &&
          Math.abs(Math.log(w.factor * a.value)) <= EXPLAINED_TOLERANCE,
      ),
  )
}

/** `AAPL,2014-06-09,split,7`: the actions-file row that applies the split a warning suspects. */
export function actionsRowFor(w: SplitWarning): string {
  const [a, b] = w.ratio.split(':')
  return `${w.symbol},${w.date},split,${b === '1' ? a : w.ratio}`
}
