/**
 * A universe in a run: its membership by instrument id for the kernel, and its delistings of the run's
 * instruments as DELISTING account events. Instruments are matched to the universe by symbol.
 */
import { KestrelError } from '../core/index.ts'
import type { DelistingEvent, EpochMs, Instrument } from '../core/index.ts'
import type { Universe } from '../data/index.ts'
import type { Membership } from './kernel.ts'

/** What {@link universeMembership} makes. */
export interface UniverseRun {
  readonly membership: Membership
  /** The run's delistings, in time order. */
  readonly delistings: DelistingEvent[]
}

/**
 * Membership and delisting events of `instruments` in `universe`; CONFIG_INVALID naming the instrument when
 * one is not in it (a run with a universe trades only what the universe lists).
 */
export function universeMembership(universe: Universe, instruments: readonly Instrument[]): UniverseRun {
  const symbolOf = new Map<string, string>()
  const missing: string[] = []
  for (const inst of instruments) {
    const sym = inst.symbol.toUpperCase()
    if (universe.spells(sym).length === 0) missing.push(inst.symbol)
    symbolOf.set(inst.id, sym)
  }
  if (missing.length > 0)
    throw new KestrelError(
      'CONFIG_INVALID',
      `universe ${universe.source}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in it (a backtest with a universe trades only its members: add a row or leave the data out)`,
      { source: universe.source, missing },
    )
  const delistings: DelistingEvent[] = []
  for (const inst of instruments)
    for (const d of universe.delistings())
      if (d.symbol === symbolOf.get(inst.id))
        delistings.push({
          kind: 'DELISTING',
          instrumentId: inst.id,
          time: d.time,
          delistingReturn: d.delistingReturn,
          reason: d.assumed ? `${d.reason}, return ${d.delistingReturn} assumed` : d.reason,
        })
  delistings.sort((a, b) => a.time - b.time)
  return {
    membership: {
      isMember: (id: string, time: EpochMs) => universe.isMember(symbolOf.get(id) ?? id, time),
      describe: (id: string) => universe.describe(symbolOf.get(id) ?? id),
    },
    delistings,
  }
}
