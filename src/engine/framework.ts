/**
 * The framework stage of the kernel: signals → portfolio construction → risk on targets → execution model →
 * orders (LEAN's algorithm framework). Strategies emit signals with `ctx.emit`; the kernel keeps the latest
 * signal of each (source, instrument) while it is active and, once every event of a time has been delivered
 * (when time next moves), runs the three models and sends the orders through the same risk gate as every
 * other order. The orders are decided with what was known at that time and go out at that time, so they fill
 * no earlier than a strategy's own order sent from its `onBar` at the same time would (no look-ahead).
 *
 * The framework trades under its own strategy id ({@link FRAMEWORK_STRATEGY_ID}) and owner token (`P`), so its
 * positions, orders and trades are attributed to it; an instrument it holds without an active signal gets a
 * target of zero (an expired signal closes its position).
 */
import { KestrelError, signalActive } from '../core/index.ts'
import type { EpochMs, Fill, Instrument, Signal, Target } from '../core/index.ts'
import {
  immediateExecution,
  PORTFOLIO_OWNER,
  type ExecutionEngine,
  type ExecutionModel,
  type ExecutionModelContext,
  type OrderManager,
  type ParentOrder,
} from '../execution/index.ts'
import type { ConstructionState, Portfolio, PortfolioConstructionModel } from '../portfolio/index.ts'
import type { TargetRiskModel, TargetRiskState } from '../risk/index.ts'
import { OrderFactory } from '../strategy/index.ts'

/** Strategy id of the framework's positions and orders (no strategy may take it). */
export const FRAMEWORK_STRATEGY_ID = 'portfolio'

/** The models of a run's framework. */
export interface FrameworkSpec {
  readonly construction: PortfolioConstructionModel
  /** Risk on targets (default: none; the per-order checks still apply). */
  readonly risk?: TargetRiskModel
  /** Default: {@link immediateExecution}. */
  readonly execution?: ExecutionModel
  /** `signals` (default): rebalance when the active signals change; `bar`: at every time step as well. */
  readonly rebalance?: 'signals' | 'bar'
}

/** One target as recorded: the time it was set and what each stage made of it. */
export interface TargetRecord extends Target {
  readonly time: EpochMs
  /** The construction model's quantity before risk on targets. */
  readonly proposed: number
}

/** What the framework needs of its kernel. */
export interface FrameworkHost {
  readonly portfolio: Portfolio
  readonly execution: ExecutionEngine
  readonly orders: OrderManager
  now(): EpochMs
  instrument(id: string): Instrument
  /** Closes of the finest bar feed of an instrument, oldest first (at most `n`). */
  closes(instrumentId: string, n: number): Float64Array
  /** Volume of the last closed bar of the finest feed (NaN before the first). */
  lastVolume(instrumentId: string): number
  /** Bar length of the finest feed of an instrument, ms. */
  barMs(instrumentId: string): number
  /**
   * Whether an instrument may be held at `time` (a backtest's universe); construction sees only the signals
   * of members, so a position in one that left gets a target of 0. Absent: every instrument may.
   */
  isMember?(instrumentId: string, time: EpochMs): boolean
  publishSignal(signal: Signal): void
}

/** Runs the framework for one kernel. */
export class FrameworkRunner {
  private readonly active = new Map<string, Signal>()
  private dirty = false
  private readonly execution: ExecutionModel
  private readonly factory: OrderFactory
  private peak = -Infinity
  private readonly opened = new Map<string, EpochMs>()
  private readonly closed = new Map<string, EpochMs>()
  /** Active signal keys left out at the last rebalance because their instrument was not a member. */
  private outside = ''
  /** Every target set, in time order (kept when the run records orders). */
  readonly targets: TargetRecord[] = []

  constructor(
    private readonly spec: FrameworkSpec,
    private readonly host: FrameworkHost,
    private readonly record: boolean,
  ) {
    if (!spec || typeof spec.construction?.createTargets !== 'function')
      throw new KestrelError('CONFIG_INVALID', 'framework: a portfolio construction model is required')
    this.execution = spec.execution ?? immediateExecution()
    const ids = host.execution.ids
    this.factory = new OrderFactory(FRAMEWORK_STRATEGY_ID, {
      order: ids.source(PORTFOLIO_OWNER),
      group: ids.groupSource(PORTFOLIO_OWNER),
    })
  }

  /** The parent orders of a scheduled execution model (copies, in start order). */
  get parents(): readonly ParentOrder[] {
    return (this.execution.parents ?? []).map((p) => Object.freeze({ ...p, children: [...p.children] }))
  }

  /** Takes a checked, frozen signal: it replaces its source's last signal on that instrument. */
  emit(signal: Signal): void {
    this.host.instrument(signal.instrumentId)
    this.active.set(`${signal.source}\u0000${signal.instrumentId}`, signal)
    this.dirty = true
    this.host.publishSignal(signal)
  }

  /** Position changes of the framework's own orders (for hold times and cooldowns). */
  onFill(fill: Fill, quantityAfter: number): void {
    this.execution.onFill?.(fill)
    const before = quantityAfter - (fill.side === 'BUY' ? fill.quantity : -fill.quantity)
    if (before === 0 && quantityAfter !== 0) this.opened.set(fill.instrumentId, fill.time)
    if (quantityAfter === 0 && before !== 0) {
      this.opened.delete(fill.instrumentId)
      this.closed.set(fill.instrumentId, fill.time)
    }
  }

  /** The framework's position in an instrument was closed outside its orders (a delisting). */
  onClosed(instrumentId: string, time: EpochMs): void {
    if (this.opened.delete(instrumentId)) this.closed.set(instrumentId, time)
  }

  /** Runs construction, risk and execution for the time that just ended, when something changed. */
  rebalance(time: EpochMs): void {
    const p = this.host.portfolio
    const equity = p.equity()
    if (equity > this.peak) this.peak = equity
    for (const [k, s] of this.active)
      if (!signalActive(s, time)) {
        this.active.delete(k)
        this.dirty = true
      }
    let signals = [...this.active.values()]
    const member = this.host.isMember
    if (member !== undefined) {
      // Membership at the instant before `time` (the bar that just closed), as the order check reads it.
      const kept = signals.filter((sig) => member.call(this.host, sig.instrumentId, time - 1))
      const outside = signals
        .filter((sig) => !kept.includes(sig))
        .map((sig) => `${sig.source}\u0000${sig.instrumentId}`)
        .join('\u0001')
      if (outside !== this.outside) this.dirty = true
      this.outside = outside
      signals = kept
    }
    const working = this.execution.working?.() === true
    if (!this.dirty && this.spec.rebalance !== 'bar') {
      // No new targets: a scheduled execution model still works its parents with the last ones.
      if (working) this.execute(this.last, time, equity)
      return
    }
    this.dirty = false
    const quantity = (id: string) => p.tracker(FRAMEWORK_STRATEGY_ID, id).position.quantity
    const price = (id: string) => p.bookOf(id).lastPrice
    const instrument = (id: string) => this.host.instrument(id)
    const state: ConstructionState & TargetRiskState = {
      time,
      equity,
      peakEquity: this.peak,
      instrument,
      price,
      quantity,
      returns: (id, n) => {
        const c = this.host.closes(id, n + 1)
        const r = new Float64Array(Math.max(0, c.length - 1))
        for (let i = 1; i < c.length; i++) r[i - 1] = c[i]! / c[i - 1]! - 1
        return r
      },
      openedAt: (id) => this.opened.get(id),
      closedAt: (id) => this.closed.get(id),
    }
    const proposed = this.spec.construction.createTargets(signals, state)
    const seen = new Set(proposed.map((t) => t.instrumentId))
    const all: Target[] = [...proposed]
    for (const pos of p.positions())
      if (pos.strategyId === FRAMEWORK_STRATEGY_ID && pos.quantity !== 0 && !seen.has(pos.instrumentId))
        all.push(Object.freeze({ instrumentId: pos.instrumentId, quantity: 0, reason: 'no active signal' }))
    for (const t of all) {
      if (!Number.isFinite(t.quantity))
        throw new KestrelError(
          'STATE_INVALID',
          `framework: ${this.spec.construction.name} gave ${t.instrumentId} a target of ${t.quantity}`,
        )
    }
    const final = this.spec.risk ? this.spec.risk.manageTargets(all, state) : all
    // A target held back for now (a minimum hold, a cooldown) is asked for again at the next time.
    if (final.some((t) => t.deferred === true)) this.dirty = true
    if (this.record) {
      const before = new Map(all.map((t) => [t.instrumentId, t.quantity]))
      for (const t of final)
        this.targets.push(Object.freeze({ ...t, time, proposed: before.get(t.instrumentId) ?? t.quantity }))
    }
    this.last = final
    this.execute(final, time, equity)
  }

  /** The targets of the last rebalance (a scheduled execution model keeps working toward them). */
  private last: readonly Target[] = []

  private execute(targets: readonly Target[], time: EpochMs, equity: number): void {
    const p = this.host.portfolio
    const x = this.host.execution
    const ctx: ExecutionModelContext = {
      time,
      orders: this.factory,
      instrument: (id) => this.host.instrument(id),
      price: (id) => p.bookOf(id).lastPrice,
      quantity: (id) => p.tracker(FRAMEWORK_STRATEGY_ID, id).position.quantity,
      openOrders: (id) => x.openOrders(FRAMEWORK_STRATEGY_ID, id),
      cancel: (id) => this.host.orders.cancel(id),
      buyingPower: () => p.buyingPower() * p.leverage,
      equity,
      defer: () => {
        this.dirty = true
      },
      volume: (id) => this.host.lastVolume(id),
      closes: (id, n) => this.host.closes(id, n),
      barMs: (id) => this.host.barMs(id),
    }
    for (const req of this.execution.execute(targets, ctx)) {
      if (req.strategyId !== FRAMEWORK_STRATEGY_ID)
        throw new KestrelError('ORDER_INVALID', `framework: ${this.execution.name} built an order of ${req.strategyId}`)
      this.host.orders.submit(req, PORTFOLIO_OWNER)
    }
  }
}
