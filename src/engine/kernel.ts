/**
 * The kernel: one wiring of bus, cache, portfolio, risk, execution and strategies for every mode. A runner
 * feeds it market events in time order (the backtest runner from a SimulatedClock and stored data, the live
 * runner from data clients on a WallClock); the kernel hands each event to the simulated venue first (when
 * there is one), marks the portfolio, updates indicators, then calls the strategies.
 */
import { EventBus, KestrelError, parseTimeframe, SimulatedClock } from '../core/index.ts'
import type {
  AccountEvent,
  AccountEventSource,
  Bar,
  BarSeries,
  CashFlow,
  Clock,
  EpochMs,
  Fill,
  Instrument,
  Order,
  OrderEvent,
  OrderEventKind,
  Position,
  Quote,
  Signal,
  TradeTick,
} from '../core/index.ts'
import {
  ExecutionEngine,
  OrderManager,
  RISK_OWNER,
  RiskGate,
  isSimulatedVenue,
  type ExecutionClient,
  type SimulatedVenue,
} from '../execution/index.ts'
import { Portfolio, type AccountConfig, type RoundTrip } from '../portfolio/index.ts'
import { PassThroughRiskEngine, type RiskEngine, type RiskState } from '../risk/index.ts'
import { parseStrategyParams, type StrategyDefinition, type StrategyHandlers } from '../strategy/index.ts'
import { FeedState } from './feed.ts'
import { positionView } from './position-view.ts'
import { FRAMEWORK_STRATEGY_ID, FrameworkRunner, type FrameworkSpec } from './framework.ts'
import { Recorder } from './recorder.ts'
import type { BacktestResult, Liquidation, RecordOptions } from './results.ts'
import { StrategyRuntime } from './strategy-runtime.ts'

/** Bus topic of each order event kind: `order.filled`, `order.canceled`, ... */
const ORDER_TOPICS: Readonly<Record<OrderEvent['kind'], string>> = Object.fromEntries(
  (
    [
      'SUBMITTED',
      'ACCEPTED',
      'REJECTED',
      'TRIGGERED',
      'PARTIALLY_FILLED',
      'FILLED',
      'PENDING_CANCEL',
      'CANCELED',
      'EXPIRED',
      'UPDATED',
    ] as const
  ).map((k) => [k, `order.${k.toLowerCase()}`]),
) as Record<OrderEvent['kind'], string>

/** One strategy instance to run. */
export interface StrategySpec {
  readonly definition: StrategyDefinition
  /** Raw parameters, validated by the definition's schema. */
  readonly params?: unknown
  /** Unique id (default: the definition's name, suffixed when repeated). */
  readonly id?: string
  /** Instrument ids it trades (default: every instrument). */
  readonly instruments?: readonly string[]
  /** Timeframes it receives (default: every bar timeframe of its instruments). */
  readonly timeframes?: readonly string[]
}

/** Everything the kernel is built from. */
export interface KernelOptions {
  readonly clock: Clock
  readonly instruments: readonly Instrument[]
  /** Bar timeframes per instrument id that will be fed (to size history rings and pick execution feeds). */
  readonly barFeeds: readonly { readonly instrumentId: string; readonly timeframe: string }[]
  /** Instruments that also get quotes or trade ticks (the venue then matches on those). */
  readonly tickInstruments?: readonly string[]
  readonly venues: readonly ExecutionClient[]
  readonly account: AccountConfig
  readonly strategies: readonly StrategySpec[]
  readonly risk?: RiskEngine
  readonly bus?: EventBus
  /** Bars kept per feed for `ctx.history` (default 256). */
  readonly historySize?: number
  /** Publish every bar/quote/trade on the bus as `data.bar.<instrument>.<tf>` etc. (default false: fast path). */
  readonly publishMarketData?: boolean
  readonly record?: RecordOptions
  readonly log?: (message: string, fields: Record<string, unknown>) => void
  /** Seed of the strategies' random streams (`ctx.rng`). Default 1. */
  readonly seed?: number
  /** Node id in client order ids (1–8 letters or digits, default `N1`; see execution's `order-ids.ts`). */
  readonly nodeId?: string
  /**
   * Splits, dividends, funding and swap, applied as time passes each (see `core/account-events.ts`): an
   * event at `t` applies before the first market event after `t`. Each source in time order.
   */
  readonly accountEvents?: readonly AccountEventSource[]
  /**
   * Signals → targets → orders: the models that turn the strategies' `ctx.emit` signals into orders (see
   * `framework.ts`). Without one, a strategy that emits a signal gets a STRATEGY_INVALID error.
   */
  readonly framework?: FrameworkSpec
  /**
   * Point-in-time membership (a backtest's universe): a bar whose last instant (close − 1 ms) is outside its
   * instrument's membership is not handed to strategies (the venue and the marks still see it), and an order
   * (checked at the instant before it is sent, so one sent at a member's last close goes) that opens or adds to a
   * position in a non-member is REJECTED naming the membership; one that only reduces a position may go.
   */
  readonly membership?: Membership
}

/** Which instruments may be traded when (see {@link KernelOptions.membership}). */
export interface Membership {
  isMember(instrumentId: string, time: EpochMs): boolean
  /** The instrument's membership in words, for reject reasons. */
  describe(instrumentId: string): string
}

/** The kernel. */
export class Kernel {
  readonly bus: EventBus
  readonly clock: Clock
  readonly portfolio: Portfolio
  readonly execution: ExecutionEngine
  readonly risk: RiskEngine
  private readonly gate: RiskGate
  readonly orders: OrderManager
  /** Seed of the strategies' random streams. */
  readonly seed: number
  private readonly instruments = new Map<string, Instrument>()
  private readonly feeds = new Map<string, Map<string, FeedState>>()
  /** The finest bar feed of each instrument (set with the feeds). */
  private readonly finest = new Map<string, FeedState>()
  private readonly simVenues = new Map<string, SimulatedVenue>()
  private readonly simVenueList: SimulatedVenue[] = []
  private readonly tickHandlers = new Map<string, StrategyHandlers[]>()
  private readonly runtimes: StrategyRuntime[] = []
  private readonly byId = new Map<string, StrategyRuntime>()
  private readonly rec: Required<RecordOptions>
  private readonly sim: SimulatedClock | undefined
  private readonly publish: boolean
  private readonly recorder: Recorder
  private lastTime = -Infinity
  /** Time of the last market event (one that marks), and the last time the curves were sampled at. */
  private lastMarketTime = -Infinity
  private sampledAt = -Infinity
  private firstTime = NaN
  private started = false
  private readonly riskState: RiskState
  /** True when the risk engine listens to order events. */
  private readonly riskEvents: boolean
  private readonly margin: boolean
  /** Set when equity reached zero or below: every later market event is ignored (the run is over). */
  private liquidation: Liquidation | undefined
  private readonly marginCalls: { time: EpochMs; equity: number }[] = []
  /** Account event sources, their iterators (made at the first market event) and each one's next event. */
  private readonly eventSources: readonly AccountEventSource[]
  private eventIters: Iterator<AccountEvent, unknown, undefined>[] = []
  private eventHeads: (AccountEvent | undefined)[] = []
  /** Time of the earliest pending account event (Infinity: none; the hot path compares only this). */
  private nextEventTime = Infinity
  private readonly cashFlows: CashFlow[] = []
  private readonly framework: FrameworkRunner | undefined
  private readonly membership: Membership | undefined

  constructor(private readonly opts: KernelOptions) {
    // Without a bus of the caller's, no history: a run keeps only what its record options ask for.
    this.bus = opts.bus ?? new EventBus({ historySize: 0 })
    this.seed = opts.seed ?? 1
    this.clock = opts.clock
    this.sim = opts.clock instanceof SimulatedClock ? opts.clock : undefined
    this.publish = opts.publishMarketData ?? false
    this.rec = {
      orders: opts.record?.orders ?? true,
      fills: opts.record?.fills ?? true,
      trades: opts.record?.trades ?? true,
      positions: opts.record?.positions ?? true,
      curveIntervalMs: opts.record?.curveIntervalMs ?? 0,
    }
    this.recorder = new Recorder(this.rec)
    this.portfolio = new Portfolio(opts.account)
    this.margin = this.portfolio.type === 'margin'
    if (!this.rec.trades) this.portfolio.discardTrades()
    this.risk = opts.risk ?? new PassThroughRiskEngine()
    this.riskEvents = typeof this.risk.onOrderEvent === 'function'
    this.execution = new ExecutionEngine({
      now: () => this.clock.now(),
      onEvent: (kind, o, fill, reason, view) => this.onOrderEvent(kind, o, fill, reason, view),
      retainTerminal: this.rec.orders,
      nodeId: opts.nodeId,
    })
    const p = this.portfolio
    this.riskState = {
      get time() {
        return p.time
      },
      get account() {
        return p.state()
      },
      netQuantity: (id) => p.bookOf(id).netQuantity,
      position: (sid, id) => p.tracker(sid, id).position,
      lastPrice: (id) => p.bookOf(id).lastPrice,
      openOrderCount: () => this.execution.openCount,
      equity: () => p.equity(),
      now: () => this.clock.now(),
    }
    const mem = opts.membership
    this.membership = mem
    this.gate = new RiskGate(
      this.risk,
      this.execution,
      () => this.riskState,
      mem
        ? (o, st) => {
            // An order sent at a bar's close belongs to that bar: membership of the instant before.
            const now = this.clock.now()
            if (mem.isMember(o.instrumentId, now - 1)) return undefined
            const q = st.position(o.strategyId, o.instrumentId).quantity
            const reduces = o.side === 'SELL' ? q > 0 && o.quantity <= q + 1e-12 : q < 0 && o.quantity <= -q + 1e-12
            if (reduces) return undefined
            return `universe: ${o.instrumentId} is not a member at ${new Date(now).toISOString()} (${mem.describe(o.instrumentId)}); only orders that reduce a position are accepted`
          }
        : undefined,
    )
    this.orders = new OrderManager(this.gate, this.execution)
    this.risk.attach?.({
      bus: this.bus,
      instruments: opts.instruments,
      positions: () =>
        p
          .positions()
          .filter((x) => x.quantity !== 0)
          .map((x) => ({ strategyId: x.strategyId!, instrumentId: x.instrumentId, quantity: x.quantity })),
      openOrders: () => this.execution.openOrders().map((o) => o.clientOrderId),
      cancel: (id) => this.orders.cancel(id),
      orderId: this.execution.ids.source(RISK_OWNER),
      submit: (req) => void this.orders.submit(req, RISK_OWNER),
      log: (m, f) => this.logLine(m, f),
    })
    for (const inst of opts.instruments) {
      if (this.instruments.has(inst.id)) throw new KestrelError('CONFIG_INVALID', `instrument ${inst.id} listed twice`)
      this.instruments.set(inst.id, inst)
      this.portfolio.book(inst)
      this.execution.addInstrument(inst)
    }
    for (const v of opts.venues) {
      this.execution.addClient(v)
      if (isSimulatedVenue(v)) {
        this.simVenues.set(v.venue, v)
        this.simVenueList.push(v)
      }
    }
    this.buildFeeds()
    this.framework = opts.framework
      ? new FrameworkRunner(
          opts.framework,
          {
            portfolio: this.portfolio,
            execution: this.execution,
            orders: this.orders,
            now: () => this.clock.now(),
            instrument: (id) => this.instrument(id),
            closes: (id, n) => this.finestFeed(id).history(n).close,
            lastVolume: (id) => this.finestFeed(id).lastVolume(),
            barMs: (id) => parseTimeframe(this.finestFeed(id).timeframe).ms,
            ...(opts.membership ? { isMember: (id: string, t: EpochMs) => opts.membership!.isMember(id, t) } : {}),
            publishSignal: (sig) => {
              const topic = `signal.${sig.source}`
              if (this.bus.wants(topic)) this.bus.publish(topic, sig)
            },
          },
          this.rec.orders,
        )
      : undefined
    this.buildStrategies()
    this.eventSources = opts.accountEvents ?? []
    for (const src of this.eventSources)
      if (Array.isArray(src)) for (const e of src as readonly AccountEvent[]) this.instrument(e.instrumentId)
  }

  private buildFeeds(): void {
    const cap = this.opts.historySize ?? 256
    const finest = new Map<string, FeedState>()
    for (const f of this.opts.barFeeds) {
      const inst = this.instrument(f.instrumentId)
      const tf = parseTimeframe(f.timeframe).text
      let m = this.feeds.get(inst.id)
      if (!m) this.feeds.set(inst.id, (m = new Map()))
      if (m.has(tf)) continue
      const fs = new FeedState(inst, tf, this.portfolio.bookOf(inst.id), cap)
      m.set(tf, fs)
      const cur = finest.get(inst.id)
      if (!cur || parseTimeframe(tf).ms < parseTimeframe(cur.timeframe).ms) finest.set(inst.id, fs)
    }
    const ticks = new Set(this.opts.tickInstruments ?? [])
    for (const [id, fs] of finest) {
      this.finest.set(id, fs)
      fs.marks = true
      if (!ticks.has(id)) fs.execution = true
    }
    for (const m of this.feeds.values()) for (const fs of m.values()) fs.venue = this.simVenues.get(fs.instrument.venue)
  }

  private buildStrategies(): void {
    const seen = new Map<string, number>()
    for (const spec of this.opts.strategies) {
      const base = spec.id ?? spec.definition.name
      const n = (seen.get(base) ?? 0) + 1
      seen.set(base, n)
      const id = spec.id ?? (n === 1 ? base : `${base}-${n}`)
      if (this.byId.has(id)) throw new KestrelError('CONFIG_INVALID', `strategy id ${id} is used twice`)
      if (id === FRAMEWORK_STRATEGY_ID)
        throw new KestrelError('CONFIG_INVALID', `strategy id ${id} is the framework's own: choose another`)
      const params = parseStrategyParams(spec.definition, spec.params)
      const insts = (spec.instruments ?? [...this.instruments.keys()]).map((i) => this.instrument(i))
      const tfs = new Set<string>()
      for (const inst of insts) for (const tf of this.feeds.get(inst.id)?.keys() ?? []) tfs.add(tf)
      const timeframes = (spec.timeframes?.map((t) => parseTimeframe(t).text) ?? [...tfs]).sort(
        (a, b) => parseTimeframe(a).ms - parseTimeframe(b).ms,
      )
      const rt = new StrategyRuntime(id, this.runtimes.length + 1, spec.definition, params, insts, timeframes, this)
      this.runtimes.push(rt)
      this.byId.set(id, rt)
      for (const inst of insts) {
        for (const tf of timeframes) {
          const f = this.feeds.get(inst.id)?.get(tf)
          if (f) f.handlers.push(rt.handlers)
          else if (spec.timeframes) this.feed(inst.id, tf)
        }
        const th = this.tickHandlers.get(inst.id) ?? []
        th.push(rt.handlers)
        this.tickHandlers.set(inst.id, th)
      }
    }
  }

  /** An instrument by id, or DATA_NOT_FOUND. */
  instrument(id: string): Instrument {
    const i = this.instruments.get(id)
    if (!i)
      throw new KestrelError(
        'DATA_NOT_FOUND',
        `unknown instrument ${id} (known: ${[...this.instruments.keys()].join(', ')})`,
      )
    return i
  }

  /** The state of a bar feed, or DATA_NOT_FOUND. */
  feed(instrumentId: string, timeframe: string): FeedState {
    const f =
      this.feeds.get(instrumentId)?.get(timeframe) ?? this.feeds.get(instrumentId)?.get(parseTimeframe(timeframe).text)
    if (!f) throw new KestrelError('DATA_NOT_FOUND', `no ${timeframe} bars are fed for ${instrumentId}`)
    return f
  }

  /** The finest bar feed of an instrument (the framework's returns come from it), or DATA_NOT_FOUND. */
  private finestFeed(instrumentId: string): FeedState {
    const f = this.finest.get(instrumentId)
    if (!f) throw new KestrelError('DATA_NOT_FOUND', `no bars are fed for ${instrumentId}`)
    return f
  }

  /** Hands a strategy's checked signal to the framework; STRATEGY_INVALID when the run has none. */
  emitSignal(signal: Signal): void {
    if (!this.framework)
      throw new KestrelError(
        'STRATEGY_INVALID',
        `strategy ${signal.source} emitted a signal, but the run has no framework to turn signals into orders (configure framework: with a portfolio construction model)`,
      )
    this.framework.emit(signal)
  }

  /** Risk gate and order manager entry for strategies (their contexts pass their owner token, `S<k>`). */
  submitFor(command: Parameters<OrderManager['submit']>[0], owner: string): string[] {
    return this.orders.submit(command, owner)
  }

  /** Calls every strategy's onStart. */
  start(): void {
    if (this.started) return
    this.started = true
    for (const r of this.runtimes) r.handlers.onStart?.()
  }

  /** True once equity fell to or below zero: the run stopped there (see {@link BacktestResult.liquidation}). */
  get wipedOut(): boolean {
    return this.liquidation !== undefined
  }

  /**
   * Advances time to `t` (simulated clock) and samples the curves when time moved; false when the account was
   * found wiped out at the previous time (the event at `t` is then not processed).
   */
  private advance(t: EpochMs, market = true): boolean {
    if (t > this.lastTime) {
      if (this.lastTime > -Infinity) {
        // The curves get one sample per market time: a data-only event (a coarser bar) samples the market time
        // before it, not its own (next = Infinity: the sample is kept; a later one of its interval replaces it).
        if (this.sampledAt < this.lastMarketTime) {
          this.sampledAt = this.lastMarketTime
          this.sample(this.lastMarketTime, market ? t : Infinity)
        }
        if (this.liquidation) return false
        // Every event of lastTime has been delivered: the framework decides at that time, with what it knew.
        if (this.framework !== undefined) this.framework.rebalance(this.lastTime)
      } else {
        this.firstTime = t
        this.openEvents(t)
      }
      if (t > this.nextEventTime) this.applyEvents(t)
      this.lastTime = t
      if (this.sim && t > this.sim.now()) this.sim.advanceTo(t)
      for (let i = 0; i < this.simVenueList.length; i++) this.simVenueList[i]!.advance(t)
    }
    if (market && t > this.lastMarketTime) this.lastMarketTime = t
    return true
  }

  /** Starts the account event sources at the first market event's time. */
  private openEvents(t: EpochMs): void {
    this.eventIters = this.eventSources.map((s) =>
      Array.isArray(s)
        ? (s as readonly AccountEvent[])[Symbol.iterator]()
        : (s as Exclude<AccountEventSource, readonly AccountEvent[]>).events(t),
    )
    this.eventHeads = this.eventIters.map((it) => this.pull(it, -Infinity))
    this.nextEventTime = this.earliestEvent()
  }

  private pull(it: Iterator<AccountEvent, unknown, undefined>, after: EpochMs): AccountEvent | undefined {
    const r = it.next()
    if (r.done) return undefined
    const e = r.value
    if (!(e.time >= after)) {
      throw new KestrelError(
        'PARAM_INVALID',
        `account events: ${e.kind} of ${e.instrumentId} at ${e.time} comes after one at ${after} (each source must be in time order)`,
      )
    }
    return e
  }

  private earliestEvent(): EpochMs {
    let m = Infinity
    for (const h of this.eventHeads) if (h !== undefined && h.time < m) m = h.time
    return m
  }

  /**
   * Applies every account event before `t`, in time order (ties in source order), each at its own time (after
   * the curves' sample of the last market event): venues see the time, strategies whose position changed hear
   * of it.
   */
  private applyEvents(t: EpochMs): void {
    while (this.nextEventTime < t) {
      let k = -1
      for (let i = 0; i < this.eventHeads.length; i++) {
        const h = this.eventHeads[i]
        if (h !== undefined && (k < 0 || h.time < this.eventHeads[k]!.time)) k = i
      }
      const e = this.eventHeads[k]!
      this.eventHeads[k] = this.pull(this.eventIters[k]!, e.time)
      // The clock and the venues move to the event's time; the curves keep their one sample per market event.
      const at = Math.max(e.time, this.lastTime)
      if (this.sim && at > this.sim.now()) this.sim.advanceTo(at)
      for (let i = 0; i < this.simVenueList.length; i++) this.simVenueList[i]!.advance(at)
      this.applyEvent(e, at)
      this.nextEventTime = this.earliestEvent()
    }
  }

  private applyEvent(e: AccountEvent, at: EpochMs): void {
    const inst = this.instrument(e.instrumentId)
    if (e.kind === 'SPLIT') this.execution.applySplit(inst, e.ratio)
    if (e.kind === 'DELISTING')
      this.execution.delist(
        inst,
        `delisted${e.reason !== undefined ? ` (${e.reason})` : ''} at ${new Date(at).toISOString()}`,
      )
    const flows = this.portfolio.applyAccountEvent(e, at)
    for (const f of flows) {
      this.cashFlows.push(f)
      const topic = `account.${f.kind.toLowerCase()}`
      if (this.bus.wants(topic)) this.bus.publish(topic, Object.freeze({ ...f }))
    }
    // Only a split or a delisting changes positions (cash in lieu comes with a split).
    if (e.kind === 'SPLIT' || e.kind === 'DELISTING') {
      const seen = new Set<string>()
      for (const f of flows) {
        if (seen.has(f.strategyId)) continue
        seen.add(f.strategyId)
        const position = positionView(this.portfolio.tracker(f.strategyId, inst.id).position)
        this.recorder.position(position, at)
        this.bus.publish('position.changed', position)
        this.byId.get(f.strategyId)?.handlers.onPositionChanged?.(position)
        if (e.kind === 'DELISTING' && f.strategyId === FRAMEWORK_STRATEGY_ID) this.framework?.onClosed(inst.id, at)
      }
    }
  }

  /** Samples the curves at `t` (the next event is at `next`) and stops the run when equity is gone. */
  private sample(t: EpochMs, next: EpochMs): void {
    const p = this.portfolio
    const equity = p.equity()
    // A sample the curve interval will overwrite is not valued further; the wipe-out check sees every one.
    if (equity <= 0 || this.recorder.keeps(t, next)) this.recorder.sample(t, equity, p.grossExposure())
    if (equity <= 0 && !this.liquidation) {
      const openPositions = p
        .positions()
        .filter((x) => x.quantity !== 0)
        .map((x) => ({ instrumentId: x.instrumentId, quantity: x.quantity }))
      this.liquidation = { time: t, equity, cash: p.cash, openPositions }
      this.logLine('account wiped out: run stopped', { time: t, equity })
    }
  }

  /** Delivers one closed bar. `feed` may be passed by runners that resolved it once. */
  onBar(bar: Bar, feed?: FeedState): void {
    this.deliver(bar, feed ?? this.feed(bar.instrumentId, bar.timeframe))
  }

  /**
   * Delivers bar `i` of a columnar chunk of `feed`, closing at `closeTime`, without allocating: strategies see
   * the feed's one bar object, rewritten for each bar (see {@link StrategyHandlers.onBar}).
   */
  onBarAt(feed: FeedState, s: BarSeries, i: number, closeTime: EpochMs): void {
    if (this.liquidation) return
    this.deliver(feed.barAt(s, i, closeTime), feed)
  }

  private deliver(bar: Bar, f: FeedState): void {
    if (this.liquidation || !this.advance(bar.closeTime, f.marks)) return
    this.recorder.counts.bars++
    const venue = f.venue
    if (f.execution && venue !== undefined) venue.onBar(bar)
    if (f.marks) {
      this.portfolio.mark(f.book, bar.close, bar.closeTime)
      if (this.margin && venue !== undefined) venue.afterMark(bar.closeTime)
    }
    f.push(bar)
    f.updateIndicators(bar)
    if (this.publish) this.bus.publish(`data.bar.${bar.instrumentId}.${bar.timeframe}`, bar)
    if (this.membership !== undefined && !this.membership.isMember(bar.instrumentId, bar.closeTime - 1)) {
      this.risk.onMark?.(this.riskState)
      return
    }
    const hs = f.handlers
    for (let i = 0; i < hs.length; i++) hs[i]!.onBar?.(bar)
    if (f.marks) this.risk.onMark?.(this.riskState)
  }

  /**
   * Delivers one closed bar of an FX series: its close is the price of one unit of `currency` in the account
   * currency from the bar's close on (the account must list `currency` in `fxCurrencies`).
   */
  onFxBar(currency: string, bar: Bar): void {
    this.onFxRate(currency, bar.close, bar.closeTime)
  }

  /** {@link onFxBar} from the close and close time of an FX bar. */
  onFxRate(currency: string, close: number, closeTime: EpochMs): void {
    this.advance(closeTime)
    this.portfolio.setFxRate(currency, close, closeTime)
    if (this.margin) for (let i = 0; i < this.simVenueList.length; i++) this.simVenueList[i]!.afterMark(closeTime)
  }

  /** Delivers one quote. */
  onQuote(q: Quote): void {
    const inst = this.instrument(q.instrumentId)
    if (this.liquidation || !this.advance(q.time)) return
    this.recorder.counts.quotes++
    this.simVenues.get(inst.venue)?.onQuote(q)
    this.portfolio.mark(this.portfolio.bookOf(inst.id), (q.bid + q.ask) / 2, q.time)
    if (this.margin) this.simVenues.get(inst.venue)?.afterMark(q.time)
    if (this.publish) this.bus.publish(`data.quote.${q.instrumentId}`, q)
    for (const h of this.tickHandlers.get(inst.id) ?? []) h.onQuote?.(q)
    this.risk.onMark?.(this.riskState)
  }

  /** Delivers one trade tick. */
  onTrade(t: TradeTick): void {
    const inst = this.instrument(t.instrumentId)
    if (this.liquidation || !this.advance(t.time)) return
    this.recorder.counts.trades++
    this.simVenues.get(inst.venue)?.onTrade(t)
    this.portfolio.mark(this.portfolio.bookOf(inst.id), t.price, t.time)
    if (this.margin) this.simVenues.get(inst.venue)?.afterMark(t.time)
    if (this.publish) this.bus.publish(`data.trade.${t.instrumentId}`, t)
    for (const h of this.tickHandlers.get(inst.id) ?? []) h.onTrade?.(t)
    this.risk.onMark?.(this.riskState)
  }

  /**
   * One order event from execution, with its private record (read here, never kept). The portfolio, the
   * recorder, risk's fill hook and the order manager read the record and the fill directly; the frozen event
   * (and the position snapshot) is made only when risk, the bus (a subscriber or its history) or the order's
   * strategy will look at it, once, and shared by all of them.
   */
  private onOrderEvent(
    kind: OrderEventKind,
    o: Readonly<Order>,
    fill: Fill | undefined,
    reason: string | undefined,
    view: Readonly<Order> | undefined,
  ): void {
    if (kind === 'SUBMITTED') this.recorder.counts.orders++
    const rt = this.byId.get(o.strategyId)
    const h = rt?.handlers
    let position: Readonly<Position> | undefined
    if (fill) {
      const t = this.portfolio.applyFillTo(fill)
      const p = t.position
      this.recorder.fill(fill, t.multiplier, p)
      // A snapshot for the bus and the strategy only when one of them listens: the tracker's object stays private.
      if (h?.onPositionChanged || this.bus.wants('position.changed')) position = positionView(p)
      if (o.tags !== undefined && o.tags[0]?.startsWith('liquidation') && this.marginCalls.at(-1)?.time !== fill.time)
        this.marginCalls.push({ time: fill.time, equity: this.portfolio.equity() })
      this.risk.onFill?.(fill, this.riskState)
      if (this.framework !== undefined && o.strategyId === FRAMEWORK_STRATEGY_ID)
        this.framework.onFill(fill, p.quantity)
    }
    const st = o.status
    if (st === 'FILLED' || st === 'CANCELED' || st === 'REJECTED' || st === 'EXPIRED') {
      this.portfolio.release(o.clientOrderId)
      // Terminal records are frozen by execution and never change again: kept as they are.
      this.recorder.terminal(o)
    }
    const topic = ORDER_TOPICS[kind]
    const toRisk = this.riskEvents
    const toBus = this.bus.wants(topic)
    const toStrategy = h?.onOrderEvent !== undefined
    if (toRisk || toBus || toStrategy) {
      const e = this.execution.event(kind, o, fill, reason, view)
      // Risk learns of every order event from execution itself, never from the bus (which strategies can read).
      if (toRisk) this.risk.onOrderEvent!(e)
      if (toBus) this.bus.publish(topic, e)
      if (toStrategy) h!.onOrderEvent!(e)
    }
    if (position) {
      this.bus.publish('position.changed', position)
      h?.onPositionChanged?.(position)
    }
    this.orders.onEvent(kind, o)
  }

  /** Calls every strategy's onStop and closes the books; returns the results. */
  finish(): BacktestResult {
    for (const r of this.runtimes) r.handlers.onStop?.()
    this.risk.onFinish?.()
    // A wipe-out was sampled.
    if (this.sampledAt < this.lastMarketTime && !this.liquidation) this.sample(this.lastMarketTime, Infinity)
    const p = this.portfolio
    const trades: RoundTrip[] = this.rec.trades ? p.trades(true) : []
    const open = this.execution.openOrders()
    const rec = this.recorder
    const orders = this.rec.orders ? [...rec.orders, ...open.map((o) => ({ ...o }))] : []
    return {
      initialCash: p.initialCash,
      finalEquity: p.equity(),
      cash: p.cash,
      feesPaid: p.feesPaid,
      borrowPaid: p.borrowPaid,
      carry: p.carry,
      cashFlows: [...this.cashFlows],
      tradedNotional: rec.notional,
      orders,
      fills: rec.fills,
      trades,
      positions: rec.positionList(),
      ...rec.curves(),
      ...(this.liquidation ? { liquidation: this.liquidation } : {}),
      marginCalls: [...this.marginCalls],
      ...(this.framework ? { targets: this.framework.targets, parentOrders: this.framework.parents } : {}),
      stats: {
        ...rec.counts,
        orders: rec.counts.orders + this.gate.rejected,
        closedTrades: p.closedTradeCount,
        riskRejected: this.gate.rejected,
        firstTime: this.firstTime,
        lastTime: this.lastTime,
      },
    }
  }

  /** Writes a log line through the configured logger (silent by default). */
  logLine(message: string, fields: Record<string, unknown>): void {
    this.opts.log?.(message, fields)
  }

  /** A strategy's runtime by id (tests and tools). */
  strategy(id: string): StrategyRuntime | undefined {
    return this.byId.get(id)
  }
}
