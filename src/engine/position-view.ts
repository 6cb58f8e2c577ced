/**
 * The frozen snapshot of a position that strategies and the bus see: the portfolio's own object stays private
 * (it keeps changing). Fields are listed, not spread: a spread copy gets a map of its own that freezing cannot
 * reuse, which makes each frozen spread copy about twenty times dearer than this one.
 */
import type { Position } from '../core/index.ts'

/** A frozen copy of `p`, one shape for every snapshot. */
export function positionView(p: Readonly<Position>): Readonly<Position> {
  return Object.freeze({
    instrumentId: p.instrumentId,
    strategyId: p.strategyId,
    quantity: p.quantity,
    avgPrice: p.avgPrice,
    realizedPnl: p.realizedPnl,
    unrealizedPnl: p.unrealizedPnl,
    lastPrice: p.lastPrice,
    openedAt: p.openedAt,
    updatedAt: p.updatedAt,
  })
}
