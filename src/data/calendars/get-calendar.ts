/**
 * The built-in trading calendars by id: `NYSE`, `NYSE_EXT`, `24/7`, `FX`, `METALS`, and the FX sessions
 * `FX_ASIA` (Tokyo 09:00–18:00), `FX_LONDON` (08:00–17:00 London) and `FX_NEWYORK` (08:00–17:00 New York),
 * each on its own city's clock and DST, Monday to Friday local, so `1d` bars give one bar per FX session.
 */
import { KestrelError } from '../../core/index.ts'
import { EVERY_DAY, WEEKDAYS, nyseDays } from './day-rules.ts'
import { SessionCalendar } from './session-calendar.ts'
import type { SessionCalendarSpec } from './session-calendar.ts'

const NY = 'America/New_York'

/** Ids of the built-in calendars. */
export const CALENDAR_IDS = ['NYSE', 'NYSE_EXT', '24/7', 'FX', 'METALS', 'FX_ASIA', 'FX_LONDON', 'FX_NEWYORK'] as const
/** One of {@link CALENDAR_IDS}. */
export type CalendarId = (typeof CALENDAR_IDS)[number]

const SPECS: Record<CalendarId, () => SessionCalendarSpec> = {
  // Regular hours 09:30–16:00 New York; 13:00 on early-close days.
  NYSE: () => ({ id: 'NYSE', timezone: NY, openMinute: 570, closeMinute: 960, days: nyseDays(780) }),
  // Pre-market from 04:00, after-hours to 20:00; after-hours ends 17:00 on early-close days.
  NYSE_EXT: () => ({ id: 'NYSE_EXT', timezone: NY, openMinute: 240, closeMinute: 1200, days: nyseDays(1020) }),
  // UTC days, every day.
  '24/7': () => ({ id: '24/7', timezone: 'UTC', openMinute: 0, closeMinute: 1440, days: EVERY_DAY }),
  // The FX trading day runs 17:00–17:00 New York and is dated by its close: Sunday 17:00 opens Monday's.
  FX: () => ({ id: 'FX', timezone: NY, openMinute: -420, closeMinute: 1020, days: WEEKDAYS }),
  // CME metals: 18:00 New York the evening before to 17:00, with the daily 17:00–18:00 break.
  METALS: () => ({ id: 'METALS', timezone: NY, openMinute: -360, closeMinute: 1020, days: WEEKDAYS }),
  FX_ASIA: () => ({ id: 'FX_ASIA', timezone: 'Asia/Tokyo', openMinute: 540, closeMinute: 1080, days: WEEKDAYS }),
  FX_LONDON: () => ({ id: 'FX_LONDON', timezone: 'Europe/London', openMinute: 480, closeMinute: 1020, days: WEEKDAYS }),
  FX_NEWYORK: () => ({ id: 'FX_NEWYORK', timezone: NY, openMinute: 480, closeMinute: 1020, days: WEEKDAYS }),
}

const built = new Map<string, SessionCalendar>()

/** The calendar with id `id` (case-insensitive; `247`, `CRYPTO` alias `24/7`). Throws PARAM_INVALID otherwise. */
export function getCalendar(id: string): SessionCalendar {
  const key = normalise(id)
  let cal = built.get(key)
  if (!cal) {
    const spec = (SPECS as Record<string, (() => SessionCalendarSpec) | undefined>)[key]
    if (!spec) {
      throw new KestrelError(
        'PARAM_INVALID',
        `unknown trading calendar ${JSON.stringify(id)}: expected one of ${CALENDAR_IDS.join(', ')}`,
        { id, expected: CALENDAR_IDS },
      )
    }
    cal = new SessionCalendar(spec())
    built.set(key, cal)
  }
  return cal
}

function normalise(id: string): string {
  const u = id.trim().toUpperCase()
  if (u === '247' || u === 'CRYPTO' || u === '24X7') return '24/7'
  if (u === 'NYSE-EXT' || u === 'NYSE EXT') return 'NYSE_EXT'
  return u
}
