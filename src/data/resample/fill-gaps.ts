/**
 * Explicit gap filling: the bars a trading calendar expects between a series' first and last bar but the series
 * lacks are inserted, each flagged, never silently. A bar is expected where {@link findGaps} looks for one: every
 * timeframe step from each session's open for intraday bars, one bar per session stamped 00:00 UTC of the
 * session date for daily bars. Nothing before the first bar or after the last is added.
 *
 * `ffill` (the one method): a filled bar's open, high, low and close are the close of the bar before it, its
 * volume is 0, its close time its open time plus the timeframe (the session's close when that is earlier), and its `filled` flag is 1 (0 on every bar
 * that was there).
 */
import { KestrelError, MS, allocBarSeries, parseTimeframe, type BarSeries } from '../../core/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'
import { findGaps, type GapRun } from '../validation/gaps.ts'

/** How missing bars are filled: `ffill` carries the previous close forward. */
export type FillMethod = 'ffill'

/** The accepted values of {@link FillMethod}. */
export const FILL_METHODS: readonly FillMethod[] = ['ffill']

/** A series with a flag per bar: 1 for a bar {@link fillGaps} inserted, 0 for one that was there. */
export interface FlaggedSeries extends BarSeries {
  readonly filled: Uint8Array
}

/** What {@link fillGaps} did: the series with its flags, how many bars it inserted, and the runs they fill. */
export interface FillResult {
  readonly series: FlaggedSeries
  readonly filled: number
  readonly runs: readonly GapRun[]
}

/**
 * The open and close times of the bars in `runs` (intraday: consecutive steps, the last of a session closing at
 * the session's close; daily: consecutive sessions, each a day long).
 */
function missingBars(
  runs: readonly GapRun[],
  tfMs: number,
  calendar: TradingCalendar,
): { open: Float64Array; close: Float64Array } {
  const total = runs.reduce((a, r) => a + r.count, 0)
  const out = new Float64Array(total)
  const close = new Float64Array(total)
  let at = 0
  for (const r of runs) {
    if (tfMs < MS.day) {
      const end = calendar.sessionAt(r.from)?.close ?? Infinity
      for (let k = 0; k < r.count; k++) {
        out[at] = r.from + k * tfMs
        close[at++] = Math.min(r.from + (k + 1) * tfMs, end)
      }
      continue
    }
    // a daily run goes on across sessions: the next `count` session dates from its first
    let left = r.count
    let from = r.from - MS.day
    while (left > 0) {
      const sessions = calendar.sessions(from, from + 40 * MS.day)
      if (sessions.length === 0) break
      for (const s of sessions) {
        const t = Date.parse(`${s.date}T00:00:00Z`)
        if (t < r.from || (at > 0 && t <= out[at - 1]!)) continue
        close[at] = t + tfMs
        out[at++] = t
        if (--left === 0) break
      }
      from = sessions[sessions.length - 1]!.close
    }
  }
  return { open: out, close }
}

/**
 * Inserts the bars `calendar` expects between the first and last bar of `s` (sorted by open time) and flags
 * them; see the module comment for what a filled bar holds. A series without gaps comes back with every flag 0.
 */
export function fillGaps(s: BarSeries, calendar: TradingCalendar, method: FillMethod = 'ffill'): FillResult {
  if (method !== 'ffill')
    throw new KestrelError(
      'PARAM_INVALID',
      `fill method ${JSON.stringify(method)}: expected ${FILL_METHODS.join(', ')}`,
      {
        method,
      },
    )
  const tfMs = parseTimeframe(s.timeframe).ms
  const runs = findGaps(s.openTime, tfMs, calendar)
  const { open: add, close: addClose } = missingBars(runs, tfMs, calendar)
  const n = s.openTime.length
  const out = allocBarSeries(s.instrumentId, s.timeframe, n + add.length)
  const filled = new Uint8Array(n + add.length)
  let i = 0
  let j = 0
  for (let k = 0; k < n + add.length; k++) {
    if (j < add.length && (i >= n || add[j]! < s.openTime[i]!)) {
      // i > 0 here: every expected bar lies after the first bar
      const c = out.close[k - 1]!
      out.openTime[k] = add[j]!
      out.closeTime[k] = addClose[j]!
      out.open[k] = c
      out.high[k] = c
      out.low[k] = c
      out.close[k] = c
      out.volume[k] = 0
      filled[k] = 1
      j++
    } else {
      out.openTime[k] = s.openTime[i]!
      out.closeTime[k] = s.closeTime[i]!
      out.open[k] = s.open[i]!
      out.high[k] = s.high[i]!
      out.low[k] = s.low[i]!
      out.close[k] = s.close[i]!
      out.volume[k] = s.volume[i]!
      i++
    }
  }
  return { series: { ...out, filled }, filled: add.length, runs }
}
