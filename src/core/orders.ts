/**
 * Orders, fills, positions and accounts: the vocabulary shared by strategies, risk, execution and portfolio.
 * Quantities are always positive; the side carries the direction. Position quantity is signed (short < 0).
 */
import type { EpochMs } from './time.ts'

/** The direction of an order; its quantity is always positive. */
export type OrderSide = 'BUY' | 'SELL'
/** What triggers an order and at what price it may fill. */
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT' | 'TRAILING_STOP'
/** How long an order stays working: until cancelled, immediate-or-cancel, fill-or-kill, or the session. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'DAY'
/** Whether a trailing stop's offset is an amount of price or a percentage of it. */
export type TrailingOffsetType = 'PRICE' | 'PERCENT'
/** How an order relates to the others of its group. */
export type ContingencyType = 'OCO' | 'OTO' | 'BRACKET'

/** Where an order is in its life cycle; see {@link TERMINAL_STATUSES} for the final ones. */
export type OrderStatus =
  | 'INITIALIZED'
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'PENDING_CANCEL'
  | 'CANCELED'
  | 'REJECTED'
  | 'EXPIRED'

/** Statuses after which an order never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'])

/** What a strategy asks for. Created by the order factory, checked by risk, sent by execution. */
export interface OrderRequest {
  readonly clientOrderId: string
  readonly strategyId: string
  readonly instrumentId: string
  readonly side: OrderSide
  readonly type: OrderType
  readonly quantity: number
  readonly limitPrice?: number
  readonly stopPrice?: number
  readonly trailingOffset?: number
  readonly trailingOffsetType?: TrailingOffsetType
  readonly timeInForce: TimeInForce
  readonly reduceOnly: boolean
  readonly postOnly: boolean
  /** Expiry for DAY orders (set by the engine from the session close) or an explicit good-till time. */
  readonly expireTime?: EpochMs
  /** Orders of one OCO/OTO/bracket group share a group id. */
  readonly groupId?: string
  readonly contingency?: ContingencyType
  /** For OTO/bracket children: the order whose fill activates this one. */
  readonly parentOrderId?: string
  readonly tags?: readonly string[]
}

/** An order and its live state. */
export interface Order extends OrderRequest {
  status: OrderStatus
  filledQuantity: number
  /** Volume-weighted average fill price (NaN before the first fill). */
  avgFillPrice: number
  createdAt: EpochMs
  updatedAt: EpochMs
  venueOrderId?: string
  rejectReason?: string
}

/** Whether a fill added liquidity (maker, resting order) or took it (taker). */
export type Liquidity = 'MAKER' | 'TAKER'

/** One execution of (part of) an order. */
export interface Fill {
  readonly fillId: string
  readonly clientOrderId: string
  readonly venueOrderId?: string
  readonly strategyId: string
  readonly instrumentId: string
  readonly side: OrderSide
  readonly quantity: number
  readonly price: number
  /** Fee charged, in `feeCurrency`; never negative unless a venue pays a rebate (then `liquidity` is MAKER). */
  readonly fee: number
  readonly feeCurrency: string
  readonly liquidity: Liquidity
  readonly time: EpochMs
}

/** A net position of one strategy (or account) in one instrument. */
export interface Position {
  readonly instrumentId: string
  readonly strategyId?: string
  /** Signed: > 0 long, < 0 short. */
  quantity: number
  /** Average entry price of the open quantity. */
  avgPrice: number
  realizedPnl: number
  unrealizedPnl: number
  /** Last price used to mark the position. */
  lastPrice: number
  openedAt: EpochMs
  updatedAt: EpochMs
}

/** A snapshot of an account's balances. */
export interface AccountState {
  readonly accountId: string
  readonly currency: string
  readonly time: EpochMs
  /** Cash balance (after fees and realised P&L; short sale proceeds included for cash accounts). */
  readonly cash: number
  /** Cash plus the market value of positions. */
  readonly equity: number
  readonly marginUsed: number
  readonly marginAvailable: number
  /** Gross exposure / equity. */
  readonly leverage: number
}

/** What happened to an order, as strategies, risk and the bus see it. */
export type OrderEventKind =
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'TRIGGERED'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'PENDING_CANCEL'
  | 'CANCELED'
  | 'EXPIRED'
  | 'UPDATED'

/**
 * One order event: the order after the event, the fill when there is one, and a reason for rejections. The
 * event, its order and its fill are frozen and shared by every consumer (strategy, bus, risk, recorder).
 */
export interface OrderEvent {
  readonly kind: OrderEventKind
  readonly time: EpochMs
  readonly order: Readonly<Order>
  readonly fill?: Fill
  readonly reason?: string
}

/** Something that is submitted: one order or a linked group (OCO / OTO / bracket) from the order factory. */
export type OrderCommand = OrderRequest | readonly OrderRequest[]

/** +1 for BUY, -1 for SELL. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === 'BUY' ? 1 : -1
}
