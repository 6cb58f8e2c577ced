/**
 * Calendar features of a bar's open time, in UTC: day of week (0 = Sunday) and time of day, each also as a
 * cyclical sin/cos pair so Sunday sits next to Saturday and 23:59 next to 00:00; plus FX session flags.
 */

/** Outputs of {@link calendarAt}, in this order. */
export const CALENDAR_OUTPUTS = ['dayOfWeek', 'dowSin', 'dowCos', 'timeOfDay', 'todSin', 'todCos'] as const
/** One of {@link CALENDAR_OUTPUTS}. */
export type CalendarOutput = (typeof CALENDAR_OUTPUTS)[number]

const DAY = 86_400_000
const TAU = 2 * Math.PI

/** Calendar features at epoch ms `t` into `out` (timeOfDay is the fraction of the UTC day in [0, 1)). */
export function calendarAt(t: number, out = new Float64Array(CALENDAR_OUTPUTS.length)): Float64Array {
  const days = Math.floor(t / DAY)
  const dow = (((days + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday
  const tod = (t - days * DAY) / DAY
  out[0] = dow
  out[1] = Math.sin((TAU * dow) / 7)
  out[2] = Math.cos((TAU * dow) / 7)
  out[3] = tod
  out[4] = Math.sin(TAU * tod)
  out[5] = Math.cos(TAU * tod)
  return out
}

/** Batch calendar features over bar times. */
export function calendarFeatures(time: Float64Array): Record<CalendarOutput, Float64Array> {
  const cols = CALENDAR_OUTPUTS.map(() => new Float64Array(time.length))
  const v = new Float64Array(CALENDAR_OUTPUTS.length)
  for (let i = 0; i < time.length; i++) {
    calendarAt(time[i]!, v)
    for (let k = 0; k < cols.length; k++) cols[k]![i] = v[k]!
  }
  return Object.fromEntries(CALENDAR_OUTPUTS.map((n, k) => [n, cols[k]!])) as Record<CalendarOutput, Float64Array>
}

/** Which FX sessions trade at `t` (the data layer's `fxSessionsAt` has this shape). */
export type SessionsAt = (t: number) => readonly string[]

/** Outputs of {@link sessionFlags}, in this order. */
export const SESSION_OUTPUTS = ['asia', 'london', 'newYork'] as const
/** One of {@link SESSION_OUTPUTS}. */
export type SessionOutput = (typeof SESSION_OUTPUTS)[number]
const SESSION_NAMES = ['Asia', 'London', 'NewYork'] as const

/** Session flags (1 in session, 0 not) at `t` into `out`. */
export function sessionFlagsAt(t: number, sessionsAt: SessionsAt, out = new Float64Array(3)): Float64Array {
  const s = sessionsAt(t)
  for (let k = 0; k < 3; k++) out[k] = s.includes(SESSION_NAMES[k]!) ? 1 : 0
  return out
}

/** Batch session flags over bar times: `asia`, `london`, `newYork` columns of 0/1. */
export function sessionFlags(time: Float64Array, sessionsAt: SessionsAt): Record<SessionOutput, Float64Array> {
  const cols = SESSION_OUTPUTS.map(() => new Float64Array(time.length))
  const v = new Float64Array(3)
  for (let i = 0; i < time.length; i++) {
    sessionFlagsAt(time[i]!, sessionsAt, v)
    for (let k = 0; k < 3; k++) cols[k]![i] = v[k]!
  }
  return { asia: cols[0]!, london: cols[1]!, newYork: cols[2]! }
}
