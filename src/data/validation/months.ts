/**
 * The spacing checks of month bars (`1mo`, `3mo`): a month has no fixed length, so bars are checked by the
 * calendar month of their open time (UTC date: month bars are dated, not timed) instead of by milliseconds.
 * Bars of `count` months step `count` months; two in one step are duplicates, a longer step is a gap (counted
 * only over months in which the trading calendar has sessions).
 */
import { monthIndex, monthStartOf } from '../../core/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'
import type { GapRun } from './gaps.ts'

/** `1998-03` for a month's running number. */
export function monthText(m: number): string {
  return new Date(monthStartOf(m)).toISOString().slice(0, 7)
}

/** Rows (not in `skip`, in time order) whose bar falls in the period of the kept row before it (`first`). */
export function monthDuplicates(
  T: Float64Array,
  skip: Uint8Array,
  count: number,
): { index: number; first: number; month: string }[] {
  const out: { index: number; first: number; month: string }[] = []
  let prev = -1
  for (let i = 0; i < T.length; i++) {
    if (skip[i] || !Number.isFinite(T[i]!)) continue
    if (prev >= 0 && monthIndex(T[i]!) - monthIndex(T[prev]!) < count) {
      out.push({ index: i, first: prev, month: monthText(monthIndex(T[i]!)) })
      continue
    }
    prev = i
  }
  return out
}

/** Missing month bars between the kept rows, as runs; a month without sessions in `calendar` is not missing. */
export function monthGaps(T: Float64Array, skip: Uint8Array, count: number, calendar: TradingCalendar): GapRun[] {
  const runs: GapRun[] = []
  let prev = -1
  for (let i = 0; i < T.length; i++) {
    if (skip[i] || !Number.isFinite(T[i]!)) continue
    if (prev >= 0) {
      const to = monthIndex(T[i]!)
      let run: { from: number; count: number; session: string } | undefined
      for (let m = monthIndex(T[prev]!) + count; m + count <= to; m += count) {
        if (calendar.sessions(monthStartOf(m), monthStartOf(m + count)).length === 0) {
          if (run) runs.push(run)
          run = undefined
          continue
        }
        if (run) run.count++
        else run = { from: monthStartOf(m), count: 1, session: monthText(m) }
      }
      if (run) runs.push(run)
    }
    prev = i
  }
  return runs
}
