/**
 * The Strategy API. A strategy is plain code that reacts to market data and order events through its
 * {@link StrategyContext}. It sees the bus, its instruments, indicators and history, and an order factory; it
 * never sees a venue, the future, or whether it runs in a backtest, paper or live.
 */
import type { z } from 'zod'
import type {
  Bar,
  BarSeries,
  EpochMs,
  Instrument,
  Order,
  OrderCommand,
  OrderEvent,
  Position,
  Quote,
  TradeTick,
  AccountState,
  Rng,
  Signal,
  SignalInput,
  StrategyBus,
} from '../core/index.ts'
import type { StreamingIndicator, BarInput } from '../features/index.ts'
import type { OrderFactory } from './order-factory.ts'

// Order commands and events are core vocabulary (execution and risk use them); re-exported here unchanged.
export type { OrderCommand, OrderEvent, OrderEventKind } from '../core/index.ts'

/** Where a registered indicator reads its input: a bar field, the whole bar, or a function of the bar. */
export type IndicatorInput = 'open' | 'high' | 'low' | 'close' | 'volume' | 'bar' | ((bar: Bar) => number)

/** Options of {@link StrategyContext.indicator}. Defaults: the strategy's first instrument and timeframe, close. */
export interface IndicatorOptions {
  readonly instrumentId?: string
  readonly timeframe?: string
  readonly input?: IndicatorInput
}

/** What a strategy may see and do. Implemented by the engine; identical in backtest, paper and live. */
export interface StrategyContext<P = unknown> {
  /** This strategy instance's id (unique within a run). */
  readonly id: string
  /** Validated parameters. */
  readonly params: P
  /** Instruments this strategy trades, in configuration order. */
  readonly instruments: readonly Instrument[]
  /** Timeframes it subscribes to, finest first. */
  readonly timeframes: readonly string[]
  /**
   * The message bus: subscribe to anything (order, fill, position and risk events; `data.*` when market data
   * publishing is on); publish only on `signal.>` and `alert.>` (the engine alone publishes system topics).
   * Every payload is frozen.
   */
  readonly bus: StrategyBus
  /** Builds order requests stamped with this strategy's id. */
  readonly orders: OrderFactory
  /** Random numbers seeded from the run's seed and this strategy's id: reruns draw the same values. */
  readonly rng: Rng
  /** The current time (simulated in a backtest). */
  now(): EpochMs
  /**
   * Registers a streaming indicator fed by every bar of one instrument and timeframe; it is updated before
   * the strategy's `onBar` sees that bar. Returns the same indicator.
   */
  indicator<T extends StreamingIndicator<number, unknown> | StreamingIndicator<BarInput, unknown>>(
    indicator: T,
    opts?: IndicatorOptions,
  ): T
  /** The last `n` bars (oldest first) up to and including the latest closed one; fewer at the start. */
  history(instrumentId: string, timeframe: string, n: number): BarSeries
  /** Submits an order or an order group through risk to execution; returns the client order ids. */
  submit(command: OrderCommand): string[]
  /**
   * Emits a signal on one of its instruments instead of (or beside) sending orders: the run's framework
   * (portfolio construction, risk on targets, an execution model) turns the active signals into orders. The
   * latest signal per instrument replaces the previous one; `FLAT` withdraws it. Returns the stamped signal.
   */
  emit(signal: SignalInput): Signal
  /** Requests cancellation of one of its own open orders (through risk); never one of risk's. */
  cancel(clientOrderId: string): void
  /** Cancels every open order of this strategy (optionally for one instrument). */
  cancelAll(instrumentId?: string): void
  /** Closes this strategy's position in an instrument with a market order (no-op when flat). */
  close(instrumentId: string): string[]
  /** A frozen snapshot of this strategy's position in an instrument (quantity 0 when flat). */
  position(instrumentId: string): Readonly<Position>
  /** Frozen snapshots of this strategy's open (non-terminal) orders, risk's own orders on its positions included. */
  openOrders(instrumentId?: string): readonly Readonly<Order>[]
  /** A snapshot of the (possibly shared) account. */
  account(): AccountState
  /** Last known price of an instrument (last close, trade or mid), NaN if none yet. */
  lastPrice(instrumentId: string): number
  /** Fires `onTimer(name)` once at `at`, or every `intervalMs` when given. */
  setTimer(name: string, at: EpochMs, intervalMs?: number): void
  cancelTimer(name: string): void
  /** Structured log line, tagged with the strategy id. */
  log(message: string, fields?: Record<string, unknown>): void
}

/** The event handlers of a running strategy instance. All optional. */
export interface StrategyHandlers {
  onStart?(): void
  onStop?(): void
  /**
   * A closed bar of one of its feeds. The bar is valid during the call: a backtest fed from columns hands every
   * strategy the feed's one bar object, rewritten for the next bar, so keep a copy (`{ ...bar }`) or use
   * `ctx.history` to look back.
   */
  onBar?(bar: Bar): void
  onQuote?(quote: Quote): void
  onTrade?(trade: TradeTick): void
  onOrderEvent?(event: OrderEvent): void
  onPositionChanged?(position: Readonly<Position>): void
  onTimer?(name: string, time: EpochMs): void
}

/** A strategy definition: a name, a parameter schema, and a factory of handlers with state in their closure. */
export interface StrategyDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string
  readonly description?: string
  readonly params: S
  /** Called once per instance before data flows: register indicators here and return the handlers. */
  create(ctx: StrategyContext<z.output<S>>): StrategyHandlers
}
