/**
 * The risk engine with limits: pre-trade checks on every order, real-time controls after every mark, and a
 * kill switch that cancels every open order, flattens every position and refuses new orders until a person
 * re-arms it. Every verdict and breach is a bus event (`risk.check.accepted`, `risk.check.rejected`,
 * `risk.breach.<rule>`, `risk.kill`, `risk.rearm`, `risk.reload`), a counter, and a log line (repeated
 * rejections aggregated per reason, see {@link RejectionLog}). Every payload is frozen and published after risk
 * acted on it, so no subscriber can change or stop what risk does. Order events come from execution directly
 * ({@link LimitsRiskEngine.onOrderEvent}), never from the bus.
 */
import { KestrelError } from '../core/index.ts'
import type { EventBus, Fill, OrderRequest, OrderSide } from '../core/index.ts'
import type { OrderEvent } from '../strategy/index.ts'
import { ExposureBook, type ExposureSlot } from './checks/exposure-book.ts'
import { PeakUsage } from './checks/peak-usage.ts'
import { PreTradeChecks, type Refusal } from './checks/pre-trade.ts'
import { RealTimeControls } from './controls/real-time-controls.ts'
import { ACTION_RANK, type Breach } from './controls/rule-state.ts'
import {
  parseRiskConfig,
  type LimitsRiskEngineOptions,
  type Rearm,
  type RiskConfig,
  type RiskRejection,
  type RiskStatus,
} from './limits-types.ts'
import { RejectionLog } from './rejection-log.ts'
import { planPatch, planReload, type ReloadPlan } from './reload.ts'
import { ACCEPT, type RiskContext, type RiskDecision, type RiskEngine, type RiskState } from './types.ts'

/** Pre-trade limits, real-time controls and the kill switch behind the {@link RiskEngine} seam. */
export class LimitsRiskEngine implements RiskEngine {
  readonly name = 'limits'
  private cfg: RiskConfig
  private checks: PreTradeChecks
  private readonly book: ExposureBook
  private controls: RealTimeControls
  private ctx: RiskContext | undefined
  private bus: EventBus | undefined
  private killed = false
  private time = 0
  private ownSeq = 0
  private readonly own = new Map<
    string,
    { instrumentId: string; side: OrderSide; quantity: number; strategyId: string }
  >()
  private readonly counters: Record<string, number> = Object.create(null) as Record<string, number>
  private readonly breachLog: Breach[] = []
  private readonly rearmLog: Rearm[] = []
  private readonly publishAccepted: boolean
  private readonly logFn: LimitsRiskEngineOptions['log']
  private lastEquity = NaN
  private blockers: Breach[] = []
  /** Risk's own flatten/reduce orders still open. */
  private readonly ownOpen = new Set<string>()
  private readonly peak = new PeakUsage()
  private readonly rejections: RejectionLog

  constructor(config: unknown, opts: LimitsRiskEngineOptions = {}) {
    this.cfg = parseRiskConfig(config)
    this.checks = new PreTradeChecks(this.cfg.checks)
    this.book = new ExposureBook(opts.instruments ?? [])
    this.controls = new RealTimeControls(this.cfg.controls, this.book)
    this.bus = opts.bus
    this.publishAccepted = opts.publishAccepted ?? true
    this.logFn = opts.log
    this.rejections = new RejectionLog((m, f) => this.log('warn', m, f), opts.rejectionLogWindowMs)
  }

  /** The limits in force. */
  get config(): RiskConfig {
    return this.cfg
  }

  /** True while the kill switch blocks new orders. */
  get isKilled(): boolean {
    return this.killed
  }

  attach(ctx: RiskContext): void {
    if (this.ctx) throw new KestrelError('STATE_INVALID', 'risk: engine is already attached to a kernel')
    this.ctx = ctx
    // Publish on the kernel's bus; order events come from the kernel directly (onOrderEvent).
    this.bus = ctx.bus
    const before = this.book.slots.length
    for (const i of ctx.instruments) this.book.add(i)
    if (this.book.slots.length !== before) this.controls = new RealTimeControls(this.cfg.controls, this.book)
  }

  /** Order events from execution: terminal orders release their open quantity; acks measure latency. */
  onOrderEvent(
    e: Pick<OrderEvent, 'kind' | 'time'> & { readonly order: Pick<OrderEvent['order'], 'clientOrderId' | 'createdAt'> },
  ): void {
    const k = e.kind
    if (k === 'CANCELED' || k === 'EXPIRED' || k === 'REJECTED' || k === 'FILLED') {
      this.book.closed(e.order.clientOrderId)
      if (this.ownOpen.size > 0) this.ownOpen.delete(e.order.clientOrderId)
    } else if (k === 'ACCEPTED') this.controls.noteLatency(e.time - e.order.createdAt)
  }

  /** Writes what the rejection log still holds (the kernel calls it when the run ends). */
  onFinish(): void {
    this.rejections.flush(this.time)
  }

  private count(key: string): void {
    this.counters[key] = (this.counters[key] ?? 0) + 1
  }

  private log(level: 'info' | 'warn' | 'debug', message: string, fields: Record<string, unknown>): void {
    if (this.logFn) this.logFn(level, message, fields)
    else if (level !== 'debug') this.ctx?.log?.(message, { level, ...fields })
  }

  private refuse(req: OrderRequest, r: Refusal): RiskDecision {
    this.count('risk.check.rejected')
    this.count(`risk.check.rejected.${r.code}`)
    const ev: RiskRejection = Object.freeze({
      time: this.time,
      clientOrderId: req.clientOrderId,
      strategyId: req.strategyId,
      instrumentId: req.instrumentId,
      code: r.code,
      reason: r.reason,
    })
    this.rejections.note(ev)
    this.bus?.publish(`risk.check.rejected`, ev)
    return { accept: false, code: r.code, reason: `${r.code}: ${r.reason}` }
  }

  private sync(s: ExposureSlot, state: RiskState): void {
    this.book.sync(s, state.lastPrice(s.instrument.id), state.netQuantity(s.instrument.id))
  }

  /** Is the order one risk itself sent (flatten / reduce), unchanged? */
  private isOwn(req: OrderRequest): boolean {
    const o = this.own.get(req.clientOrderId)
    return (
      o !== undefined &&
      o.instrumentId === req.instrumentId &&
      o.side === req.side &&
      o.quantity === req.quantity &&
      o.strategyId === req.strategyId &&
      req.type === 'MARKET' &&
      req.reduceOnly === true
    )
  }

  check(req: OrderRequest, state: RiskState): RiskDecision {
    this.time = state.now?.() ?? state.time
    if (this.isOwn(req)) {
      this.own.delete(req.clientOrderId)
      this.ownOpen.add(req.clientOrderId)
      this.count('risk.check.accepted.own')
      const s = this.book.get(req.instrumentId)
      if (s) this.book.openOrder(req.clientOrderId, s, req.side, req.quantity)
      return ACCEPT
    }
    // The kill switch holds even when the limits are disabled: only a person's rearm() lifts it.
    if (this.killed)
      return this.refuse(req, {
        code: 'KILL_SWITCH',
        reason: `order ${req.clientOrderId}: the kill switch is on until a person re-arms it (${this.activeWorst()?.message ?? 'manual kill'})`,
      })
    if (!this.cfg.enabled) return ACCEPT
    const s = this.book.get(req.instrumentId)
    if (!s)
      return this.refuse(req, {
        code: 'UNKNOWN_INSTRUMENT',
        reason: `order ${req.clientOrderId}: ${req.instrumentId} is not known to risk`,
      })
    this.sync(s, state)
    const block = this.blocking(req.instrumentId)
    if (block) {
      const q = s.position
      // Reduce-only orders cannot add exposure; others must close at most the position net of working orders.
      const reduces =
        req.reduceOnly ||
        (q !== 0 &&
          (req.side === 'BUY') === q < 0 &&
          req.quantity + (req.side === 'BUY' ? s.openBuy : s.openSell) <= Math.abs(q) + 1e-12)
      if (!reduces)
        return this.refuse(req, {
          code: block.action === 'reduce' ? 'REDUCE_ONLY' : 'HALTED',
          reason: `order ${req.clientOrderId}: only position-reducing orders while ${block.rule} is breached (${block.message})`,
        })
    }
    const r = this.checks.check(req, s, this.book, {
      time: this.time,
      equity: () => state.equity?.() ?? state.account.equity,
      openOrders: state.openOrderCount(),
    })
    if (r) return this.refuse(req, r)
    this.book.openOrder(req.clientOrderId, s, req.side, req.quantity)
    if (
      this.cfg.checks.maxLeverage !== undefined ||
      this.cfg.checks.maxGrossExposure !== undefined ||
      this.cfg.checks.maxPosition ||
      this.cfg.checks.maxOpenOrders !== undefined
    )
      this.peak.note(
        this.book,
        s,
        this.cfg.checks.maxLeverage === undefined ? NaN : (state.equity?.() ?? state.account.equity),
        state.openOrderCount() + 1,
      )
    this.count('risk.check.accepted')
    if (this.publishAccepted && this.bus)
      this.bus.publish(
        'risk.check.accepted',
        Object.freeze({
          time: this.time,
          clientOrderId: req.clientOrderId,
          strategyId: req.strategyId,
          instrumentId: req.instrumentId,
        }),
      )
    return ACCEPT
  }

  /** Rebuilds the list of active breaches that block orders (after every change of rule states). */
  private refreshBlockers(): void {
    this.blockers = []
    for (const st of this.controls.states.values())
      if (st.active && st.active.action !== 'warn') this.blockers.push(st.active)
  }

  private blocking(instrumentId: string): Breach | undefined {
    if (this.blockers.length === 0) return undefined
    let worst: Breach | undefined
    for (const b of this.blockers) {
      if (b.instrumentId !== undefined && b.instrumentId !== instrumentId) continue
      if (!worst || ACTION_RANK[b.action] > ACTION_RANK[worst.action]) worst = b
    }
    return worst
  }

  private activeWorst(): Breach | undefined {
    let worst: Breach | undefined
    for (const st of this.controls.states.values())
      if (st.active && (!worst || ACTION_RANK[st.active.action] > ACTION_RANK[worst.action])) worst = st.active
    return worst
  }

  checkCancel(): RiskDecision {
    return ACCEPT
  }

  onFill(fill: Fill, state: RiskState): void {
    this.book.filled(fill.clientOrderId, fill.quantity)
    const s = this.book.get(fill.instrumentId)
    if (s) this.sync(s, state)
  }

  onMark(state: RiskState): void {
    this.time = state.time
    this.rejections.tick(state.time)
    for (const s of this.book.slots) this.sync(s, state)
    const equity = state.equity?.() ?? state.account.equity
    this.lastEquity = equity
    const ev = this.controls.evaluate(state.time, equity)
    for (const b of ev.cleared) {
      this.count(`risk.clear.${b.rule}`)
      this.bus?.publish(`risk.clear.${b.rule}`, Object.freeze({ ...b, clearedAt: state.time }))
      this.log('info', `risk: ${b.rule} cleared after its cooldown`, { rule: b.rule, instrumentId: b.instrumentId })
    }
    for (const b of ev.breached) this.onBreach(b)
    if (ev.breached.length || ev.cleared.length) this.refreshBlockers()
    // The kill switch keeps flattening until the book is flat (a flatten order the venue refused is re-sent).
    if (this.killed && this.ctx && this.ownOpen.size === 0 && this.ctx.positions().length > 0)
      this.reduce(1, 'kill switch: book not flat yet')
  }

  private onBreach(b: Breach): void {
    // The breach is risk's own record (it stays active in the rule state): frozen, and acted on before any
    // subscriber sees it.
    Object.freeze(b)
    this.breachLog.push(b)
    if (this.breachLog.length > 1000) this.breachLog.shift()
    this.count(`risk.breach.${b.rule}`)
    this.log(b.action === 'warn' ? 'info' : 'warn', `risk breach ${b.rule} → ${b.action}: ${b.message}`, { ...b })
    const fraction = (this.cfg.controls[b.rule as keyof RiskConfig['controls']]?.reduceFraction ?? 0.5) as number
    if (b.action === 'kill') this.kill(`${b.rule}: ${b.message}`)
    else if (b.action === 'reduce') this.reduce(fraction, `${b.rule}: ${b.message}`, b.instrumentId)
    this.bus?.publish(`risk.breach.${b.rule}`, b)
  }

  /** Fires the kill switch: cancels every open order, flattens every position and blocks until {@link rearm}. */
  kill(reason: string): void {
    const first = !this.killed
    this.killed = true
    this.count('risk.kill')
    let canceled = 0
    let flattened = 0
    if (this.ctx) {
      for (const id of this.ctx.openOrders()) {
        this.ctx.cancel(id)
        canceled++
      }
      flattened = this.reduce(1, `kill switch: ${reason}`)
    }
    this.bus?.publish('risk.kill', Object.freeze({ time: this.time, reason, canceled, flattened, first }))
    this.log('warn', `risk KILL SWITCH: ${reason}; canceled ${canceled} orders, flattening ${flattened} positions`, {
      reason,
      canceled,
      flattened,
    })
  }

  /** Sends market orders closing `fraction` of every position (of one instrument when given). */
  private reduce(fraction: number, reason: string, instrumentId?: string): number {
    if (!this.ctx) return 0
    let n = 0
    for (const p of this.ctx.positions()) {
      if (p.quantity === 0 || (instrumentId !== undefined && p.instrumentId !== instrumentId)) continue
      const inst = this.book.get(p.instrumentId)?.instrument
      let qty = Math.abs(p.quantity) * fraction
      if (inst && fraction < 1) qty = Math.floor(qty / inst.lotSize + 1e-9) * inst.lotSize
      if (fraction >= 1) qty = Math.abs(p.quantity)
      if (!(qty > 0)) continue
      const side: OrderSide = p.quantity > 0 ? 'SELL' : 'BUY'
      const clientOrderId = this.ctx.orderId ? this.ctx.orderId() : `RISK-${++this.ownSeq}`
      const req: OrderRequest = {
        clientOrderId,
        strategyId: p.strategyId,
        instrumentId: p.instrumentId,
        side,
        type: 'MARKET',
        quantity: qty,
        timeInForce: 'GTC',
        reduceOnly: true,
        postOnly: false,
        tags: [`risk: ${reason}`],
      }
      this.own.set(clientOrderId, { instrumentId: p.instrumentId, side, quantity: qty, strategyId: p.strategyId })
      this.ctx.submit(req)
      n++
    }
    return n
  }

  /**
   * Re-arms after a kill or a manual-rearm breach: a person (`by`) with a reason. Clears every active breach,
   * resets the day-start equity, peak and velocity window to the current equity, and records the re-arm.
   */
  rearm(by: string, reason: string): Rearm {
    if (!by.trim() || !reason.trim())
      throw new KestrelError('PARAM_INVALID', 'risk rearm: give who re-arms (by) and why (reason)', { by, reason })
    const cleared: string[] = []
    for (const st of this.controls.states.values())
      if (st.active) {
        cleared.push(st.key)
        st.active = undefined
      }
    if (this.killed) cleared.push('kill')
    this.killed = false
    if (this.lastEquity === this.lastEquity) this.controls.resetBaselines(this.lastEquity)
    this.refreshBlockers()
    const r: Rearm = Object.freeze({ time: this.time, by, reason, cleared: Object.freeze(cleared) })
    this.rearmLog.push(r)
    this.count('risk.rearm')
    this.bus?.publish('risk.rearm', r)
    this.log('warn', `risk re-armed by ${by}: ${reason} (cleared ${cleared.join(', ') || 'nothing'})`, { ...r })
    return r
  }

  /**
   * Replaces the limits while running with a whole new config, validated as such: every limit in force must
   * appear in it, with its value or with `null` to remove it, so a reload of `{}` or of a partial config is
   * refused (CONFIG_INVALID names each limit it would drop) and the old limits stay. Removals are logged. The
   * kill switch, breaches, positions, open orders and throttle windows are kept.
   */
  reload(raw: unknown): RiskConfig {
    return this.apply(() => planReload(this.cfg, raw, 'risk reload'))
  }

  /**
   * Changes only what `patch` names (a deep merge: objects merge, values and lists replace, `null` removes a
   * limit). The result is validated as a whole config; removals are logged. State is kept as by {@link reload}.
   */
  patch(patch: unknown): RiskConfig {
    return this.apply(() => planPatch(this.cfg, patch, 'risk patch'))
  }

  private apply(plan: () => ReloadPlan): RiskConfig {
    let p: ReloadPlan
    try {
      p = plan()
    } catch (e) {
      this.count('risk.reload.refused')
      this.bus?.publish('risk.reload.refused', Object.freeze({ time: this.time, error: (e as Error).message }))
      this.log('warn', `risk reload refused, old limits stay: ${(e as Error).message}`, {})
      throw e
    }
    const next = p.next
    this.cfg = next
    this.checks = new PreTradeChecks(next.checks, this.checks)
    this.controls.configure(next.controls)
    this.refreshBlockers()
    this.count('risk.reload')
    const ev = Object.freeze({
      time: this.time,
      changed: Object.freeze(p.changed),
      removed: Object.freeze(p.removed),
      killed: this.killed,
    })
    this.bus?.publish('risk.reload', ev)
    if (p.removed.length > 0)
      this.log('warn', `risk limits reloaded; removed (explicit null): ${p.removed.join(', ')}`, { ...ev })
    this.log(
      'info',
      `risk limits reloaded${p.changed.length ? `; changed ${p.changed.join(', ')}` : ''}${this.killed ? ' (kill switch stays on)' : ''}`,
      { ...ev },
    )
    return next
  }

  /** Limits, usage and breaches now. */
  status(): RiskStatus {
    const eq = this.lastEquity
    const active: Breach[] = []
    for (const st of this.controls.states.values()) if (st.active) active.push(st.active)
    const worst = this.activeWorst()
    return {
      name: this.name,
      time: this.time,
      killed: this.killed,
      mode: this.killed ? 'killed' : worst && worst.action !== 'warn' ? 'reduce-only' : 'normal',
      usage: this.peak.annotate(this.checks.usage(this.book, eq, this.book.openCount, this.time)),
      readings: { ...this.controls.readings },
      active,
      breaches: [...this.breachLog],
      rearms: [...this.rearmLog],
      counters: { ...this.counters },
      config: this.cfg,
    }
  }
}
