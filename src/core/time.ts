/**
 * Time in Kestrel is a number of milliseconds since the Unix epoch, UTC (`EpochMs`). Bars carry their open
 * and close time; a bar is seen at its close.
 */
import { KestrelError } from './errors.ts'

/** Milliseconds since 1970-01-01T00:00:00Z. */
export type EpochMs = number

/**
 * The earliest time a `Date` can hold (271821 BC): "before any data". Times before 1970 are negative, so 0 is
 * an ordinary time (1970-01-01) and never means "unset".
 */
export const EARLIEST_TIME: EpochMs = -8_640_000_000_000_000

export const MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const

/**
 * A fixed bar length such as `1m`, `5m`, `1h`, `4h`, `1d`, `1w`: `ms` is its length. (`1w` is 7 days; a
 * resampled week bar spans the sessions of one ISO week.)
 */
export interface Timeframe {
  readonly text: string
  readonly ms: number
  readonly unit: 's' | 'm' | 'h' | 'd' | 'w'
  readonly count: number
}

/**
 * A calendar month, `1mo`: it has no fixed length (28 to 31 days), so it carries no `ms`. Only code that
 * follows the calendar (resampling by sessions) accepts it; see {@link parseAnyTimeframe}.
 */
export interface MonthTimeframe {
  readonly text: string
  readonly unit: 'mo'
  readonly count: number
  readonly ms?: undefined
}

/** A fixed {@link Timeframe} or a calendar {@link MonthTimeframe}. */
export type AnyTimeframe = Timeframe | MonthTimeframe

const UNIT_MS = { s: MS.second, m: MS.minute, h: MS.hour, d: MS.day, w: MS.week } as const

const FORMS = '<count><s|m|h|d|w|mo>, e.g. 5m, 1d, 1mo'

/**
 * Parses `1m`, `15m`, `1h`, `1d`, `1w`, `1mo` (also `1min`, `60s`, `1D`, `1W`, `1month`). Units are lower
 * case apart from `D` and `W`: `1M` is refused as ambiguous (write `1mo` for a month, `1m` for a minute).
 * Throws PARAM_INVALID with the text on failure.
 */
export function parseAnyTimeframe(text: string): AnyTimeframe {
  const t = text.trim()
  const m = /^(\d+)\s*(s|sec|m|min|h|hour|d|day|D|w|wk|W|mo|month)$/.exec(t)
  if (!m) {
    if (/^\d+\s*M/.test(t)) {
      throw new KestrelError(
        'PARAM_INVALID',
        `timeframe ${JSON.stringify(text)} is ambiguous: write ${t.replace(/^(\d+).*$/, '$1')}mo for months or ${t.replace(/^(\d+).*$/, '$1')}m for minutes`,
        { text },
      )
    }
    throw new KestrelError('PARAM_INVALID', `timeframe ${JSON.stringify(text)}: expected ${FORMS}`, { text })
  }
  const count = Number(m[1])
  const u = m[2]!
  if (!(count > 0 && Number.isSafeInteger(count)))
    throw new KestrelError('PARAM_INVALID', `timeframe ${JSON.stringify(text)}: count must be a whole number > 0`, {
      text,
    })
  if (u === 'mo' || u === 'month') return { text: `${count}mo`, unit: 'mo', count }
  const unit = (u.startsWith('mi') ? 'm' : u[0]!.toLowerCase()) as Timeframe['unit']
  return { text: `${count}${unit}`, ms: count * UNIT_MS[unit], unit, count }
}

/**
 * Parses a fixed-length timeframe (see {@link parseAnyTimeframe} for the forms). A month (`1mo`) has no fixed
 * length: PARAM_INVALID saying so, for the code that needs a bar's length in milliseconds.
 */
export function parseTimeframe(text: string): Timeframe {
  const tf = parseAnyTimeframe(text)
  if (tf.unit === 'mo') {
    throw new KestrelError(
      'PARAM_INVALID',
      `timeframe ${JSON.stringify(text)}: a month has no fixed length; month bars are made by \`kestrel data resample --to 1mo\` and cannot be used where a fixed bar length is needed`,
      { text, variableLength: true },
    )
  }
  return tf
}

/** True when `tf` has a fixed length in milliseconds. */
export function isFixedTimeframe(tf: AnyTimeframe): tf is Timeframe {
  return tf.unit !== 'mo'
}

/** ISO-8601 UTC with seconds, `2013-10-04T13:30:00Z` (milliseconds only when non-zero). */
export function isoUtc(t: EpochMs): string {
  const s = new Date(t).toISOString()
  return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s
}

/** Parses an ISO-8601 date or date-time; a date-time without an offset is read as UTC. */
export function parseIso(text: string): EpochMs {
  const t = text.trim()
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(t) || /^\d{4}-\d\d-\d\d$/.test(t) ? t : `${t}Z`
  const v = Date.parse(withZone)
  if (!Number.isFinite(v) || !calendarDateExists(t))
    throw new KestrelError('PARAM_INVALID', `not an ISO-8601 time: ${JSON.stringify(text)}`)
  return v
}

/** False for a text that starts with a date the calendar does not have (`2015-02-30`, which `Date` rolls over). */
function calendarDateExists(text: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(text)
  if (!m) return true
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const u = new Date(Date.UTC(y, mo - 1, d))
  return u.getUTCFullYear() === y && u.getUTCMonth() === mo - 1 && u.getUTCDate() === d
}

/** A range of bar open times: `from` inclusive, `to` exclusive (epoch ms); either end may be open. */
export interface TimeBounds {
  readonly from?: EpochMs
  readonly to?: EpochMs
}

/** How {@link parseTimeBounds} names the two ends in its errors, and the error code it raises. */
export interface TimeBoundsNames {
  readonly from: string
  readonly to: string
  readonly code?: 'USAGE' | 'CONFIG_INVALID' | 'PARAM_INVALID'
}

/**
 * The range `from`..`to` as bar open times. `from` is inclusive. A date-only `to` (`2015-12-31`) includes that
 * whole UTC day (the range ends at the next midnight); a `to` with a time of day is exclusive. An unreadable end,
 * or a `from` at or after the end, is an error (code `names.code`, default USAGE) naming both settings.
 */
export function parseTimeBounds(
  from: string | undefined,
  to: string | undefined,
  names: TimeBoundsNames = { from: '--from', to: '--to' },
): TimeBounds {
  const code = names.code ?? 'USAGE'
  const read = (text: string, name: string): EpochMs => {
    try {
      return parseIso(text)
    } catch {
      throw new KestrelError(
        code,
        `${name} ${JSON.stringify(text)}: expected an ISO-8601 date or time, e.g. 2015-12-31 or 2015-12-31T14:30:00Z`,
        { [name]: text },
      )
    }
  }
  const lo = from === undefined ? undefined : read(from, names.from)
  let hi = to === undefined ? undefined : read(to, names.to)
  if (hi !== undefined && /^\d{4}-\d\d-\d\d$/.test(to!.trim())) hi += MS.day
  if (lo !== undefined && hi !== undefined && !(lo < hi)) {
    throw new KestrelError(
      code,
      `${names.from} ${from} is after ${names.to} ${to}: the range holds no bar (a date-only ${names.to} includes that day)`,
      { from, to },
    )
  }
  return { ...(lo !== undefined ? { from: lo } : {}), ...(hi !== undefined ? { to: hi } : {}) }
}
