/**
 * The risk seam. Every order command (submit, cancel) passes through a {@link RiskEngine} before execution
 * sees it; the execution engine accepts orders only from the risk gate it was wired to, so nothing bypasses
 * risk. The real pre-trade limits, drawdown controls and kill switch plug in here (issue 5).
 */
import type { AccountState, EpochMs, Fill, OrderRequest, Position } from '../core/index.ts'

/** What risk may read when it decides. */
export interface RiskState {
  readonly time: EpochMs
  readonly account: AccountState
  /** Net position of the whole account in an instrument. */
  netQuantity(instrumentId: string): number
  /** The strategy's own position. */
  position(strategyId: string, instrumentId: string): Readonly<Position>
  /** Last known price, NaN if none. */
  lastPrice(instrumentId: string): number
  /** Open (non-terminal) orders of the account. */
  openOrderCount(): number
}

/** The verdict on one order. */
export type RiskDecision = { readonly accept: true } | { readonly accept: false; readonly reason: string }

/** A pre-trade and real-time risk engine. */
export interface RiskEngine {
  readonly name: string
  /** Decides on a new order (each order of a group is checked on its own when it is sent). */
  check(order: OrderRequest, state: RiskState): RiskDecision
  /** May veto a cancel (a kill switch never does); default: allow. */
  checkCancel?(clientOrderId: string, state: RiskState): RiskDecision
  /** Told of every fill after the portfolio applied it. */
  onFill?(fill: Fill, state: RiskState): void
  /** Told after each mark-to-market (once per market event time). */
  onMark?(state: RiskState): void
}

/** The accepting decision, shared. */
export const ACCEPT: RiskDecision = Object.freeze({ accept: true as const })
