/**
 * The risk seam. Every order command (submit, cancel) passes through a {@link RiskEngine} before execution
 * sees it; the execution engine accepts orders only from the risk gate it was wired to, so nothing bypasses
 * risk. {@link PassThroughRiskEngine} accepts everything; the limits engine (pre-trade checks, real-time
 * controls, kill switch) plugs in here. Added for it, all optional: `RiskState.equity/now`, a reason `code`
 * on refusals, and `RiskEngine.attach(ctx)` through which the kernel lends cancel/submit for the kill switch.
 * Risk learns of order events from execution directly (`onOrderEvent`), never from the bus, which strategies
 * can read; its own orders carry ids of its own namespace (owner `R`), which no strategy can submit.
 */
import type { AccountState, EpochMs, EventBus, Fill, Instrument, OrderRequest, Position } from '../core/index.ts'
import type { OrderEvent } from '../strategy/index.ts'

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
  /** Account equity alone (cheaper than `account`); optional for older kernels. */
  equity?(): number
  /** The clock's time (wall clock live; equals `time` in a backtest); throttles and trading hours use it. */
  now?(): EpochMs
}

/** What the kernel hands a risk engine once, so real-time controls can act (kill switch, reduce). */
export interface RiskContext {
  readonly bus: EventBus
  readonly instruments: readonly Instrument[]
  /** Non-zero positions per strategy. */
  positions(): { strategyId: string; instrumentId: string; quantity: number }[]
  /** Client ids of every open order of the account. */
  openOrders(): string[]
  /** Cancels an order (through the risk gate). */
  cancel(clientOrderId: string): void
  /** A fresh client order id in risk's own namespace (owner `R`); the kernel always provides it. */
  orderId?(): string
  /** Submits an order risk built itself, with an id from {@link orderId} (through the risk gate, still checked). */
  submit(req: OrderRequest): void
  /** Writes a log line. */
  log?(message: string, fields: Record<string, unknown>): void
}

/** The verdict on one order. */
export type RiskDecision =
  | { readonly accept: true }
  | {
      readonly accept: false
      readonly reason: string
      /** Stable reason code, e.g. MAX_POSITION. */ readonly code?: string
    }

/** A pre-trade and real-time risk engine. */
export interface RiskEngine {
  readonly name: string
  /** Decides on a new order (each order of a group is checked on its own when it is sent). */
  check(order: OrderRequest, state: RiskState): RiskDecision
  /** May veto a cancel (a kill switch never does); default: allow. */
  checkCancel?(clientOrderId: string, state: RiskState): RiskDecision
  /** Told of every fill after the portfolio applied it. */
  onFill?(fill: Fill, state: RiskState): void
  /** Told of every order event by the kernel as execution emits it (frozen; before the bus and strategies). */
  onOrderEvent?(e: OrderEvent): void
  /** Told after each mark-to-market (once per market event time). */
  onMark?(state: RiskState): void
  /** Told when the run ends (write what is still buffered, e.g. aggregated log lines). */
  onFinish?(): void
  /** Called once by the kernel before any order, with the means to cancel and flatten. */
  attach?(ctx: RiskContext): void
}

/** The accepting decision, shared. */
export const ACCEPT: RiskDecision = Object.freeze({ accept: true as const })
