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
  const n = openTime.length
  let a = 0
  while (a < n && skip?.[a]) a++
  let b = n - 1
  while (b >= 0 && skip?.[b]) b--
  if (b - a < 1) return []
  const first = openTime[a]!
  const last = openTime[b]!
  const runs: GapRun[] = []
  if (tfMs >= MS.day) {
    // One bar per session, stamped 00:00 UTC of the session date; runs continue across sessions.
    let j = a
    let prevMissing = false
    for (const s of calendar.sessions(first - MS.day, last + 2 * MS.day)) {
      const t = Date.parse(`${s.date}T00:00:00Z`)
      if (t < first || t > last) continue
      while (j <= b && (skip?.[j] || openTime[j]! < t)) j++
      if (j <= b && openTime[j] === t) {
        prevMissing = false
        continue
      }
      const r = runs[runs.length - 1]
      if (prevMissing && r) runs[runs.length - 1] = { ...r, count: r.count + 1 }
      else runs.push({ from: t, count: 1, session: s.date })
      prevMissing = true
    }
    return runs
  }
  // Intraday: walk the bars of each session once; expected opens are session open + k × timeframe.
  let j = a
  for (const s of calendar.sessions(first, last + tfMs)) {
    let expect = first > s.open ? s.open + Math.ceil((first - s.open) / tfMs) * tfMs : s.open
    const end = Math.min(s.close, last + 1)
    while (j <= b && openTime[j]! < s.open) j++
    for (; j <= b && openTime[j]! < s.close; j++) {
      if (skip?.[j]) continue
      const t = openTime[j]!
      if (t < expect) continue
      const k = Math.floor((t - expect) / tfMs)
      if (k > 0) runs.push({ from: expect, count: k, session: s.date })
      expect += (k + 1) * tfMs
    }
    if (expect < end) runs.push({ from: expect, count: Math.ceil((end - expect) / tfMs), session: s.date })
  }
  return runs
}

/** `12 missing 1m bars from 2018-04-04T16:48:00Z (session 2018-04-04)`. */
export function describeGap(run: GapRun, tf: string): string {
  return `${run.count} missing ${tf} bar${run.count === 1 ? '' : 's'} from ${isoUtc(run.from)} (session ${run.session})`
}
