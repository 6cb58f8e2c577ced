/**
 * Gaps against a trading calendar: the expected bar opens inside each session that have no bar, summarised
 * as runs (first missing, count), not one finding per minute.
 */
import { MS, isoUtc } from '../../core/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'

/** A run of consecutive missing bars. */
export interface GapRun {
  /** Open time of the first missing bar. */
  readonly from: number
  /** Number of missing bars. */
  readonly count: number
  /** Session (local date) the run is in. */
  readonly session: string
}

/**
 * Missing bars of length `tfMs` between the first and last bar of `openTime` (sorted; `skip[i]` = 1 leaves
 * row i out). Intraday bars are expected every `tfMs` from each session's open; daily bars once per session,
 * stamped at 00:00 UTC of the session date (the bundled convention).
 */
export function findGaps(
  openTime: Float64Array,
  tfMs: number,
  calendar: TradingCalendar,
  skip?: Uint8Array,
): GapRun[] {
  const idx: number[] = []
  for (let i = 0; i < openTime.length; i++) if (!skip || !skip[i]) idx.push(i)
  if (idx.length < 2) return []
  const first = openTime[idx[0]!]!
  const last = openTime[idx[idx.length - 1]!]!
  const runs: { from: number; count: number; session: string }[] = []
  const daily = tfMs >= MS.day
  const sessions = daily ? calendar.sessions(first - MS.day, last + 2 * MS.day) : calendar.sessions(first, last + tfMs)
  let j = 0
  let prevMissing = false
  let prevSession = ''
  for (const s of sessions) {
    const t0 = daily ? Date.parse(`${s.date}T00:00:00Z`) : s.open
    const end = daily ? t0 + 1 : s.close
    for (let t = t0; t < end; t += tfMs) {
      if (t < first || t > last) {
        prevMissing = false
        continue
      }
      while (j < idx.length && openTime[idx[j]!]! < t) j++
      if (j < idx.length && openTime[idx[j]!]! === t) {
        prevMissing = false
        continue
      }
      if (prevMissing && (daily || prevSession === s.date)) runs[runs.length - 1]!.count++
      else runs.push({ from: t, count: 1, session: s.date })
      prevMissing = true
      prevSession = s.date
    }
  }
  return runs
}

/** `12 missing 1m bars from 2018-04-04T16:48:00Z (session 2018-04-04)`. */
export function describeGap(run: GapRun, tf: string): string {
  return `${run.count} missing ${tf} bar${run.count === 1 ? '' : 's'} from ${isoUtc(run.from)} (session ${run.session})`
}
