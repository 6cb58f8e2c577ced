/**
 * Dates and times as the report prints them: a daily bar by its trading day (`2020-03-31`), an intraday bar by
 * its open in the exchange's time zone (`2013-10-07 09:30`). Curve points are bar closes; events (fills) are
 * their own instants. See `metrics/calendar.ts` for the rule.
 */
import { tzOffsetMs } from '../../data/calendars/index.ts'
import { closeDay, dayIso, eventDay, type SessionClock } from '../metrics/calendar.ts'
import type { TradeRecord } from '../types.ts'

const DAY = 86_400_000

function local(t: number, tz: string): string {
  const off = tz === 'UTC' || tz === 'Etc/UTC' ? 0 : tzOffsetMs(tz, t)
  return new Date(t + off).toISOString().slice(0, 16).replace('T', ' ')
}

/** Label of a curve point stamped at a bar's close: its trading day, or its bar's open time for intraday bars. */
export function pointLabel(t: number, clock: SessionClock = {}): string {
  const bar = clock.barMs ?? 0
  if (bar >= DAY) return dayIso(closeDay(t, clock))
  return local(t - bar, clock.timeZone ?? 'UTC')
}

/** Label of an event (a fill) at `t`: its trading day for daily bars, else its time in the exchange's zone. */
export function eventLabel(t: number, clock: SessionClock = {}): string {
  if ((clock.barMs ?? 0) >= DAY) return dayIso(eventDay(t, clock))
  return local(t, clock.timeZone ?? 'UTC')
}

/** The entry and exit labels of a trade (an open trade's exit is its last mark, a bar close). */
export function tradeLabels(t: TradeRecord, clock: SessionClock = {}): { entryLabel: string; exitLabel: string } {
  return {
    entryLabel: eventLabel(t.entryTime, clock),
    exitLabel: t.open ? pointLabel(t.exitTime, clock) : eventLabel(t.exitTime, clock),
  }
}
