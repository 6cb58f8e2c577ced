/**
 * Scheduled execution models: a change of target becomes a parent order worked over time in child orders:
 * TWAP (equal parts over `slices` time steps), POV (a participation `rate` of each bar's volume, never more than
 * `cap` of the volume it is sized on; see `algos/pov.ts`), VWAP (a learned intraday volume profile), iceberg
 * (one limit slice shown at a time), adaptive (TWAP sped up or slowed by the move since arrival) and
 * Almgren-Chriss (the optimal trajectory for a risk aversion); `scheduled-plans.ts` states each rule. Children
 * are market orders except the iceberg's limit slices. A parent is replaced when the target moves
 * away from where it would leave the position; its open children are then canceled. Every parent is recorded
 * (arrival price, interval, children) so transaction-cost analysis can be computed after the run.
 *
 * POV sizes a child on the volume of the bar just closed (the next bar's volume is not known yet). With the
 * simulated exchange's `participation` cap set to the same `cap`, no fill ever takes more than that share of
 * the bar it fills in.
 */
import { KestrelError, roundQuantity, type EpochMs, type Fill, type Target } from '../core/index.ts'
import {
  pendingQuantity,
  type ExecutionModel,
  type ExecutionModelContext,
  type ParentOrder,
} from './execution-models.ts'
import { childPlan, type ChildPlan, type PlanOptions } from './scheduled-plans.ts'

/** Options of {@link scheduledExecution}: the scheduler (see `scheduled-plans.ts`) and the sizing rules. */
export type ScheduledExecutionOptions = PlanOptions & {
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
  readonly plan: ChildPlan
}

/** A scheduled execution model (see the file header). */
export function scheduledExecution(opts: ScheduledExecutionOptions): ScheduledExecutionModel {
  validate(opts)
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
      w.plan.onFill(fill.quantity)
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
          w = { p, endPosition: cur + delta, steps: 0, plan: childPlan(opts, p, inst, ctx) }
          active.set(id, w)
        }
        w.steps++
        const open = ctx.openOrders(id).filter((o) => byChild.get(o.clientOrderId) === w)
        const inFlight = Math.abs(pendingQuantity(open))
        const next = w.plan.next({
          time: ctx.time,
          steps: w.steps,
          price: ctx.price(id),
          volume: ctx.volume(id),
          barMs: ctx.barMs(id),
          filled: w.p.filled,
          inFlight,
        })
        let child = roundQuantity(inst, Math.min(next.quantity, w.p.quantity - w.p.filled - inFlight))
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
        const how = { ...(reduces ? { reduceOnly: true } : {}), tags: ['framework', opts.algo, w.p.id] }
        const req =
          next.limitPrice === undefined
            ? ctx.orders.market(id, w.p.side, child, how)
            : ctx.orders.limit(id, w.p.side, child, next.limitPrice, how)
        byChild.set(req.clientOrderId, w)
        w.p.children.push(req.clientOrderId)
        out.push(req)
      }
      return out
    },
  }
}

const integerSlices = (algo: string, n: number) => {
  if (!(Number.isInteger(n) && n >= 1))
    throw new KestrelError('PARAM_INVALID', `${algo} execution: slices must be an integer >= 1, got ${n}`)
}

/** PARAM_INVALID naming the model and the option for a value out of its domain. */
function validate(o: ScheduledExecutionOptions): void {
  const bad = (what: string) => new KestrelError('PARAM_INVALID', `${o.algo} execution: ${what}`)
  switch (o.algo) {
    case 'twap':
      return integerSlices(o.algo, o.slices)
    case 'pov':
      if (!(o.rate > 0 && o.rate <= 1)) throw bad(`rate must be in (0, 1], got ${o.rate}`)
      if (o.cap !== undefined && !(o.cap >= o.rate && o.cap <= 1))
        throw bad(`cap ${o.cap} must be in [rate ${o.rate}, 1]`)
      return
    case 'vwap': {
      const sh = o.profile.shares
      if (sh.length === 0 || sh.some((x) => !(x >= 0)) || !(sh.reduce((a, b) => a + b, 0) > 0))
        throw bad('the volume profile needs shares >= 0 with a positive sum')
      return
    }
    case 'iceberg':
      if (!(o.display > 0)) throw bad(`display must be > 0, got ${o.display}`)
      return
    case 'adaptive':
      integerSlices(o.algo, o.slices)
      if (o.sigma !== undefined && !(o.sigma > 0)) throw bad(`sigma must be > 0, got ${o.sigma}`)
      return
    case 'almgren-chriss':
      integerSlices(o.algo, o.slices)
      if (!(o.eta > 0)) throw bad(`eta must be > 0, got ${o.eta}`)
      if (!(o.lambda >= 0)) throw bad(`lambda must be >= 0, got ${o.lambda}`)
      if (o.gamma !== undefined && !(o.gamma >= 0 && o.eta - o.gamma / 2 > 0))
        throw bad(`gamma ${o.gamma} must be >= 0 and below 2·eta (${2 * o.eta})`)
      if (o.sigma !== undefined && !(o.sigma >= 0)) throw bad(`sigma must be >= 0, got ${o.sigma}`)
      return
  }
}
