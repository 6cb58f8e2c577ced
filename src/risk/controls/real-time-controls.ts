/**
 * Real-time controls, evaluated after every mark-to-market: daily loss, drawdown and drawdown velocity, VaR
 * and ES, concentration, feed staleness, order-latency drift and a per-instrument volatility circuit breaker.
 * Each rule has thresholds, an action, a cooldown and a re-arm (see {@link RuleState}); this class only
 * measures and reports transitions, the engine acts on them.
 */
import type { z } from 'zod'
import type { riskSection } from '../../core/index.ts'
import type { ExposureBook } from '../checks/exposure-book.ts'
import { RuleState, type Breach } from './rule-state.ts'
import { SlidingMax } from './sliding-max.ts'
import { VarMonitor } from './var-monitor.ts'

/** The validated `risk.controls` section. */
export type ControlsConfig = z.output<typeof riskSection>['controls']

type AnyRule = NonNullable<ControlsConfig[keyof ControlsConfig]>

/** What one evaluation found. */
export interface ControlEvents {
  readonly breached: Breach[]
  readonly cleared: Breach[]
}

/** Current measured values, for status displays. */
export interface ControlReadings {
  equity: number
  dayStartEquity: number
  dailyLoss: number
  peak: number
  drawdown: number
  drawdownVelocity: number
  var: number
  es: number
  concentration: number
  latencyEwmaMs: number
  latencyBaselineMs: number
}

const DAY = 86_400_000

/** The settings that shape the scenario set (limits can change without discarding it). */
function varShape(v: NonNullable<ControlsConfig['var']>): string {
  return [v.method, v.confidence, v.lookback, v.sampleEveryMs, v.recomputeEveryMs, v.paths, v.seed].join('|')
}

/** Measures the book after each mark and tracks every rule's state. */
export class RealTimeControls {
  readonly states = new Map<string, RuleState>()
  readonly readings: ControlReadings = {
    equity: NaN,
    dayStartEquity: NaN,
    dailyLoss: 0,
    peak: NaN,
    drawdown: 0,
    drawdownVelocity: 0,
    var: NaN,
    es: NaN,
    concentration: 0,
    latencyEwmaMs: NaN,
    latencyBaselineMs: NaN,
  }
  private day = NaN
  private velocity: SlidingMax | undefined
  private varMon: VarMonitor | undefined
  private readonly lastMove: Float64Array
  private readonly priceAt: { t: number[]; p: number[]; head: number; ref: number }[]
  private latencyN = 0
  private latencySum = 0
  private readonly prices: Float64Array
  private readonly values: Float64Array

  constructor(
    public cfg: ControlsConfig,
    private readonly book: ExposureBook,
  ) {
    const n = book.slots.length
    this.lastMove = new Float64Array(n).fill(NaN)
    this.priceAt = book.slots.map(() => ({ t: [], p: [], head: 0, ref: NaN }))
    this.prices = new Float64Array(n)
    this.values = new Float64Array(n)
    this.configure(cfg)
  }

  /** Applies new thresholds; state (peaks, breaches, scenario history when compatible) is kept. */
  configure(cfg: ControlsConfig): void {
    const old = this.cfg
    this.cfg = cfg
    const v = cfg.drawdownVelocity
    if (!v) this.velocity = undefined
    else if (!this.velocity || this.velocity.windowMs !== v.windowMs) this.velocity = new SlidingMax(v.windowMs)
    const vr = cfg.var
    if (!vr) this.varMon = undefined
    else if (!this.varMon || !old.var || varShape(old.var) !== varShape(vr))
      this.varMon = new VarMonitor(this.book.slots.length, vr)
    for (const [name, r] of Object.entries(cfg) as [string, AnyRule | undefined][]) {
      for (const [key, st] of this.states)
        if (key === name || key.startsWith(`${name}:`)) {
          if (r) {
            st.manual = r.rearm === 'manual'
            st.cooldownMs = r.cooldownMs
          }
        }
    }
  }

  private state(key: string, r: AnyRule): RuleState {
    let s = this.states.get(key)
    if (!s) this.states.set(key, (s = new RuleState(key, r.rearm === 'manual', r.cooldownMs)))
    return s
  }

  private judge(
    ev: ControlEvents,
    rule: string,
    r: AnyRule | undefined,
    time: number,
    value: number,
    limit: number,
    breached: boolean,
    message: () => string,
    instrumentId?: string,
  ): void {
    if (!r || !r.enabled) return
    const key = instrumentId === undefined ? rule : `${rule}:${instrumentId}`
    const st = this.state(key, r)
    if (breached) {
      const b: Breach = { rule, instrumentId, action: r.action, time, value, limit, message: message() }
      if (st.breach(b)) ev.breached.push(b)
    } else {
      const was = st.active
      if (was && st.tryClear(time, false)) ev.cleared.push(was)
    }
  }

  /** Records an order acknowledgement latency (ms). */
  noteLatency(ms: number): void {
    const r = this.cfg.latencyDrift
    if (!r || !(ms >= 0)) return
    this.latencyN++
    if (this.latencyN <= r.baselineOrders) {
      this.latencySum += ms
      this.readings.latencyBaselineMs = this.latencySum / this.latencyN
    }
    const a = 1 - Math.pow(0.5, 1 / r.halfLife)
    const e = this.readings.latencyEwmaMs
    this.readings.latencyEwmaMs = e !== e ? ms : e + a * (ms - e)
  }

  /** Resets the baselines a person accepted when re-arming (day start, peak, velocity window). */
  resetBaselines(equity: number): void {
    this.readings.dayStartEquity = equity
    this.readings.peak = equity
    this.velocity?.reset()
  }

  /** Evaluates every rule at `time` with account equity `equity`. */
  evaluate(time: number, equity: number): ControlEvents {
    const ev: ControlEvents = { breached: [], cleared: [] }
    const c = this.cfg
    const rd = this.readings
    rd.equity = equity
    const dl = c.dailyLoss
    const day = Math.floor((time - (dl?.dayStartHourUtc ?? 0) * 3_600_000) / DAY)
    if (day !== this.day) {
      this.day = day
      rd.dayStartEquity = equity
    }
    rd.dailyLoss = rd.dayStartEquity - equity
    if (dl) {
      const lim = Math.min(dl.maxLoss ?? Infinity, (dl.maxLossPct ?? Infinity) * rd.dayStartEquity)
      this.judge(
        ev,
        'dailyLoss',
        dl,
        time,
        rd.dailyLoss,
        lim,
        rd.dailyLoss >= lim,
        () =>
          `daily loss ${rd.dailyLoss.toFixed(2)} reached the limit ${lim.toFixed(2)} (day start equity ${rd.dayStartEquity.toFixed(2)})`,
      )
    }
    if (!(rd.peak >= equity)) rd.peak = equity
    rd.drawdown = rd.peak > 0 ? 1 - equity / rd.peak : 0
    if (c.drawdown) {
      const lim = c.drawdown.max
      this.judge(
        ev,
        'drawdown',
        c.drawdown,
        time,
        rd.drawdown,
        lim,
        rd.drawdown > lim,
        () => `drawdown ${(rd.drawdown * 100).toFixed(2)}% > ${(lim * 100).toFixed(2)}% (peak ${rd.peak.toFixed(2)})`,
      )
    }
    if (this.velocity && c.drawdownVelocity) {
      const hi = this.velocity.push(time, equity)
      rd.drawdownVelocity = hi > 0 ? 1 - equity / hi : 0
      const r = c.drawdownVelocity
      this.judge(
        ev,
        'drawdownVelocity',
        r,
        time,
        rd.drawdownVelocity,
        r.maxDrop,
        rd.drawdownVelocity > r.maxDrop,
        () =>
          `equity fell ${(rd.drawdownVelocity * 100).toFixed(2)}% within ${r.windowMs} ms (limit ${(r.maxDrop * 100).toFixed(2)}%)`,
      )
    }
    const slots = this.book.slots
    let maxAbs = 0
    let maxId = ''
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!
      const p = s.price
      if (p === p && p !== this.prices[i]) this.lastMove[i] = time
      this.prices[i] = p === p ? p : NaN
      this.values[i] = s.value
      if (Math.abs(s.value) > maxAbs) [maxAbs, maxId] = [Math.abs(s.value), s.instrument.id]
      if (c.feedStaleness && s.position !== 0) {
        const age = time - (this.lastMove[i]! === this.lastMove[i]! ? this.lastMove[i]! : time)
        const lim = c.feedStaleness.maxAgeMs
        this.judge(
          ev,
          'feedStaleness',
          c.feedStaleness,
          time,
          age,
          lim,
          age > lim,
          () => `${s.instrument.id}: no price change for ${age} ms (limit ${lim} ms)`,
          s.instrument.id,
        )
      }
      const vb = c.volatilityBreaker
      if (vb && p === p) {
        const w = this.priceAt[i]!
        w.t.push(time)
        w.p.push(p)
        while (w.t[w.head]! < time - vb.windowMs) {
          w.ref = w.p[w.head]!
          w.head++
        }
        if (w.ref !== w.ref) w.ref = w.p[w.head]!
        if (w.head > 1024) {
          w.t = w.t.slice(w.head)
          w.p = w.p.slice(w.head)
          w.head = 0
        }
        const move = Math.abs(p / w.ref - 1)
        this.judge(
          ev,
          'volatilityBreaker',
          vb,
          time,
          move,
          vb.maxMove,
          move > vb.maxMove,
          () =>
            `${s.instrument.id} moved ${(move * 100).toFixed(2)}% within ${vb.windowMs} ms (breaker ${(vb.maxMove * 100).toFixed(2)}%)`,
          s.instrument.id,
        )
      }
    }
    const gross = this.book.gross
    rd.concentration = gross > 0 ? maxAbs / gross : 0
    if (c.concentration) {
      const r = c.concentration
      const hit = gross > r.minGross && rd.concentration > r.maxWeight
      this.judge(
        ev,
        'concentration',
        r,
        time,
        rd.concentration,
        r.maxWeight,
        hit,
        () =>
          `${maxId} is ${(rd.concentration * 100).toFixed(1)}% of gross exposure (limit ${(r.maxWeight * 100).toFixed(1)}%)`,
      )
    }
    if (this.varMon && c.var) {
      const r = c.var
      const res = this.varMon.update(time, this.prices, this.values)
      rd.var = res ? res.var : NaN
      rd.es = res ? res.es : NaN
      if (res) {
        const varLim = Math.min(r.maxVar ?? Infinity, (r.maxVarPct ?? Infinity) * equity)
        const esLim = r.maxEs ?? Infinity
        const hit = res.var > varLim || res.es > esLim
        const overVar = res.var > varLim
        this.judge(ev, 'var', r, time, overVar ? res.var : res.es, overVar ? varLim : esLim, hit, () =>
          overVar
            ? `${r.method} VaR(${r.confidence}) ${res.var.toFixed(2)} > limit ${varLim.toFixed(2)}`
            : `${r.method} ES(${r.confidence}) ${res.es.toFixed(2)} > limit ${esLim.toFixed(2)}`,
        )
      }
    }
    const ld = c.latencyDrift
    if (ld && this.latencyN > ld.baselineOrders) {
      const e = rd.latencyEwmaMs
      const ratio = rd.latencyBaselineMs > 0 ? e / rd.latencyBaselineMs : e > 0 ? Infinity : 1
      const overMs = ld.maxMs !== undefined && e > ld.maxMs
      const overRatio = ld.maxRatio !== undefined && ratio > ld.maxRatio
      this.judge(
        ev,
        'latencyDrift',
        ld,
        time,
        overMs ? e : ratio,
        overMs ? ld.maxMs! : (ld.maxRatio ?? Infinity),
        overMs || overRatio,
        () =>
          `order latency EWMA ${e.toFixed(1)} ms is ${ratio.toFixed(2)}x the baseline ${rd.latencyBaselineMs.toFixed(1)} ms`,
      )
    }
    return ev
  }
}
