/**
 * The node's risk guard: the configured limits engine (which holds the kill switch) behind a halt gate. While
 * the node is halted (a reconciliation difference, a stale feed, a lost venue heartbeat, or an operator), every
 * order that would open or add to a position is refused with code NODE_HALTED; orders that only reduce a
 * position, cancels and the kill switch's own flattening still pass. Halts are named, and each one must be
 * lifted (`resume`) on its own.
 */
import { sideSign } from '../../core/index.ts'
import type { Fill, OrderRequest } from '../../core/index.ts'
import {
  LimitsRiskEngine,
  type RiskContext,
  type RiskDecision,
  type RiskEngine,
  type RiskState,
} from '../../risk/index.ts'
import type { OrderEvent } from '../../strategy/index.ts'

/** A limits engine behind the node's halt gate. */
export class NodeGuard implements RiskEngine {
  readonly name: string
  private readonly halts = new Map<string, string>()

  constructor(readonly limits: LimitsRiskEngine = new LimitsRiskEngine({})) {
    this.name = `node(${limits.name})`
  }

  /** Why new risk is halted, by halt key (empty when trading). */
  get halted(): ReadonlyMap<string, string> {
    return this.halts
  }

  /** Halts new risk for `reason` under `key` (`reconcile`, `feed`, `venue`, `operator`). */
  halt(key: string, reason: string): void {
    this.halts.set(key, reason)
  }

  /** Lifts the halt `key`; true when it was set. */
  resume(key: string): boolean {
    return this.halts.delete(key)
  }

  check(order: OrderRequest, state: RiskState): RiskDecision {
    if (this.halts.size > 0 && !order.reduceOnly) {
      const net = state.netQuantity(order.instrumentId)
      const after = net + sideSign(order.side) * order.quantity
      if (Math.abs(after) > Math.abs(net) + 1e-12 || Math.sign(after) === -Math.sign(net)) {
        const why = [...this.halts].map(([k, v]) => `${k}: ${v}`).join('; ')
        return { accept: false, code: 'NODE_HALTED', reason: `node halted, new risk refused (${why})` }
      }
    }
    return this.limits.check(order, state)
  }

  checkCancel(): RiskDecision {
    return this.limits.checkCancel()
  }

  onFill(fill: Fill, state: RiskState): void {
    this.limits.onFill(fill, state)
  }

  onOrderEvent(e: OrderEvent): void {
    this.limits.onOrderEvent(e)
  }

  onMark(state: RiskState): void {
    this.limits.onMark(state)
  }

  onFinish(): void {
    this.limits.onFinish()
  }

  attach(ctx: RiskContext): void {
    this.limits.attach(ctx)
  }
}
