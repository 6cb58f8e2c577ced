/**
 * The one rule by which a name given by a user (a flag, a positional argument, a config key) picks an
 * instrument: the instrument id (`SPY.ARCA`) as is, else a bare symbol (`SPY`) when exactly one instrument has
 * it. An ambiguous symbol is an error listing the candidates; a name that matches nothing is an error listing
 * the near names and what there is.
 */
import { KestrelError, type ErrorCode } from './errors.ts'

/** What names an instrument: its id (`SYMBOL.VENUE`) and its symbol. */
export interface InstrumentName {
  readonly id: string
  readonly symbol: string
}

/** How {@link findInstrument} words its errors. */
export interface FindInstrumentOptions {
  /** Prefix of the message, where the name came from (`backtest.funding.AAPX`). */
  readonly where?: string
  /** What the instruments are, in the message: `the store` (default) → `the store has …`. */
  readonly among?: string
  /** Said after the list of what there is (`see kestrel data ls`). */
  readonly hint?: string
  /** Error code for both failures (default: DATA_NOT_FOUND for no match, USAGE for an ambiguous symbol). */
  readonly code?: ErrorCode
}

/** Most names listed in a message; the rest are counted. */
const SHOWN = 20

function listed(names: readonly string[]): string {
  if (names.length === 0) return 'no instrument'
  return names.length > SHOWN
    ? `${names.slice(0, SHOWN).join(', ')} and ${names.length - SHOWN} more`
    : names.join(', ')
}

/** Levenshtein distance of two short texts. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]!
}

/**
 * The ids of `instruments` whose symbol or id is near `key` (case aside: within a third of its length in edits,
 * at least one; or one containing the other), nearest first, at most five.
 */
export function nearInstrumentNames(key: string, instruments: readonly InstrumentName[]): string[] {
  const k = key.toUpperCase()
  const limit = Math.max(1, Math.floor(k.length / 3))
  const scored: { id: string; d: number }[] = []
  for (const i of instruments) {
    const names = [i.symbol.toUpperCase(), i.id.toUpperCase()]
    const d = Math.min(...names.map((n) => (n.includes(k) || k.includes(n) ? 0.5 : editDistance(k, n))))
    if (d <= limit) scored.push({ id: i.id, d })
  }
  scored.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return scored.slice(0, 5).map((s) => s.id)
}

/**
 * The instrument `key` names among `instruments`: the one whose id is `key` (exactly, else ignoring case), else
 * the one whose symbol is `key` ignoring case. Several with that symbol: an error (USAGE) listing their ids;
 * none: an error (DATA_NOT_FOUND) listing the near names and every id.
 */
export function findInstrument<T extends InstrumentName>(
  key: string,
  instruments: readonly T[],
  o: FindInstrumentOptions = {},
): T {
  const exact = instruments.find((i) => i.id === key)
  if (exact) return exact
  const k = key.toUpperCase()
  const byId = instruments.filter((i) => i.id.toUpperCase() === k)
  if (byId.length === 1) return byId[0]!
  const hits = instruments.filter((i) => i.symbol.toUpperCase() === k)
  if (hits.length === 1) return hits[0]!
  const among = o.among ?? 'the store'
  const pre = o.where ? `${o.where}: ` : ''
  const hint = o.hint ? ` (${o.hint})` : ''
  if (hits.length > 1) {
    const candidates = hits.map((h) => h.id).sort()
    throw new KestrelError(
      o.code ?? 'USAGE',
      `${pre}symbol ${key} is ambiguous, ${among} has it under several venues: ${candidates.join(', ')}; pass the instrument id`,
      { key, candidates },
    )
  }
  const known = instruments.map((i) => i.id).sort()
  const near = nearInstrumentNames(key, instruments)
  throw new KestrelError(
    o.code ?? 'DATA_NOT_FOUND',
    `${pre}no instrument ${JSON.stringify(key)} in ${among}${near.length > 0 ? ` (near: ${near.join(', ')})` : ''}; ${among} has ${listed(known)}${hint}`,
    { key, near, known },
  )
}
