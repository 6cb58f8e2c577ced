/**
 * Scheduled execution models: a change of target becomes a parent order worked over time in child market
 * orders, TWAP (equal parts over `slices` time steps) or POV (a participation `rate` of each bar's volume, never
 * more than `cap` of the volume it is sized on; see `algos/pov.ts`). A parent is replaced when the target moves
 * away from where it would leave the position; its open children are then canceled. Every parent is recorded
 * (arrival price, interval, children) so transaction-cost analysis can be computed after the run.
 *
 * POV sizes a child on the volume of the bar just closed (the next bar's volume is not known yet). With the
 * simulated exchange's `participation` cap set to the same `cap`, no fill ever takes more than that share of
 * the bar it fills in.
 */
import { KestrelError, roundQuantity, type EpochMs, type Fill, type Target } from '../core/index.ts'
import { PovScheduler } from './algos/pov.ts'
import {
  pendingQuantity,
  type ExecutionModel,
  type ExecutionModelContext,
  type ParentOrder,
} from './execution-models.ts'

/** Options of {@link scheduledExecution}. */
export type ScheduledExecutionOptions =
  | {
      readonly algo: 'twap'
      /** Time steps (bars of the finest feed) the parent is spread over. */
      readonly slices: number
      readonly minTradeFraction?: number
      readonly buyingPowerBuffer?: number
    }
  | {
      readonly algo: 'pov'
      /** Target participation in (0, 1]. */
      readonly rate: number
      /** Most of a bar's volume one child may be (default: rate). */
      readonly cap?: number
      readonly minTradeFraction?: number
      readonly buyingPowerBuffer?: number
    }

/** A scheduled model: an {@link ExecutionModel} that works at every time step while a parent is open. */
export interface ScheduledExecutionModel extends ExecutionModel {
  readonly parents: readonly ParentOrder[]
}

interface Working {
  readonly p: ParentOrder
  readonly endPosition: number
  steps: number
  readonly pov?: PovScheduler
}

/** A TWAP or POV execution model (see the file header). */
export function scheduledExecution(opts: ScheduledExecutionOptions): ScheduledExecutionModel {
  if (opts.algo === 'twap' && !(Number.isInteger(opts.slices) && opts.slices >= 1))
    throw new KestrelError('PARAM_INVALID', `twap execution: slices must be an integer >= 1, got ${opts.slices}`)
  if (opts.algo === 'pov' && !(opts.rate > 0 && opts.rate <= 1))
    throw new KestrelError('PARAM_INVALID', `pov execution: rate must be in (0, 1], got ${opts.rate}`)
  if (opts.algo === 'pov' && opts.cap !== undefined && !(opts.cap >= opts.rate && opts.cap <= 1))
    throw new KestrelError('PARAM_INVALID', `pov execution: cap ${opts.cap} must be in [rate ${opts.rate}, 1]`)
  const minFrac = opts.minTradeFraction ?? 0.001
  const buffer = opts.buyingPowerBuffer ?? 0.002
  const parents: ParentOrder[] = []
  const active = new Map<string, Working>()
  const byChild = new Map<string, Working>()
  let seq = 0

  const finish = (w: Working, status: 'done' | 'replaced', time: EpochMs, ctx: ExecutionModelContext) => {
    w.p.status = status
    w.p.end = time
    active.delete(w.p.instrumentId)
    if (status === 'replaced')
      for (const o of ctx.openOrders(w.p.instrumentId))
        if (byChild.get(o.clientOrderId) === w) ctx.cancel(o.clientOrderId)
  }

  return {
    name: opts.algo,
    parents,
    working: () => active.size > 0,
    onFill(fill: Fill) {
      const w = byChild.get(fill.clientOrderId)
      if (!w) return
      w.p.filled += fill.quantity
      w.pov?.onFill(fill.quantity)
    },
    execute(targets: readonly Target[], ctx: ExecutionModelContext) {
      const out = []
      let room = ctx.buyingPower() * (1 - buffer)
      const wanted = new Map(targets.map((t) => [t.instrumentId, t.quantity]))
      // Parents whose instrument has no target any more keep their last one.
      for (const [id, w] of active) if (!wanted.has(id)) wanted.set(id, w.endPosition)
      for (const [id, target] of wanted) {
        const inst = ctx.instrument(id)
        const cur = ctx.quantity(id)
        let w = active.get(id)
        if (w && Math.abs(target - w.endPosition) >= inst.lotSize) {
          finish(w, 'replaced', ctx.time, ctx)
          w = undefined
          // The canceled children are gone at the next step: the new parent starts then.
          ctx.defer()
          continue
        }
        if (w && w.p.filled >= w.p.quantity - 1e-9) {
          finish(w, 'done', ctx.time, ctx)
          w = undefined
        }
        if (!w) {
          const delta = roundQuantity(inst, target - cur - pendingQuantity(ctx.openOrders(id)))
          if (delta === 0) continue
          const price = ctx.price(id)
          if (Math.abs(delta) * price * inst.multiplier < minFrac * ctx.equity && target !== 0) continue
          const p: ParentOrder = {
            id: `${opts.algo.toUpperCase()}-${++seq}`,
            instrumentId: id,
            side: delta > 0 ? 'BUY' : 'SELL',
            quantity: Math.abs(delta),
            algo: opts.algo,
            start: ctx.time,
            arrivalPrice: price,
            end: undefined,
            status: 'working',
            filled: 0,
            children: [],
          }
          parents.push(p)
          w = {
            p,
            endPosition: cur + delta,
            steps: 0,
            ...(opts.algo === 'pov'
              ? { pov: new PovScheduler({ quantity: p.quantity, rate: opts.rate, cap: opts.cap, lot: inst.lotSize }) }
              : {}),
          }
          active.set(id, w)
        }
        w.steps++
        const open = ctx.openOrders(id).filter((o) => byChild.get(o.clientOrderId) === w)
        const inFlight = Math.abs(pendingQuantity(open))
        let child: number
        if (opts.algo === 'twap') {
          const share = Math.min(1, w.steps / opts.slices)
          const due = w.steps >= opts.slices ? w.p.quantity : roundQuantity(inst, w.p.quantity * share)
          child = due - w.p.filled - inFlight
        } else {
          child = w.pov!.next(ctx.volume(id)) - inFlight
        }
        child = roundQuantity(inst, Math.min(child, w.p.quantity - w.p.filled - inFlight))
        if (!(child > 0)) continue
        const reduces = cur !== 0 && (w.p.side === 'BUY' ? cur < 0 : cur > 0)
        if (reduces) child = Math.min(child, Math.abs(cur))
        else {
          // An addition is cut to the buying power left this step; the rest comes in later steps.
          const unit = ctx.price(id) * inst.multiplier
          child = unit > 0 ? roundQuantity(inst, Math.min(child, Math.max(0, room) / unit)) : 0
          room -= child * unit
        }
        if (!(child > 0)) continue
        const req = ctx.orders.market(id, w.p.side, child, {
          ...(reduces ? { reduceOnly: true } : {}),
          tags: ['framework', opts.algo, w.p.id],
        })
        byChild.set(req.clientOrderId, w)
        w.p.children.push(req.clientOrderId)
        out.push(req)
      }
      return out
    },
  }
}
