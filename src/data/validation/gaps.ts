/**
 * Gaps against a trading calendar: the expected bar opens inside each session that have no bar, summarised
 * as runs (first missing, count), not one finding per minute. The calendar walk can be given a budget, so that
 * a few rows years apart cannot make it walk centuries: a stretch without bars that the budget does not cover
 * is reported as one long gap, without a count.
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

/** A stretch between two bars too long to count against the calendar within the budget. */
export interface LongGap {
  /** Index (in the series) of the bar before the stretch and of the bar after it. */
  readonly afterIndex: number
  readonly beforeIndex: number
  /** Their open times. */
  readonly from: number
  readonly to: number
}

/** Runs of missing bars, and the long gaps left uncounted. */
export interface GapScan {
  readonly runs: GapRun[]
  readonly long: LongGap[]
}

/**
 * Missing bars of length `tfMs` between the first and last bar of `openTime` (sorted; `skip[i]` = 1 leaves
 * row i out). Intraday bars are expected every `tfMs` from each session's open; daily bars once per session,
 * stamped at 00:00 UTC of the session date (the bundled convention). Walks the whole span: see
 * {@link scanGaps} for a bounded walk.
 */
export function findGaps(openTime: Float64Array, tfMs: number, calendar: TradingCalendar, skip?: Uint8Array): GapRun[] {
  return scanGaps(openTime, tfMs, calendar, skip).runs
}

/**
 * {@link findGaps} with a budget: the calendar is walked over at most `maxWalkMs` of time in all, taken by the
 * spacings between consecutive kept bars in file order; a spacing larger than what is left becomes a
 * {@link LongGap} and is not walked. Cost: O(rows + walked span in days).
 */
export function scanGaps(
  openTime: Float64Array,
  tfMs: number,
  calendar: TradingCalendar,
  skip?: Uint8Array,
  maxWalkMs = Infinity,
): GapScan {
  const n = openTime.length
  // The kept rows' times and indices; without a skipped row, the input itself.
  let idx: Int32Array | undefined
  let times = openTime
  let m = n
  if (skip && anySet(skip)) {
    idx = new Int32Array(n)
    m = 0
    for (let i = 0; i < n; i++) if (!skip[i]) idx[m++] = i
    times = new Float64Array(m)
    for (let k = 0; k < m; k++) times[k] = openTime[idx[k]!]!
  }
  const row = (k: number) => (idx ? idx[k]! : k)
  const runs: GapRun[] = []
  const long: LongGap[] = []
  let left = maxWalkMs
  let start = 0
  for (let k = 1; k <= m; k++) {
    const d = k < m ? times[k]! - times[k - 1]! : 0
    if (k < m && d <= left) {
      left -= d
      continue
    }
    if (k - start > 1) for (const r of segmentGaps(times.subarray(start, k), tfMs, calendar)) runs.push(r)
    if (k < m) long.push({ afterIndex: row(k - 1), beforeIndex: row(k), from: times[k - 1]!, to: times[k]! })
    start = k
  }
  return { runs, long }
}

/** True when some byte of `a` is not 0. */
function anySet(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return true
  return false
}

/** Missing bars between the first and last of the sorted `times`, walking every session between them. */
function segmentGaps(times: Float64Array, tfMs: number, calendar: TradingCalendar): GapRun[] {
  const b = times.length - 1
  const first = times[0]!
  const last = times[b]!
  const runs: GapRun[] = []
  if (tfMs >= MS.day) {
    // One bar per session, stamped 00:00 UTC of the session date; runs continue across sessions.
    let j = 0
    let prevMissing = false
    for (const s of calendar.sessions(first - MS.day, last + 2 * MS.day)) {
      const t = Date.parse(`${s.date}T00:00:00Z`)
      if (t < first || t > last) continue
      while (j <= b && times[j]! < t) j++
      if (j <= b && times[j] === t) {
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
  let j = 0
  for (const s of calendar.sessions(first, last + tfMs)) {
    let expect = first > s.open ? s.open + Math.ceil((first - s.open) / tfMs) * tfMs : s.open
    const end = Math.min(s.close, last + 1)
    while (j <= b && times[j]! < s.open) j++
    for (; j <= b && times[j]! < s.close; j++) {
      const t = times[j]!
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
