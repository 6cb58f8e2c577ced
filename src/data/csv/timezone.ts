/**
 * Naive local timestamps to UTC for an IANA time zone. The offsets come from the calendars' zone arithmetic
 * (Intl, cached per UTC day); on top of that, the offset of each local day is cached, so converting millions of
 * rows costs one map lookup each.
 */
import { KestrelError, MS } from '../../core/index.ts'
import { assertTimeZone, tzOffsetMs } from '../calendars/index.ts'

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
  try {
    assertTimeZone(zone)
  } catch (e) {
    throw new KestrelError(
      'TIMEZONE_UNKNOWN',
      `${where}: unknown time zone ${JSON.stringify(zone)}; expected an IANA name such as America/New_York`,
      { zone, where },
      { cause: e },
    )
  }
  const offsetAt = (utcMs: number): number => tzOffsetMs(zone, utcMs)
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
