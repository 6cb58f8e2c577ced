/**
 * Time-zone arithmetic on IANA zones through `Intl`, cached per zone and UTC day: the first lookup of a day
 * asks Intl (and, on a DST transition day, finds the switch instant by bisection); later lookups are a Map hit.
 */
import { KestrelError, MS } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'

/** Offsets of one UTC day: `before` applies until `switchAt`, `after` from then on (equal on most days). */
interface DayOffsets {
  readonly before: number
  readonly after: number
  readonly switchAt: EpochMs
}

interface ZoneCache {
  readonly fmt: Intl.DateTimeFormat
  readonly days: Map<number, DayOffsets>
}

const zones = new Map<string, ZoneCache>()

function zone(tz: string): ZoneCache {
  let z = zones.get(tz)
  if (z) return z
  let fmt: Intl.DateTimeFormat
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
  } catch (e) {
    throw new KestrelError(
      'TIMEZONE_UNKNOWN',
      `unknown time zone ${JSON.stringify(tz)}: expected an IANA name`,
      {
        timezone: tz,
      },
      { cause: e },
    )
  }
  z = { fmt, days: new Map() }
  zones.set(tz, z)
  return z
}

/** Throws TIMEZONE_UNKNOWN unless `tz` is an IANA zone this runtime knows. */
export function assertTimeZone(tz: string): void {
  zone(tz)
}

/** Offset (local − UTC) in ms at `t`, straight from Intl, uncached. */
function intlOffset(fmt: Intl.DateTimeFormat, t: EpochMs): number {
  // "1/1/1970, GMT+05:30"; "GMT-04:56:02" for a local mean time; "GMT" alone where the offset is zero.
  // One format() call with the offset only is about three times cheaper than formatToParts of the wall time.
  const text = fmt.format(t)
  const m = OFFSET.exec(text)
  if (!m) {
    if (text.endsWith('GMT')) return 0
    throw new KestrelError(
      'STATE_INVALID',
      `time zone ${fmt.resolvedOptions().timeZone}: cannot read the offset in ${JSON.stringify(text)}`,
    )
  }
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000
  return m[1] === '+' ? ms : -ms
}

const OFFSET = /GMT([+-\u2212])(\d{1,2}):(\d\d)(?::(\d\d))?$/

function dayOffsets(z: ZoneCache, utcDay: number): DayOffsets {
  let o = z.days.get(utcDay)
  if (o) return o
  const start = utcDay * MS.day
  const before = intlOffset(z.fmt, start)
  const after = intlOffset(z.fmt, start + MS.day)
  let switchAt = start + MS.day
  if (before !== after) {
    // Bisect to the minute where the offset changes (DST rules switch on whole minutes).
    let lo = start
    let hi = start + MS.day
    while (hi - lo > MS.minute) {
      const mid = lo + Math.floor((hi - lo) / 2 / MS.minute) * MS.minute
      if (intlOffset(z.fmt, mid) === before) lo = mid
      else hi = mid
    }
    switchAt = hi
  }
  o = { before, after, switchAt }
  z.days.set(utcDay, o)
  return o
}

/** Offset of `tz` from UTC at instant `t`, in ms (New York in winter: −5 h). Cached per UTC day. */
export function tzOffsetMs(tz: string, t: EpochMs): number {
  const o = dayOffsets(zone(tz), Math.floor(t / MS.day))
  return t < o.switchAt ? o.before : o.after
}

/** Local calendar day of `t` in `tz`, as days since 1970-01-01 (see {@link dayIndexOf}). */
export function localDayIndex(tz: string, t: EpochMs): number {
  return Math.floor((t + tzOffsetMs(tz, t)) / MS.day)
}

/** Milliseconds since local midnight of `t` in `tz`. */
export function localTimeOfDayMs(tz: string, t: EpochMs): number {
  const local = t + tzOffsetMs(tz, t)
  return local - Math.floor(local / MS.day) * MS.day
}

/**
 * The UTC instant of local wall time `minuteOfDay` (may be < 0 or ≥ 1440: it rolls into neighbouring days)
 * on local day `dayIndex` in `tz`. A wall time in a spring-forward gap is shifted forward by the gap; in a
 * fall-back overlap the earlier instant is returned.
 */
export function localToUtc(tz: string, dayIndex: number, minuteOfDay: number): EpochMs {
  const wall = dayIndex * MS.day + minuteOfDay * MS.minute
  const oEarly = tzOffsetMs(tz, wall - MS.day / 2)
  const oLate = tzOffsetMs(tz, wall + MS.day / 2)
  const tEarly = wall - oEarly
  const tLate = wall - oLate
  const earlyOk = tzOffsetMs(tz, tEarly) === oEarly
  const lateOk = tzOffsetMs(tz, tLate) === oLate
  if (earlyOk && lateOk) return Math.min(tEarly, tLate)
  if (earlyOk) return tEarly
  if (lateOk) return tLate
  return tEarly
}

/** Days since 1970-01-01 of a calendar date. */
export function dayIndexOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS.day
}

/** `YYYY-MM-DD` of a day index. */
export function dayIndexToDate(dayIndex: number): string {
  return new Date(dayIndex * MS.day).toISOString().slice(0, 10)
}

/** Day index of a `YYYY-MM-DD` string; throws PARAM_INVALID on anything else. */
export function dateToDayIndex(date: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date)
  const v = m ? dayIndexOf(Number(m[1]), Number(m[2]), Number(m[3])) : NaN
  if (!Number.isInteger(v) || dayIndexToDate(v) !== date) {
    throw new KestrelError('PARAM_INVALID', `not a calendar date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`, {
      date,
    })
  }
  return v
}

/** Weekday of a day index: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayIndex: number): number {
  return (((dayIndex + 4) % 7) + 7) % 7
}
