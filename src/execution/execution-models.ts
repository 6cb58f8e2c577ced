/**
 * Execution models: targets in, orders out (LEAN's ExecutionModel). A model sees the framework's positions and
 * its own open orders and returns order requests; the engine sends each through the risk gate like any other
 * order, so nothing an execution model does bypasses the per-order checks.
 */
import {
  roundQuantity,
  type EpochMs,
  type Fill,
  type Instrument,
  type Order,
  type OrderRequest,
  type OrderSide,
  type Target,
} from '../core/index.ts'
import type { OrderFactory } from '../strategy/index.ts'

/** What an execution model may read and do when it runs. */
export interface ExecutionModelContext {
  readonly time: EpochMs
  /** Builds the requests (ids issued to the framework). */
  readonly orders: OrderFactory
  instrument(instrumentId: string): Instrument
  price(instrumentId: string): number
  /** The framework's current position, signed. */
  quantity(instrumentId: string): number
  /** The framework's open orders on an instrument. */
  openOrders(instrumentId: string): readonly Readonly<Order>[]
  /** Requests cancellation of one of the framework's open orders. */
  cancel(clientOrderId: string): void
  /** Notional the account can still add now (buying power × leverage), in its currency. */
  buyingPower(): number
  /** Account equity, in its currency. */
  readonly equity: number
  /** Asks the framework to run the models again at the next time (a target not reached yet). */
  defer(): void
  /** Volume of the last closed bar of the instrument's finest feed (NaN before the first). */
  volume(instrumentId: string): number
  /** Closes of the instrument's finest feed up to now, oldest first (at most `n`). */
  closes(instrumentId: string, n: number): Float64Array
  /** Length of one bar of the instrument's finest feed, ms: a child sent now fills within the next one. */
  barMs(instrumentId: string): number
}

/** Turns targets into orders. A user's model implements the same interface. */
export interface ExecutionModel {
  readonly name: string
  execute(targets: readonly Target[], ctx: ExecutionModelContext): OrderRequest[]
  /** True while the model has work in progress: it is then called at every time step with the last targets. */
  working?(): boolean
  /** A fill of one of the framework's orders. */
  onFill?(fill: Fill): void
  /** The parent orders a scheduled model worked, in start order (for transaction-cost analysis). */
  readonly parents?: readonly ParentOrder[]
}

/** The schedulers a scheduled execution model works a parent with. */
export type ScheduledAlgo = 'twap' | 'pov' | 'vwap' | 'iceberg' | 'adaptive' | 'almgren-chriss'

/** A parent order of a scheduled execution model, as recorded. */
export interface ParentOrder {
  readonly id: string
  readonly instrumentId: string
  readonly side: OrderSide
  readonly quantity: number
  readonly algo: ScheduledAlgo
  /** When the parent started (the decision time) and the last price then (the arrival price). */
  readonly start: EpochMs
  readonly arrivalPrice: number
  /** When it finished or was replaced (undefined while working at the end of the run). */
  end: EpochMs | undefined
  status: 'working' | 'done' | 'replaced'
  filled: number
  readonly children: string[]
}

/** Signed quantity still to fill of the open orders (buys positive). */
export function pendingQuantity(orders: readonly Readonly<Order>[]): number {
  let q = 0
  for (const o of orders) q += (o.side === 'BUY' ? 1 : -1) * (o.quantity - o.filledQuantity)
  return q
}

/** Options of {@link immediateExecution}. */
export interface ImmediateExecutionOptions {
  /**
   * Skip a change smaller than this fraction of equity unless it closes the position (default 0.001, 0.1 %):
   * rebalancing a drifting weight by a share or two costs fees and does nothing.
   */
  readonly minTradeFraction?: number
  /** Part of the buying power kept back for the orders' fees (default 0.002: taker fees up to 20 bps). */
  readonly buyingPowerBuffer?: number
}

/**
 * Sends the difference between target and position (less what open orders already carry) as one market order
 * per instrument. Open orders that work against the target are canceled first; orders that reduce a position
 * go before orders that add to one, and an addition is cut to the buying power left (the rest is asked for
 * again at the next time, once the reductions have filled).
 */
export function immediateExecution(opts: ImmediateExecutionOptions = {}): ExecutionModel {
  const minFrac = opts.minTradeFraction ?? 0.001
  const buffer = opts.buyingPowerBuffer ?? 0.002
  return {
    name: 'immediate',
    execute(targets, ctx) {
      const reduce: OrderRequest[] = []
      const add: { id: string; delta: number; cur: number }[] = []
      for (const t of targets) {
        const inst = ctx.instrument(t.instrumentId)
        const cur = ctx.quantity(t.instrumentId)
        let open = ctx.openOrders(t.instrumentId)
        const want = t.quantity - cur
        const against = open.filter((o) => (o.side === 'BUY' ? 1 : -1) * want <= 0)
        for (const o of against) ctx.cancel(o.clientOrderId)
        if (against.length > 0) open = open.filter((o) => !against.includes(o))
        const pending = pendingQuantity(open)
        // Open orders that would carry the position past its target are withdrawn whole, and the rest is sent
        // once they are gone: never an opposite order against one's own open order.
        if (pending !== 0 && Math.sign(pending) === Math.sign(want) && Math.abs(pending) > Math.abs(want)) {
          for (const o of open) ctx.cancel(o.clientOrderId)
          ctx.defer()
          continue
        }
        const delta = roundQuantity(inst, want - pending)
        if (delta === 0) continue
        const price = ctx.price(t.instrumentId)
        const small = Math.abs(delta) * price * inst.multiplier < minFrac * ctx.equity
        if (small && t.quantity !== 0) continue
        const reduces = cur !== 0 && Math.sign(delta) !== Math.sign(cur)
        if (!reduces) {
          add.push({ id: t.instrumentId, delta, cur })
          continue
        }
        // Down to flat at most: marked reduce-only so a venue never opens the other way with it.
        const cut = Math.sign(delta) * Math.min(Math.abs(delta), Math.abs(cur))
        reduce.push(
          ctx.orders.market(t.instrumentId, cut > 0 ? 'BUY' : 'SELL', Math.abs(cut), {
            reduceOnly: true,
            tags: ['framework'],
          }),
        )
        // A flip's opening part waits for the close to fill.
        if (Math.abs(delta) > Math.abs(cur)) ctx.defer()
      }
      let room = ctx.buyingPower() * (1 - buffer)
      const out = reduce
      for (const a of add) {
        const inst = ctx.instrument(a.id)
        const unit = ctx.price(a.id) * inst.multiplier
        const fit = unit > 0 ? roundQuantity(inst, Math.min(Math.abs(a.delta), Math.max(0, room) / unit)) : 0
        if (fit < Math.abs(a.delta)) ctx.defer()
        if (fit <= 0) continue
        room -= fit * unit
        out.push(ctx.orders.market(a.id, a.delta > 0 ? 'BUY' : 'SELL', fit, { tags: ['framework'] }))
      }
      return out
    },
  }
}
