/** FX session labels: which of the Asia (Tokyo), London and New York sessions are trading at an instant. */
import type { EpochMs } from '../../core/index.ts'
import { MS } from '../../core/index.ts'
import { getCalendar } from './get-calendar.ts'
import { localDayIndex, localTimeOfDayMs, weekdayOf } from './timezone.ts'

/** An FX trading session. */
export type FxSession = 'Asia' | 'London' | 'NewYork'

interface FxSessionDef {
  readonly name: FxSession
  readonly timezone: string
  readonly open: number
  readonly close: number
}

/** Local hours of each session; each follows its own city's DST. */
export const FX_SESSIONS: readonly FxSessionDef[] = [
  { name: 'Asia', timezone: 'Asia/Tokyo', open: 9 * MS.hour, close: 18 * MS.hour },
  { name: 'London', timezone: 'Europe/London', open: 8 * MS.hour, close: 17 * MS.hour },
  { name: 'NewYork', timezone: 'America/New_York', open: 8 * MS.hour, close: 17 * MS.hour },
]

/**
 * The FX sessions trading at `t`, in the order Asia, London, NewYork (London and New York overlap
 * 08:00–12:00 New York most of the year). Empty while the FX week is closed or on a local weekend.
 */
export function fxSessionsAt(t: EpochMs): FxSession[] {
  const out: FxSession[] = []
  if (!getCalendar('FX').isOpen(t)) return out
  for (const s of FX_SESSIONS) {
    const w = weekdayOf(localDayIndex(s.timezone, t))
    if (w === 0 || w === 6) continue
    const tod = localTimeOfDayMs(s.timezone, t)
    if (tod >= s.open && tod < s.close) out.push(s.name)
  }
  return out
}
