/**
 * One running strategy instance: its {@link StrategyContext} (what the strategy may see and do) and the
 * handlers its definition created. The context reaches the kernel only through order commands, read-only
 * views and timers: no venue, no future data, no mode. Everything it hands out is a frozen snapshot or a copy
 * (orders, positions, instruments), its bus publishes only on the strategy topics (`signal.>`, `alert.>`),
 * and its orders carry ids the engine issued to this strategy alone (owner `S<k>`, see `order-ids.ts`).
 */
import { KestrelError, Rng, makeSignal, strategyBus } from '../core/index.ts'
import type {
  AccountState,
  BarSeries,
  Clock,
  EpochMs,
  EventBus,
  Instrument,
  Order,
  OrderCommand,
  OrderRequest,
  Position,
  Signal,
  SignalInput,
} from '../core/index.ts'
import type { BarInput, StreamingIndicator } from '../features/index.ts'
import {
  OrderFactory,
  type IndicatorOptions,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyHandlers,
} from '../strategy/index.ts'
import { strategyOwner, type ExecutionEngine, type OrderManager } from '../execution/index.ts'
import type { Portfolio } from '../portfolio/index.ts'
import type { FeedState } from './feed.ts'
import { positionView } from './position-view.ts'
import { guardHandlers, strategyError } from './strategy-errors.ts'

/** What a strategy runtime needs of the kernel that hosts it (the kernel implements it). */
export interface StrategyHost {
  readonly bus: EventBus
  readonly clock: Clock
  /** Seed of the strategies' random streams. */
  readonly seed: number
  readonly execution: ExecutionEngine
  readonly orders: OrderManager
  readonly portfolio: Portfolio
  /** The state of a bar feed, or DATA_NOT_FOUND. */
  feed(instrumentId: string, timeframe: string): FeedState
  logLine(message: string, fields: Record<string, unknown>): void
  /** Takes a checked signal of this strategy (the framework turns it into targets). */
  emitSignal(signal: Signal): void
}

/** A strategy instance bound to a kernel. */
export class StrategyRuntime {
  readonly ctx: StrategyContext
  readonly handlers: StrategyHandlers

  /** Owner token of this strategy's order ids (`S<k>`). */
  readonly owner: string

  constructor(
    readonly id: string,
    ordinal: number,
    readonly definition: StrategyDefinition,
    params: unknown,
    instruments: readonly Instrument[],
    timeframes: readonly string[],
    kernel: StrategyHost,
  ) {
    const owner = strategyOwner(ordinal)
    this.owner = owner
    const ids = kernel.execution.ids
    const orders = new OrderFactory(id, { order: ids.source(owner), group: ids.groupSource(owner) })
    const mine = (clientOrderId: string) => ids.ownerOf(clientOrderId) === owner
    const own = new Set(instruments.map((i) => i.id))
    // The strategy's own frozen copies: changing one cannot reach the venue's or risk's instrument.
    const views = Object.freeze(instruments.map((i) => frozenCopy(i)))
    const check = (instrumentId: string) => {
      if (!own.has(instrumentId))
        throw new KestrelError('ORDER_INVALID', `strategy ${id}: ${instrumentId} is not one of its instruments`)
    }
    const holder: { handlers?: StrategyHandlers } = {}
    const timerCb = (name: string, time: EpochMs) => holder.handlers?.onTimer?.(name.slice(id.length + 1), time)
    const ctx: StrategyContext = {
      id,
      params,
      instruments: views,
      timeframes: [...timeframes],
      bus: strategyBus(kernel.bus),
      orders,
      rng: new Rng(seedFor(kernel.seed, id)),
      now: () => kernel.clock.now(),
      indicator<T extends StreamingIndicator<number, unknown> | StreamingIndicator<BarInput, unknown>>(
        indicator: T,
        opts: IndicatorOptions = {},
      ): T {
        const inst = opts.instrumentId ?? instruments[0]?.id
        const tf = opts.timeframe ?? timeframes[0]
        if (inst === undefined || tf === undefined)
          throw new KestrelError('STRATEGY_INVALID', `strategy ${id}: indicator needs an instrument and a timeframe`)
        kernel.feed(inst, tf).indicators.push({ indicator, input: opts.input ?? 'close', strategyId: id })
        return indicator
      },
      history: (instrumentId: string, timeframe: string, n: number): BarSeries =>
        kernel.feed(instrumentId, timeframe).history(n),
      submit: (command: OrderCommand): string[] => {
        // Execution's plain drafts first: every later read (these checks, the id claim, risk, execution) sees one value.
        const x = kernel.execution
        if (!Array.isArray(command)) {
          const d = x.draft(command as OrderRequest)
          if (d.strategyId !== id)
            throw new KestrelError('ORDER_INVALID', `strategy ${id}: cannot submit an order of ${d.strategyId}`)
          check(d.instrumentId)
          return kernel.orders.submitDrafts(d, owner)
        }
        const list = (command as readonly OrderRequest[]).map((r) => x.draft(r))
        for (const r of list) {
          if (r.strategyId !== id)
            throw new KestrelError('ORDER_INVALID', `strategy ${id}: cannot submit an order of ${r.strategyId}`)
          check(r.instrumentId)
        }
        return kernel.orders.submitDrafts(list, owner)
      },
      emit: (input: SignalInput): Signal => {
        const s = makeSignal(input, id, kernel.clock.now())
        check(s.instrumentId)
        kernel.emitSignal(s)
        return s
      },
      cancel: (clientOrderId: string) => {
        // Only orders this strategy sent: never risk's flatten or reduce orders on its position.
        const o = kernel.execution.order(clientOrderId)
        if (!o || o.strategyId !== id || !mine(clientOrderId))
          throw new KestrelError('ORDER_INVALID', `strategy ${id}: no order ${clientOrderId} of its own`)
        kernel.orders.cancel(clientOrderId)
      },
      cancelAll: (instrumentId?: string) => {
        for (const o of kernel.execution.openOrders(id, instrumentId))
          if (mine(o.clientOrderId)) kernel.orders.cancel(o.clientOrderId)
      },
      close: (instrumentId: string): string[] => {
        check(instrumentId)
        const q = kernel.portfolio.tracker(id, instrumentId).position.quantity
        if (q === 0) return []
        return kernel.orders.submit(
          orders.market(instrumentId, q > 0 ? 'SELL' : 'BUY', Math.abs(q), { reduceOnly: true }),
          owner,
        )
      },
      position: (instrumentId: string): Readonly<Position> =>
        positionView(kernel.portfolio.tracker(id, instrumentId).position),
      openOrders: (instrumentId?: string): readonly Readonly<Order>[] => kernel.execution.openOrders(id, instrumentId),
      account: (): AccountState => kernel.portfolio.state(kernel.clock.now()),
      lastPrice: (instrumentId: string) => kernel.portfolio.bookOf(instrumentId).lastPrice,
      setTimer: (name: string, at: EpochMs, intervalMs?: number) => {
        if (intervalMs !== undefined) kernel.clock.setInterval(`${id}:${name}`, intervalMs, timerCb, at - intervalMs)
        else kernel.clock.setTimer(`${id}:${name}`, at, timerCb)
      },
      cancelTimer: (name: string) => kernel.clock.cancelTimer(`${id}:${name}`),
      log: (message: string, fields: Record<string, unknown> = {}) =>
        kernel.logLine(message, { strategy: id, ...fields }),
    }
    this.ctx = ctx
    let created: StrategyHandlers
    try {
      created = definition.create(ctx)
    } catch (e) {
      throw strategyError(id, 'create(ctx)', 'before the first bar', e)
    }
    if (!created || typeof created !== 'object')
      throw new KestrelError(
        'STRATEGY_INVALID',
        `strategy ${definition.name}: create(ctx) must return an object of handlers`,
      )
    const handlers = guardHandlers(id, created, () => kernel.clock.now())
    holder.handlers = handlers
    this.handlers = handlers
  }
}

/** A frozen deep copy of plain data (instruments are small trees of it); spread keeps the copies fast objects. */
function frozenCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return Object.freeze(v.map((x: unknown) => frozenCopy(x))) as T
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) }
  for (const k of Object.keys(out)) if (out[k] !== null && typeof out[k] === 'object') out[k] = frozenCopy(out[k])
  return Object.freeze(out) as T
}

/** A 32-bit seed from the run seed and a strategy id (FNV-1a), so each strategy gets its own stream. */
function seedFor(seed: number, id: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0
  return h
}
