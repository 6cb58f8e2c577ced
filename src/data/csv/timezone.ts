/**
 * Naive local timestamps to UTC for an IANA time zone, with Intl only (no tz database of our own).
 * Offsets are cached per local day, so converting millions of rows costs one map lookup each.
 */
import { KestrelError, MS } from '../../core/index.ts'

/** Converts local wall-clock times (given as if they were UTC epoch ms) to true UTC epoch ms. */
export interface ZoneConverter {
  readonly zone: string
  /** UTC epoch ms for the local wall-clock time `localMs` (epoch ms read as if UTC). */
  toUtc(localMs: number): number
  /** Offset local − UTC in ms at the UTC instant `utcMs`. */
  offsetAt(utcMs: number): number
}

const UTC_NAMES = new Set(['utc', 'z', 'gmt', 'etc/utc', 'etc/gmt', 'zulu', 'universal'])

/** Makes a converter for `zone`; throws TIMEZONE_UNKNOWN (naming the zone and `where`) if Intl does not know it. */
export function zoneConverter(zone: string, where = 'timezone'): ZoneConverter {
  if (UTC_NAMES.has(zone.trim().toLowerCase())) {
    return { zone: 'UTC', toUtc: (t) => t, offsetAt: () => 0 }
  }
  let fmt: Intl.DateTimeFormat
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch (e) {
    throw new KestrelError(
      'TIMEZONE_UNKNOWN',
      `${where}: unknown time zone ${JSON.stringify(zone)}; expected an IANA name such as America/New_York`,
      { zone, where },
      { cause: e },
    )
  }
  const offsetAt = (utcMs: number): number => {
    const p = fmt.formatToParts(new Date(utcMs))
    const get = (t: string) => Number(p.find((x) => x.type === t)?.value)
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
    return local - Math.floor(utcMs / 1000) * 1000
  }
  // Per local day: [offset at the start, offset at the end]; equal unless a DST change falls in the day.
  const cache = new Map<number, number>()
  const exact = (localMs: number): number => {
    const o1 = offsetAt(localMs)
    const o2 = offsetAt(localMs - o1)
    return localMs - o2
  }
  return {
    zone,
    offsetAt,
    toUtc(localMs: number): number {
      const day = Math.floor(localMs / MS.day)
      let off = cache.get(day)
      if (off === undefined) {
        const start = day * MS.day
        const a = start - exact(start)
        const b = start + MS.day - 1 - exact(start + MS.day - 1)
        off = a === b ? a : NaN
        cache.set(day, off)
      }
      return Number.isNaN(off) ? exact(localMs) : localMs - off
    },
  }
}
