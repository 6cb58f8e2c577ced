/**
 * The backtest runner: a {@link Kernel} on a SimulatedClock, one simulated exchange per venue, and the data
 * engine streaming every feed in time order. Memory stays bounded by one chunk per feed (plus what the
 * record options keep). Same data, settings and strategies → byte-identical orders, fills and equity.
 */
import { KestrelError, SimulatedClock } from '../core/index.ts'
import type { AccountEventSource, EventBus, ExecutionClient, Instrument } from '../core/index.ts'
import {
  SimulatedExchange,
  feeModelFromSchedule,
  makeFeeModel,
  type FeeModel,
  type FeeSpec,
  type FillSettings,
  type VenueAccount,
} from '../execution/index.ts'
import type { AccountConfig } from '../portfolio/index.ts'
import type { Universe } from '../data/index.ts'
import type { RiskEngine } from '../risk/index.ts'
import { mergeFeeds, type BarFeed, type EventSink, type Feed } from './data-engine.ts'
import { ValidatedFeed, refusal, type FeedReport } from './feed-validation.ts'
import { Kernel, type StrategySpec } from './kernel.ts'
import { universeMembership } from './universe-run.ts'
import { watchRiskFile, type RiskFileOptions } from './risk-file.ts'
import type { BacktestResult, RecordOptions } from './results.ts'
import type { FrameworkSpec } from './framework.ts'

/** An FX series: bars whose close is the price of one unit of `currency` in the account currency. */
export interface FxFeed {
  readonly currency: string
  readonly feed: BarFeed
}

/** Everything a backtest needs. */
export interface BacktestOptions {
  readonly instruments: readonly Instrument[]
  readonly feeds: readonly Feed[]
  readonly strategies: readonly StrategySpec[]
  readonly account: AccountConfig
  /**
   * FX series converting instruments quoted in another currency than the account's (ETH-BTC on a USD account:
   * BTC priced in USD). An instrument quoted in a foreign currency without one is refused (CURRENCY_MISMATCH).
   */
  readonly fx?: readonly FxFeed[]
  /** Fill settings of every simulated venue (path model, spread, slippage, impact, participation, latency). */
  readonly fill?: Partial<FillSettings>
  /** Default fee schedule of every venue. */
  readonly fees?: FeeSpec | FeeModel
  /** Fee schedules per venue name (override `fees`); an instrument's own `fees` overrides both. */
  readonly venueFees?: Readonly<Record<string, FeeSpec>>
  readonly risk?: RiskEngine
  readonly bus?: EventBus
  readonly historySize?: number
  readonly publishMarketData?: boolean
  readonly record?: RecordOptions
  readonly log?: (message: string, fields: Record<string, unknown>) => void
  /** Seed of the strategies' random streams (`ctx.rng`). Default 1. */
  readonly seed?: number
  /** Node id in the client order ids (`N1` unless set; see `execution/order-ids.ts`). */
  readonly nodeId?: string
  /** Called after every `every` events (progress bars). */
  readonly onProgress?: (events: number) => void
  /** A config file whose `risk:` section reloads the risk engine when it changes during the run. */
  readonly riskFile?: string | { readonly path: string; readonly options?: RiskFileOptions }
  /** Fewest bars of each bar feed that must pass validation for the run to start (stage 3). Default 1. */
  readonly minBars?: number
  /**
   * Splits, dividends, funding and swap as engine events (see `core/account-events.ts`; schedules in
   * `account-schedules.ts`). Splits as events need unadjusted bars: do not also back-adjust the input.
   */
  readonly accountEvents?: readonly AccountEventSource[]
  /** Signals → targets → orders (see `framework.ts`): needed when a strategy emits signals. */
  readonly framework?: FrameworkSpec
  /**
   * Point-in-time membership with delistings (see `data/universe`): strategies get bars of an instrument
   * only while it is a member, orders that open or add to a position in a non-member are REJECTED, and a
   * position held at a delisting is closed at the last close × (1 + delisting return) as a DELISTING account
   * event. Every instrument must be in the universe (by symbol).
   */
  readonly universe?: Universe
}

/** A backtest's results with what the validation of its feeds found. */
export interface BacktestRun extends BacktestResult {
  /** One report per bar feed (FX series first), in feed order: rows in, rows used, rows quarantined and why. */
  readonly data: readonly FeedReport[]
}

function feeModel(f: FeeSpec | FeeModel | undefined): FeeModel | undefined {
  if (f === undefined) return undefined
  return 'fee' in f ? f : makeFeeModel(f)
}

/**
 * How a node drives a run over the same feeds (paper trading on a replayed feed, `node/paper.ts`): it wraps
 * each simulated venue, acts once the strategies started, and sees every event before the kernel does.
 */
export interface RunHooks {
  /** Wraps each venue before the kernel connects it (a journal between the two). */
  readonly wrapVenue?: (venue: SimulatedExchange) => ExecutionClient
  /** Called after the strategies started, before the first event (a node replays its journal here). */
  readonly started?: (kernel: Kernel, sink: EventSink) => void | Promise<void>
  /** Wraps the sink the merged feeds are delivered to. */
  readonly sink?: (kernel: Kernel, sink: EventSink) => EventSink
}

/** Builds the kernel and venues of a backtest without running it (tests poke at the pieces). */
export function buildBacktest(
  opts: BacktestOptions,
  wrapVenue?: (venue: SimulatedExchange) => ExecutionClient,
): { kernel: Kernel; venues: SimulatedExchange[] } {
  if (opts.instruments.length === 0) throw new KestrelError('CONFIG_INVALID', 'backtest: no instruments')
  if (opts.strategies.length === 0) throw new KestrelError('CONFIG_INVALID', 'backtest: no strategies')
  const clock = new SimulatedClock()
  const ref: { kernel?: Kernel } = {}
  const k = () => ref.kernel!
  const account: VenueAccount = {
    canAfford: (id, side, q, p, fee) => k().portfolio.canAfford(id, side, q, p, fee),
    reserve: (oid, id, side, q, p, fee, g) => k().portfolio.reserve(oid, id, side, q, p, fee, g),
    commitFill: (fid, oid, id, side, q, p, fee, final) =>
      k().portfolio.commitFill(fid, oid, id, side, q, p, fee, final),
    strategyPosition: (sid, id) => k().portfolio.tracker(sid, id).position.quantity,
    belowMaintenance: () => k().portfolio.belowMaintenance(),
    openPositions: () =>
      k()
        .portfolio.positions()
        .filter((p) => p.quantity !== 0)
        .map((p) => ({ strategyId: p.strategyId!, instrumentId: p.instrumentId, quantity: p.quantity })),
  }
  const byVenue = new Map<string, Instrument[]>()
  for (const inst of opts.instruments) byVenue.set(inst.venue, [...(byVenue.get(inst.venue) ?? []), inst])
  const venues: SimulatedExchange[] = []
  for (const [venue, insts] of byVenue) {
    const perInst = new Map<string, FeeModel>()
    for (const i of insts) {
      const m = feeModelFromSchedule(i.fees)
      if (m) perInst.set(i.id, m)
    }
    const spec = opts.venueFees?.[venue]
    const ex = new SimulatedExchange({
      venue,
      now: () => clock.now(),
      account,
      fill: opts.fill,
      fees: spec ? makeFeeModel(spec) : feeModel(opts.fees),
      instrumentFees: perInst,
    })
    for (const i of insts) ex.addInstrument(i)
    venues.push(ex)
  }
  const barFeeds = opts.feeds
    .filter((f) => f.kind !== 'quotes' && f.kind !== 'trades')
    .map((f) => ({ instrumentId: f.instrumentId, timeframe: (f as { timeframe: string }).timeframe }))
  const tickInstruments = opts.feeds
    .filter((f) => f.kind === 'quotes' || f.kind === 'trades')
    .map((f) => f.instrumentId)
  const uni = opts.universe ? universeMembership(opts.universe, opts.instruments) : undefined
  const accountEvents = uni ? [...(opts.accountEvents ?? []), uni.delistings] : opts.accountEvents
  const kernel = new Kernel({
    clock,
    instruments: opts.instruments,
    barFeeds,
    tickInstruments,
    venues: wrapVenue ? venues.map(wrapVenue) : venues,
    account: opts.fx?.length
      ? { ...opts.account, fxCurrencies: [...(opts.account.fxCurrencies ?? []), ...opts.fx.map((f) => f.currency)] }
      : opts.account,
    strategies: opts.strategies,
    risk: opts.risk,
    bus: opts.bus,
    historySize: opts.historySize,
    publishMarketData: opts.publishMarketData,
    record: opts.record,
    log: opts.log,
    seed: opts.seed,
    ...(opts.nodeId !== undefined ? { nodeId: opts.nodeId } : {}),
    accountEvents,
    framework: opts.framework,
    ...(uni ? { membership: uni.membership } : {}),
  })
  ref.kernel = kernel
  return { kernel, venues }
}

/**
 * Runs a backtest to the end of its data and returns the results. Every bar feed passes validation at the feed
 * (see `feed-validation.ts`): rows that fail are quarantined and reported in `data`; a feed with fewer than
 * `minBars` good bars, or with a stage-3 error, refuses the run (DATA_VALIDATION_FAILED) before any strategy
 * starts. A stage-3 error in a later chunk of a stream stops the run with the same error and no result.
 */
export async function runBacktest(opts: BacktestOptions, hooks: RunHooks = {}): Promise<BacktestRun> {
  const minBars = opts.minBars ?? 1
  if (!(Number.isInteger(minBars) && minBars >= 1)) {
    throw new KestrelError('PARAM_INVALID', `backtest minBars: expected an integer >= 1, got ${minBars}`)
  }
  const { kernel } = buildBacktest(opts, hooks.wrapVenue)
  // FX series first: at equal times a rate is known before the bars and orders of that instant use it.
  const fx = opts.fx ?? []
  const nFx = fx.length
  const all = [...fx.map((f) => f.feed), ...opts.feeds]
  const checked = all.map((f) => (isBarFeed(f) ? new ValidatedFeed(f, minBars) : undefined))
  let refused = false
  for (const v of checked) if (v && (await v.prime()).length > 0) refused = true
  const reports = () => checked.filter((v) => v !== undefined).map((v) => v.report())
  if (refused) throw refusal(reports())
  const feeds = all.map((f, i) => checked[i]?.feed ?? f)
  const feedStates = opts.feeds.map((f) =>
    f.kind === 'quotes' || f.kind === 'trades' ? undefined : kernel.feed(f.instrumentId, f.timeframe),
  )
  const rf = typeof opts.riskFile === 'string' ? { path: opts.riskFile } : opts.riskFile
  const watch = rf ? watchRiskFile(rf.path, kernel.risk, rf.options) : undefined
  kernel.start()
  let n = 0
  const progress = opts.onProgress
  const base: EventSink = {
    bar: (bar, idx) => {
      if (idx < nFx) kernel.onFxBar(fx[idx]!.currency, bar)
      else kernel.onBar(bar, feedStates[idx - nFx])
      if ((progress || watch) && ++n % 65536 === 0) {
        progress?.(n)
        watch?.poll()
      }
    },
    barAt: (s, i, closeTime, idx) => {
      if (idx < nFx) kernel.onFxRate(fx[idx]!.currency, s.close[i]!, closeTime)
      else kernel.onBarAt(feedStates[idx - nFx]!, s, i, closeTime)
      if ((progress || watch) && ++n % 65536 === 0) {
        progress?.(n)
        watch?.poll()
      }
    },
    quote: (q) => kernel.onQuote(q),
    trade: (t) => kernel.onTrade(t),
  }
  try {
    await hooks.started?.(kernel, base)
    await mergeFeeds(feeds, hooks.sink ? hooks.sink(kernel, base) : base)
  } finally {
    watch?.close()
  }
  return { ...kernel.finish(), data: reports() }
}

function isBarFeed(f: Feed): f is BarFeed {
  return f.kind !== 'quotes' && f.kind !== 'trades'
}
