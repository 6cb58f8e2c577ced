/** FX session labels: which of the Asia (Tokyo), London and New York sessions are trading at an instant. */
import type { EpochMs } from '../../core/index.ts'
import { getCalendar } from './get-calendar.ts'

/** An FX trading session. */
export type FxSession = 'Asia' | 'London' | 'NewYork'

/** Each FX session and the calendar (`FX_ASIA`, `FX_LONDON`, `FX_NEWYORK`) that holds its hours. */
export const FX_SESSIONS: readonly { readonly name: FxSession; readonly calendar: string }[] = [
  { name: 'Asia', calendar: 'FX_ASIA' }, // 09:00–18:00 Asia/Tokyo
  { name: 'London', calendar: 'FX_LONDON' }, // 08:00–17:00 Europe/London
  { name: 'NewYork', calendar: 'FX_NEWYORK' }, // 08:00–17:00 America/New_York
]

/**
 * The FX sessions trading at `t`, in the order Asia, London, NewYork (London and New York overlap
 * 08:00–12:00 New York most of the year). Each follows its own city's DST; empty while the FX week is closed.
 */
export function fxSessionsAt(t: EpochMs): FxSession[] {
  const out: FxSession[] = []
  if (!getCalendar('FX').isOpen(t)) return out
  for (const s of FX_SESSIONS) if (getCalendar(s.calendar).isOpen(t)) out.push(s.name)
  return out
}
