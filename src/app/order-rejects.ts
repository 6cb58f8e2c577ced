/**
 * Orders a backtest's venue refused for a reason the strategy's own code can fix (a price off the tick, a
 * quantity off the lot, a reduce-only exit sent before its entry filled). A run with any of them is not the
 * run the author meant: the command line exits 5 unless told `--allow-rejects`. Refusals of the account
 * (buying power) and of the risk engine are not counted: they are the market and the limits at work.
 */
import { isoUtc, KestrelError, type Order } from '../core/index.ts'
import { FIXABLE, fixableRejectKind, type FixableRejectKind } from '../execution/index.ts'

/** One order refused for a reason its strategy can fix. */
export interface FixableReject {
  readonly orderId: string
  readonly strategyId: string
  readonly instrumentId: string
  /** ISO-8601 time of the refusal. */
  readonly time: string
  readonly kind: FixableRejectKind
  /** The venue's reason; it ends with the fix. */
  readonly reason: string
  readonly fix: string
}

/** The orders among `orders` refused for a reason their strategy can fix, in order of refusal. */
export function fixableRejects(orders: readonly Readonly<Order>[]): FixableReject[] {
  const out: FixableReject[] = []
  for (const o of orders) {
    if (o.status !== 'REJECTED') continue
    const kind = fixableRejectKind(o.rejectReason)
    if (kind === undefined) continue
    out.push({
      orderId: o.clientOrderId,
      strategyId: o.strategyId,
      instrumentId: o.instrumentId,
      time: isoUtc(o.updatedAt),
      kind,
      reason: o.rejectReason!,
      fix: FIXABLE[kind].fix,
    })
  }
  return out
}

/**
 * The ORDERS_REJECTED error of a run with fixable refusals (exit 5): how many, by kind, and the first with its
 * fix, e.g. `2 orders rejected for a reason the strategy can fix (tick 2); first: N1-S1-3 at 2024-01-04T00:00:00Z:
 * price 10.005 is not on the tick 0.01: round it with roundPrice(instrument, price)`.
 */
export function fixableRejectsError(rejects: readonly FixableReject[], allowFlag = '--allow-rejects'): KestrelError {
  const byKind = new Map<string, number>()
  for (const r of rejects) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1)
  const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ')
  const first = rejects[0]!
  const noun = rejects.length === 1 ? 'order' : 'orders'
  return new KestrelError(
    'ORDERS_REJECTED',
    `${rejects.length} ${noun} rejected for a reason the strategy can fix (${kinds}); first: ${first.orderId} ` +
      `at ${first.time}: ${first.reason} (${allowFlag} runs on regardless)`,
    { count: rejects.length, byKind: Object.fromEntries(byKind), first },
  )
}
