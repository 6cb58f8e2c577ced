/**
 * A universe: which instruments a study may trade, when. Each membership spell runs from the start of its
 * `added` day to the end of its `removed` day (inclusive, the last day as a member, as CRSP's delisting date is
 * the last day of trading), both in the universe's time zone; a symbol may leave and rejoin (several spells).
 * A spell that ends in a delisting carries its reason and return: the backtest closes a position still held
 * then at the last close × (1 + return). Point in time: {@link Universe.membersAt} answers with what was
 * known to be a member at that time, delisted names included while they traded (no survivorship bias).
 */
import { KestrelError } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'
import { dateToDayIndex, localToUtc } from '../calendars/index.ts'

/**
 * Why a spell ended in a delisting. `performance`: the company failed (CRSP delisting codes 500–599:
 * bankruptcy, insufficient capital, price too low, …); `merger`: it was bought or exchanged (CRSP 200–399);
 * `other`: anything else (a liquidation with a final distribution, a move to another exchange, CRSP 400–499).
 */
export type DelistingCategory = 'performance' | 'merger' | 'other'

/**
 * Default delisting return of a performance delisting whose return is missing: −30 %, the value Shumway (1997,
 * "The Delisting Bias in CRSP Data", Journal of Finance 52(1), 327–340) estimates for NYSE/AMEX
 * performance-related delistings. Nasdaq delistings lose more (Shumway and Warther 1999 use −55 %): give the
 * return in the file where it is known, or set `performanceDelistingReturn` in a universe YAML.
 */
export const PERFORMANCE_DELISTING_RETURN = -0.3

/** Liquidity thresholds a scanner applies to a member before it may be traded. */
export interface LiquidityThresholds {
  /** Least average daily dollar volume (close × volume). */
  readonly minDollarVolume?: number
  /** Least price (close). */
  readonly minPrice?: number
}

/** One membership spell of one symbol. */
export interface UniverseMember {
  /** Symbol in capitals. */
  readonly symbol: string
  readonly sector: string
  /** Industry (empty when the file gives none). */
  readonly industry: string
  /** First day as a member, `YYYY-MM-DD`. */
  readonly added: string
  /** Last day as a member, `YYYY-MM-DD`; undefined while still a member. */
  readonly removed?: string
  /** Start of the spell (local midnight of `added`), epoch ms. */
  readonly from: EpochMs
  /** End of the spell, exclusive (local midnight after `removed`), epoch ms; Infinity while still a member. */
  readonly to: EpochMs
  /** The spell ended in a delisting (not a mere removal from an index): its reason as the file gave it. */
  readonly delistingReason?: string
  readonly delistingCategory?: DelistingCategory
  /**
   * Return from the last close to the delisting (−0.3: the holder gets 70 % of the last close). The file's,
   * or the default of its category: {@link PERFORMANCE_DELISTING_RETURN} for a performance delisting, 0 (the
   * last close) for a merger or another delisting.
   */
  readonly delistingReturn?: number
  /** True when `delistingReturn` is the category's default (the file had none). */
  readonly delistingReturnAssumed?: boolean
  /** 1-based line of the spell in its file. */
  readonly line: number
}

/** The delisting events of a universe, for the engine (see `DelistingEvent` in core). */
export interface UniverseDelisting {
  readonly symbol: string
  /** End of the last day of trading. */
  readonly time: EpochMs
  readonly reason: string
  readonly category: DelistingCategory
  readonly delistingReturn: number
  readonly assumed: boolean
}

/** A parsed universe: members by symbol with their spells, thresholds and the time zone of its dates. */
export class Universe {
  private readonly bySymbol = new Map<string, UniverseMember[]>()

  constructor(
    /** Every spell, in file order. */
    readonly members: readonly UniverseMember[],
    readonly liquidity: LiquidityThresholds = {},
    /** Zone of the dates (the exchange's). */
    readonly timeZone = 'America/New_York',
    /** Where the universe came from (errors name it). */
    readonly source = '<universe>',
  ) {
    for (const m of members) {
      const list = this.bySymbol.get(m.symbol) ?? []
      list.push(m)
      this.bySymbol.set(m.symbol, list)
    }
    for (const list of this.bySymbol.values()) list.sort((a, b) => a.from - b.from)
  }

  /** Every symbol the universe ever held, sorted. */
  get symbols(): string[] {
    return [...this.bySymbol.keys()].sort()
  }

  /** The spells of `symbol` in time order (none when the universe never held it). */
  spells(symbol: string): readonly UniverseMember[] {
    return this.bySymbol.get(symbol.toUpperCase()) ?? []
  }

  /** The spell of `symbol` that holds `time`, or undefined when it was not a member then. */
  spellAt(symbol: string, time: EpochMs): UniverseMember | undefined {
    for (const s of this.spells(symbol)) if (time >= s.from && time < s.to) return s
    return undefined
  }

  /** True when `symbol` was a member at `time`. */
  isMember(symbol: string, time: EpochMs): boolean {
    return this.spellAt(symbol, time) !== undefined
  }

  /** The members at `time` (one spell per symbol), sorted by symbol: what a scanner may look at then. */
  membersAt(time: EpochMs): UniverseMember[] {
    const out: UniverseMember[] = []
    for (const sym of this.symbols) {
      const s = this.spellAt(sym, time)
      if (s) out.push(s)
    }
    return out
  }

  /** The sector of `symbol` (its latest spell's), or undefined when it was never a member. */
  sectorOf(symbol: string): string | undefined {
    return this.spells(symbol).at(-1)?.sector
  }

  /** Every delisting, in time order. */
  delistings(): UniverseDelisting[] {
    const out: UniverseDelisting[] = []
    for (const m of this.members)
      if (m.delistingCategory !== undefined)
        out.push({
          symbol: m.symbol,
          time: m.to,
          reason: m.delistingReason!,
          category: m.delistingCategory,
          delistingReturn: m.delistingReturn!,
          assumed: m.delistingReturnAssumed === true,
        })
    return out.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : 1))
  }

  /** True when a bar's close and dollar volume pass the liquidity thresholds. */
  isLiquid(close: number, dollarVolume: number): boolean {
    const l = this.liquidity
    return (
      (l.minPrice === undefined || close >= l.minPrice) &&
      (l.minDollarVolume === undefined || dollarVolume >= l.minDollarVolume)
    )
  }

  /** Words for a symbol's spells in errors and reject reasons: `member 2020-01-02..2021-06-30, 2022-01-03..`. */
  describe(symbol: string): string {
    const s = this.spells(symbol)
    if (s.length === 0) return `not in universe ${this.source}`
    return `member ${s.map((x) => `${x.added}..${x.removed ?? ''}`).join(', ')} in universe ${this.source}`
  }
}

/** Start and end (exclusive) of a spell from its dates in `timeZone`. */
export function spellBounds(
  timeZone: string,
  added: string,
  removed: string | undefined,
): { from: EpochMs; to: EpochMs } {
  const from = localToUtc(timeZone, dateToDayIndex(added), 0)
  const to = removed === undefined ? Infinity : localToUtc(timeZone, dateToDayIndex(removed) + 1, 0)
  return { from, to }
}

/** Throws DATA_BAD_FILE when two spells of one symbol overlap (naming both lines). */
export function checkSpells(members: readonly UniverseMember[], source: string): void {
  const by = new Map<string, UniverseMember[]>()
  for (const m of members) by.set(m.symbol, [...(by.get(m.symbol) ?? []), m])
  for (const [sym, list] of by) {
    const s = [...list].sort((a, b) => a.from - b.from)
    for (let i = 1; i < s.length; i++)
      if (s[i]!.from < s[i - 1]!.to)
        throw new KestrelError(
          'DATA_BAD_ROW',
          `${source} line ${s[i]!.line}: ${sym} from ${s[i]!.added} overlaps its spell on line ${s[i - 1]!.line} (${s[i - 1]!.added}..${s[i - 1]!.removed ?? ''})`,
          { source, line: s[i]!.line, other: s[i - 1]!.line },
        )
  }
}
