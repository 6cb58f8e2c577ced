/**
 * One running strategy instance: its {@link StrategyContext} (what the strategy may see and do) and the
 * handlers its definition created. The context reaches the kernel only through order commands, read-only
 * views and timers: no venue, no future data, no mode.
 */
import { KestrelError, Rng } from '../core/index.ts'
import type { AccountState, BarSeries, EpochMs, Instrument, Order, Position } from '../core/index.ts'
import type { BarInput, StreamingIndicator } from '../features/index.ts'
import {
  OrderFactory,
  type IndicatorOptions,
  type OrderCommand,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyHandlers,
} from '../strategy/index.ts'
import type { Kernel } from './kernel.ts'
import { guardHandlers, strategyError } from './strategy-errors.ts'

/** A strategy instance bound to a kernel. */
export class StrategyRuntime {
  readonly ctx: StrategyContext
  readonly handlers: StrategyHandlers

  constructor(
    readonly id: string,
    readonly definition: StrategyDefinition,
    params: unknown,
    instruments: readonly Instrument[],
    timeframes: readonly string[],
    kernel: Kernel,
  ) {
    const orders = new OrderFactory(id)
    const own = new Set(instruments.map((i) => i.id))
    const check = (instrumentId: string) => {
      if (!own.has(instrumentId))
        throw new KestrelError('ORDER_INVALID', `strategy ${id}: ${instrumentId} is not one of its instruments`)
    }
    const holder: { handlers?: StrategyHandlers } = {}
    const timerCb = (name: string, time: EpochMs) => holder.handlers?.onTimer?.(name.slice(id.length + 1), time)
    const ctx: StrategyContext = {
      id,
      params,
      instruments,
      timeframes,
      bus: kernel.bus,
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
        kernel.feed(inst, tf).indicators.push({ indicator, input: opts.input ?? 'close' })
        return indicator
      },
      history: (instrumentId: string, timeframe: string, n: number): BarSeries =>
        kernel.feed(instrumentId, timeframe).history(n),
      submit: (command: OrderCommand): string[] => {
        const list = Array.isArray(command) ? command : [command]
        for (const r of list as readonly { strategyId: string; instrumentId: string }[]) {
          if (r.strategyId !== id)
            throw new KestrelError('ORDER_INVALID', `strategy ${id}: cannot submit an order of ${r.strategyId}`)
          check(r.instrumentId)
        }
        return kernel.submitFor(command)
      },
      cancel: (clientOrderId: string) => {
        const o = kernel.execution.order(clientOrderId)
        if (!o || o.strategyId !== id)
          throw new KestrelError('ORDER_INVALID', `strategy ${id}: no order ${clientOrderId} of its own`)
        kernel.orders.cancel(clientOrderId)
      },
      cancelAll: (instrumentId?: string) => {
        for (const o of kernel.execution.openOrders(id, instrumentId)) kernel.orders.cancel(o.clientOrderId)
      },
      close: (instrumentId: string): string[] => {
        check(instrumentId)
        const q = kernel.portfolio.tracker(id, instrumentId).position.quantity
        if (q === 0) return []
        return kernel.submitFor(orders.market(instrumentId, q > 0 ? 'SELL' : 'BUY', Math.abs(q), { reduceOnly: true }))
      },
      position: (instrumentId: string): Readonly<Position> => kernel.portfolio.tracker(id, instrumentId).position,
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

/** A 32-bit seed from the run seed and a strategy id (FNV-1a), so each strategy gets its own stream. */
function seedFor(seed: number, id: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0
  return h
}
