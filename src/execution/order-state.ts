/**
 * The order state machine. Only the transitions below are legal; any other raises STATE_INVALID, naming the
 * order and both states. Terminal states (FILLED, CANCELED, REJECTED, EXPIRED) never change.
 */
import { KestrelError, TERMINAL_STATUSES } from '../core/index.ts'
import type { Order, OrderStatus } from '../core/index.ts'

const LEGAL: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  INITIALIZED: ['SUBMITTED', 'REJECTED', 'CANCELED'],
  SUBMITTED: ['ACCEPTED', 'REJECTED', 'CANCELED', 'PENDING_CANCEL'],
  ACCEPTED: ['ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL', 'CANCELED', 'EXPIRED'],
  PARTIALLY_FILLED: ['PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL', 'CANCELED', 'EXPIRED'],
  PENDING_CANCEL: ['CANCELED', 'PARTIALLY_FILLED', 'FILLED', 'ACCEPTED', 'EXPIRED'],
  FILLED: [],
  CANCELED: [],
  REJECTED: [],
  EXPIRED: [],
}

/** True when `from → to` is a legal transition. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return LEGAL[from].includes(to)
}

/** Moves `order` to `to` at `time`, or throws STATE_INVALID. */
export function transition(order: Order, to: OrderStatus, time: number): void {
  if (!canTransition(order.status, to)) {
    throw new KestrelError(
      'STATE_INVALID',
      `order ${order.clientOrderId}: illegal transition ${order.status} -> ${to}`,
      { clientOrderId: order.clientOrderId, from: order.status, to },
    )
  }
  order.status = to
  order.updatedAt = time
}

/** True for FILLED, CANCELED, REJECTED and EXPIRED. */
export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status)
}
