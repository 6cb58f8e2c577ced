/**
 * What a run leaves behind: orders, fills, round-trip trades, positions over time, and equity and exposure
 * curves as Float64Array columns. Shapes fit `src/research` (PerformanceInput) without importing it.
 */
import type { TargetRecord } from './framework.ts'
import type { CashFlow, EpochMs, Fill, Order } from '../core/index.ts'
import type { RoundTrip } from '../portfolio/index.ts'
import type { ParentOrder } from '../execution/index.ts'

/**
 * A growable Float64Array column, kept in chunks: growing never copies what is already kept (no doubling
 * copies, no burst of large allocations on a long run); {@link toArray} copies once.
 */
export class FloatColumn {
  private readonly full: Float64Array[] = []
  private cur: Float64Array
  private n = 0
  length = 0

  constructor(capacity = 1024) {
    this.cur = new Float64Array(Math.max(16, Math.min(capacity, CHUNK)))
  }

  push(v: number): void {
    if (this.n === this.cur.length) {
      this.full.push(this.cur)
      this.cur = new Float64Array(Math.min(CHUNK, this.cur.length * 2))
      this.n = 0
    }
    this.cur[this.n++] = v
    this.length++
  }

  /** The last value pushed (NaN when empty). */
  last(): number {
    if (this.n > 0) return this.cur[this.n - 1]!
    const f = this.full[this.full.length - 1]
    return f === undefined ? NaN : f[f.length - 1]!
  }

  /** Overwrites the last value. */
  setLast(v: number): void {
    if (this.n > 0) this.cur[this.n - 1] = v
    else {
      const f = this.full[this.full.length - 1]
      if (f !== undefined) f[f.length - 1] = v
    }
  }

  /** A trimmed copy. */
  toArray(): Float64Array {
    const out = new Float64Array(this.length)
    let at = 0
    for (const f of this.full) {
      out.set(f, at)
      at += f.length
    }
    out.set(this.cur.subarray(0, this.n), at)
    return out
  }
}

/** Largest chunk of a {@link FloatColumn} (512 KB). */
const CHUNK = 65_536

/** A value over time (equity, exposure). */
export interface Curve {
  readonly time: Float64Array
  readonly value: Float64Array
}

/** A position after one of its changes. */
export interface PositionSnapshot {
  readonly time: EpochMs
  readonly strategyId: string
  readonly instrumentId: string
  readonly quantity: number
  readonly avgPrice: number
  readonly realizedPnl: number
}

/** Everything a backtest produced. `equity`, `trades` and `exposure` fit research's PerformanceInput. */
export interface BacktestResult {
  readonly initialCash: number
  readonly finalEquity: number
  readonly cash: number
  readonly feesPaid: number
  readonly borrowPaid: number
  /** Dividends, funding and swap received, in total (negative: paid), in the account currency. */
  readonly carry: number
  /** What each account event (split, dividend, funding, swap, cash in lieu) did to each position, in order. */
  readonly cashFlows: readonly CashFlow[]
  /** Σ |price × quantity × multiplier| over every fill. */
  readonly tradedNotional: number
  readonly orders: readonly Order[]
  readonly fills: readonly Fill[]
  /** Closed round trips, then any still open at the end valued at the last close (`open: true`). */
  readonly trades: readonly RoundTrip[]
  readonly positions: readonly PositionSnapshot[]
  readonly equity: Curve
  /** Gross exposure / equity. */
  readonly exposure: Curve
  /**
   * Set when equity fell to or below zero (marked at a bar, quote or trade): the account is wiped out, so the
   * run stopped at that time and nothing after it was traded or recorded.
   */
  readonly liquidation?: Liquidation
  /** Each time the venue closed the positions because equity fell below maintenance margin (margin accounts). */
  readonly marginCalls: readonly { readonly time: EpochMs; readonly equity: number }[]
  /** The framework's targets as they were set (runs with a framework that record orders). */
  readonly targets?: readonly TargetRecord[]
  /** The parent orders of a scheduled execution model (TWAP, POV) with their child order ids. */
  readonly parentOrders?: readonly ParentOrder[]
  readonly stats: {
    readonly bars: number
    readonly quotes: number
    readonly trades: number
    readonly orders: number
    readonly fills: number
    readonly closedTrades: number
    readonly riskRejected: number
    readonly firstTime: EpochMs
    readonly lastTime: EpochMs
  }
}

/** Where a wiped-out run stopped. */
export interface Liquidation {
  readonly time: EpochMs
  readonly equity: number
  readonly cash: number
  /** Positions still open then (none when the venue's margin call closed them). */
  readonly openPositions: readonly { readonly instrumentId: string; readonly quantity: number }[]
}

/** What to keep in memory (long streamed runs keep only counts and a coarser curve). */
export interface RecordOptions {
  readonly orders?: boolean
  readonly fills?: boolean
  readonly trades?: boolean
  readonly positions?: boolean
  /** Minimum spacing of curve samples in ms (0: one sample per distinct event time). */
  readonly curveIntervalMs?: number
}
