/**
 * The risk engine with limits: pre-trade checks on every order, real-time controls after every mark, and a
 * kill switch that cancels every open order, flattens every position and refuses new orders until a person
 * re-arms it. Every verdict and breach is a bus event (`risk.check.accepted`, `risk.check.rejected`,
 * `risk.breach.<rule>`, `risk.kill`, `risk.rearm`, `risk.reload`), a log line and a counter.
 */
import { KestrelError } from '../core/index.ts'
import type { EventBus, Fill, OrderRequest, OrderSide } from '../core/index.ts'
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

  constructor(config: unknown, opts: LimitsRiskEngineOptions = {}) {
    this.cfg = parseRiskConfig(config)
    this.checks = new PreTradeChecks(this.cfg.checks)
    this.book = new ExposureBook(opts.instruments ?? [])
    this.controls = new RealTimeControls(this.cfg.controls, this.book)
    this.bus = opts.bus
    if (opts.bus) this.listen(opts.bus)
    this.publishAccepted = opts.publishAccepted ?? true
    this.logFn = opts.log
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
    if (this.bus !== ctx.bus) {
      // Order events come on the kernel's bus; publish there too.
      this.bus = ctx.bus
      this.listen(ctx.bus)
    }
    const before = this.book.slots.length
    for (const i of ctx.instruments) this.book.add(i)
    if (this.book.slots.length !== before) this.controls = new RealTimeControls(this.cfg.controls, this.book)
  }

  /** Follows order events on the bus: terminal orders release their open quantity; acks measure latency. */
  private listen(bus: EventBus): void {
    bus.subscribe(
      'order.*',
      (e: { kind: string; time: number; order: { clientOrderId: string; createdAt: number } }) => {
        if (e.kind === 'CANCELED' || e.kind === 'EXPIRED' || e.kind === 'REJECTED' || e.kind === 'FILLED') {
          this.book.closed(e.order.clientOrderId)
          this.ownOpen.delete(e.order.clientOrderId)
        } else if (e.kind === 'ACCEPTED') this.controls.noteLatency(e.time - e.order.createdAt)
      },
    )
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
    const ev: RiskRejection = {
      time: this.time,
      clientOrderId: req.clientOrderId,
      strategyId: req.strategyId,
      instrumentId: req.instrumentId,
      code: r.code,
      reason: r.reason,
    }
    this.bus?.publish(`risk.check.rejected`, ev)
    this.log('warn', `risk rejected ${req.clientOrderId}: ${r.code}: ${r.reason}`, { ...ev })
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
      this.bus.publish('risk.check.accepted', {
        time: this.time,
        clientOrderId: req.clientOrderId,
        strategyId: req.strategyId,
        instrumentId: req.instrumentId,
      })
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
    for (const s of this.book.slots) this.sync(s, state)
    const equity = state.equity?.() ?? state.account.equity
    this.lastEquity = equity
    const ev = this.controls.evaluate(state.time, equity)
    for (const b of ev.cleared) {
      this.count(`risk.clear.${b.rule}`)
      this.bus?.publish(`risk.clear.${b.rule}`, { ...b, clearedAt: state.time })
      this.log('info', `risk: ${b.rule} cleared after its cooldown`, { rule: b.rule, instrumentId: b.instrumentId })
    }
    for (const b of ev.breached) this.onBreach(b)
    if (ev.breached.length || ev.cleared.length) this.refreshBlockers()
    // The kill switch keeps flattening until the book is flat (a flatten order the venue refused is re-sent).
    if (this.killed && this.ctx && this.ownOpen.size === 0 && this.ctx.positions().length > 0)
      this.reduce(1, 'kill switch: book not flat yet')
  }

  private onBreach(b: Breach): void {
    this.breachLog.push(b)
    if (this.breachLog.length > 1000) this.breachLog.shift()
    this.count(`risk.breach.${b.rule}`)
    this.bus?.publish(`risk.breach.${b.rule}`, b)
    this.log(b.action === 'warn' ? 'info' : 'warn', `risk breach ${b.rule} → ${b.action}: ${b.message}`, { ...b })
    const fraction = (this.cfg.controls[b.rule as keyof RiskConfig['controls']]?.reduceFraction ?? 0.5) as number
    if (b.action === 'kill') this.kill(`${b.rule}: ${b.message}`)
    else if (b.action === 'reduce') this.reduce(fraction, `${b.rule}: ${b.message}`, b.instrumentId)
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
    this.bus?.publish('risk.kill', { time: this.time, reason, canceled, flattened, first })
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
      const clientOrderId = `RISK-${++this.ownSeq}`
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
    const r: Rearm = { time: this.time, by, reason, cleared }
    this.rearmLog.push(r)
    this.count('risk.rearm')
    this.bus?.publish('risk.rearm', r)
    this.log('warn', `risk re-armed by ${by}: ${reason} (cleared ${cleared.join(', ') || 'nothing'})`, { ...r })
    return r
  }

  /**
   * Replaces the limits while running. An invalid config is refused with CONFIG_INVALID naming the key path;
   * the old limits stay. State (positions, open orders, breaches, kill switch, throttle windows) is kept.
   */
  reload(raw: unknown): RiskConfig {
    let next: RiskConfig
    try {
      next = parseRiskConfig(raw, 'risk reload')
    } catch (e) {
      this.count('risk.reload.refused')
      this.bus?.publish('risk.reload.refused', { time: this.time, error: (e as Error).message })
      this.log('warn', `risk reload refused, old limits stay: ${(e as Error).message}`, {})
      throw e
    }
    this.cfg = next
    this.checks = new PreTradeChecks(next.checks, this.checks)
    this.controls.configure(next.controls)
    this.refreshBlockers()
    this.count('risk.reload')
    this.bus?.publish('risk.reload', { time: this.time })
    this.log('info', 'risk limits reloaded', {})
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
