/**
 * What the simulated venue checks when an order arrives (lot and tick increments, reduce-only, cash or
 * margin), and the account view it checks against.
 */
import { roundPrice, roundQuantity } from '../core/index.ts'
import { isoUtc } from '../core/index.ts'
import type { EpochMs, Fill, Instrument, Liquidity, Order, OrderSide } from '../core/index.ts'
import type { FeeInput, FeeModel } from './fee-models.ts'
import type { ExecutionReport } from './venue.ts'

/** What the venue needs to know of the account it trades for (cash, margin, positions). */
export interface VenueAccount {
  canAfford(
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    group?: string,
  ): { ok: true } | { ok: false; reason: string }
  /**
   * Checks an arriving order like `canAfford` and, when it fits, holds its buying power until the order ends
   * (optional: without it the venue only checks). Members of one OCO `group` share one hold.
   */
  reserve?(
    clientOrderId: string,
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    group?: string,
  ): { ok: true } | { ok: false; reason: string }
  /**
   * The venue is about to fill `quantity` at `price` with `fee`: may the account pay for it? When it does not
   * fit, says how much buying power is available and what the fill needs (optional: without it every fill goes).
   * `final`: the rest of the order will be canceled after this fill, so all the order holds may pay for it.
   */
  commitFill?(
    fillId: string,
    clientOrderId: string,
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    final?: boolean,
  ): { ok: true } | { ok: false; reason: string; available: number; required: number }
  strategyPosition(strategyId: string, instrumentId: string): number
  belowMaintenance(): boolean
  openPositions(): { strategyId: string; instrumentId: string; quantity: number }[]
}

/** Why an order was refused when the strategy's code can fix it; the venue's reason names the fix. */
export type FixableRejectKind = 'tick' | 'lot' | 'reduceOnly'

/**
 * The venue's refusals that a strategy's own code causes and can fix: the start of each reason and its fix.
 * Refusals of the account (buying power) and of the risk engine are not among them: they are the market and
 * the limits doing their job.
 */
export const FIXABLE: Readonly<Record<FixableRejectKind, { readonly prefix: string; readonly fix: string }>> = {
  tick: { prefix: 'price', fix: 'round it with roundPrice(instrument, price)' },
  lot: { prefix: 'quantity', fix: 'round it with roundQuantity(instrument, quantity)' },
  reduceOnly: {
    prefix: 'reduce-only order would open or increase a position',
    fix: 'send an exit with its entry as ctx.orders.oto(entry, exit) (or ctx.orders.bracket), so it goes out once the entry fills',
  },
}

/** The kind of a reject reason when it is one a strategy can fix ({@link FIXABLE}), else undefined. */
export function fixableRejectKind(reason: string | undefined): FixableRejectKind | undefined {
  if (reason === undefined) return undefined
  for (const kind of Object.keys(FIXABLE) as FixableRejectKind[])
    if (reason.startsWith(`${FIXABLE[kind].prefix} `) || reason.startsWith(`${FIXABLE[kind].prefix}:`))
      if (reason.endsWith(FIXABLE[kind].fix)) return kind
  return undefined
}

/** Why the venue refuses `order` on arrival, or undefined when it accepts it. */
export function arrivalProblem(
  order: Readonly<Order>,
  inst: Instrument,
  lastPrice: number,
  fees: FeeModel,
  account: VenueAccount,
  time: EpochMs,
): string | undefined {
  if (roundQuantity(inst, order.quantity) !== order.quantity || order.quantity < inst.minQuantity) {
    return `${FIXABLE.lot.prefix} ${order.quantity} is not a multiple of lot ${inst.lotSize} (min ${inst.minQuantity}): ${FIXABLE.lot.fix}`
  }
  const lim = order.limitPrice
  if (lim !== undefined && Math.abs(roundPrice(inst, lim) - lim) > 1e-9 * lim)
    return `${FIXABLE.tick.prefix} ${lim} is not on the tick ${inst.tickSize}: ${FIXABLE.tick.fix}`
  const stop = order.stopPrice
  if (stop !== undefined && Math.abs(roundPrice(inst, stop) - stop) > 1e-9 * stop)
    return `${FIXABLE.tick.prefix} ${stop} is not on the tick ${inst.tickSize}: ${FIXABLE.tick.fix}`
  if (order.reduceOnly) {
    const pos = account.strategyPosition(order.strategyId, order.instrumentId)
    if (pos === 0 || Math.sign(pos) === (order.side === 'BUY' ? 1 : -1))
      return `${FIXABLE.reduceOnly.prefix}: ${FIXABLE.reduceOnly.fix}`
    // Still reserved and checked: a cash account's sell holds the position it sells, so two cannot sell it twice.
  }
  const ref = order.limitPrice ?? order.stopPrice ?? lastPrice
  if (Number.isFinite(ref)) {
    const fee = fees.fee(feeInput(inst, order.quantity, ref, 'TAKER', time, 0, 0, 0))
    const group = holdGroup(order)
    const ok = account.reserve
      ? account.reserve(order.clientOrderId, order.instrumentId, order.side, order.quantity, ref, fee, group)
      : order.reduceOnly
        ? ({ ok: true } as const)
        : account.canAfford(order.instrumentId, order.side, order.quantity, ref, fee)
    if (!ok.ok) return ok.reason
  }
  return undefined
}

/** The group whose members share one buying-power hold: an OCO group, or the exits of one bracket. */
export function holdGroup(order: Readonly<Order>): string | undefined {
  if (order.groupId === undefined) return undefined
  if (order.contingency === 'OCO' || (order.contingency === 'BRACKET' && order.parentOrderId !== undefined))
    return order.groupId
  return undefined
}

/** Builds the input of a fee model. */
export function feeInput(
  instrument: Instrument,
  quantity: number,
  price: number,
  liquidity: Liquidity,
  time: EpochMs,
  orderFilledBefore: number,
  orderNotionalBefore: number,
  orderFeesBefore: number,
): FeeInput {
  return { instrument, quantity, price, liquidity, time, orderFilledBefore, orderNotionalBefore, orderFeesBefore }
}

/** The venue's own market order and fill that close one position in a liquidation, at the last price. */
export function liquidationReport(
  venue: string,
  n: number,
  fillN: number,
  p: { strategyId: string; instrumentId: string; quantity: number },
  inst: Instrument,
  price: number,
  fees: FeeModel,
  time: EpochMs,
): ExecutionReport {
  const side: OrderSide = p.quantity > 0 ? 'SELL' : 'BUY'
  const clientOrderId = `${venue}-LIQ-${n}`
  const quantity = Math.abs(p.quantity)
  const fill: Fill = {
    fillId: `${venue}-F${fillN}`,
    clientOrderId,
    strategyId: p.strategyId,
    instrumentId: p.instrumentId,
    side,
    quantity,
    price,
    fee: fees.fee(feeInput(inst, quantity, price, 'TAKER', time, 0, 0, 0)),
    feeCurrency: inst.currency,
    liquidity: 'TAKER',
    time,
  }
  const venueOrder = {
    clientOrderId,
    strategyId: p.strategyId,
    instrumentId: p.instrumentId,
    side,
    type: 'MARKET' as const,
    quantity,
    timeInForce: 'IOC' as const,
    reduceOnly: true,
    postOnly: false,
    tags: [`liquidation at ${isoUtc(time)}`],
  }
  return { kind: 'FILL', fill, venueOrder }
}
