/**
 * What a run leaves behind: orders, fills, round-trip trades, positions over time, and equity and exposure
 * curves as Float64Array columns. Shapes fit `src/research` (PerformanceInput) without importing it.
 */
import type { EpochMs, Fill, Order } from '../core/index.ts'
import type { RoundTrip } from '../portfolio/index.ts'

/** A growable Float64Array column. */
export class FloatColumn {
  private buf: Float64Array
  length = 0

  constructor(capacity = 1024) {
    this.buf = new Float64Array(Math.max(16, capacity))
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }

  /** The value at `i` (0 ≤ i < length). */
  at(i: number): number {
    return this.buf[i]!
  }

  /** The last value pushed (NaN when empty). */
  last(): number {
    return this.length > 0 ? this.buf[this.length - 1]! : NaN
  }

  /** Overwrites the last value. */
  setLast(v: number): void {
    if (this.length > 0) this.buf[this.length - 1] = v
  }

  /** A trimmed copy. */
  toArray(): Float64Array {
    return this.buf.slice(0, this.length)
  }
}

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
