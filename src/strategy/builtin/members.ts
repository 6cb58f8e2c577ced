/**
 * Member strategies of a meta-strategy (`ensemble`, `regime-switch`). Each member is created with a context of
 * its own that forwards everything a signal source needs (instruments, indicators, history, the bus, timers,
 * the clock) to its host's context, but keeps its signals: `emit` is captured, checked and kept per
 * instrument for the host to combine, and never reaches the framework. Members are signal sources only:
 * `submit`, `close` and `cancel` throw STRATEGY_INVALID (a member's orders would bypass the host's weighting),
 * `cancelAll` does nothing and `openOrders` is empty. Each member draws from its own random stream, seeded from
 * the host's seed and the member's name.
 */
import { z } from 'zod'
import { KestrelError, Rng, makeSignal, signalActive, signalSign } from '../../core/index.ts'
import type { Bar, EpochMs, OrderEvent, Position, Quote, Signal, SignalInput, TradeTick } from '../../core/index.ts'
import { isStrategyDefinition, parseStrategyParams } from '../define.ts'
import type { StrategyContext, StrategyDefinition, StrategyHandlers } from '../types.ts'

/** Finds a strategy definition by name (the built-ins), or undefined. */
export type StrategyLookup = (name: string) => StrategyDefinition | undefined

/** The schema of one member: a strategy (a built-in's name, or a definition in code), its params, its name. */
export const memberSchema = z.strictObject({
  strategy: z
    .union([
      z.string().min(1),
      z.custom<StrategyDefinition>((v) => isStrategyDefinition(v), { message: 'a strategy definition' }),
    ])
    .describe('a built-in strategy name, or (in code) a strategy definition'),
  params: z.record(z.string(), z.unknown()).default({}).describe("the member's parameters"),
  name: z.string().min(1).optional().describe("the member's name in reports (default: the strategy's name)"),
})

/** One member as configured. */
export type MemberSpec = z.input<typeof memberSchema>

/** A running member: its name, its handlers and the signals it emitted, per instrument. */
interface Member {
  readonly name: string
  readonly handlers: StrategyHandlers
  readonly signals: Map<string, Signal>
  /** Bumped on every emit: a host re-reads a member's signal only when it changed. */
  version: number
}

/** The members of one host strategy, created once in the host's `create`. */
export class MemberSet {
  private readonly members: Member[] = []
  /** Names in configuration order. */
  readonly names: readonly string[]

  constructor(
    private readonly host: StrategyContext,
    specs: readonly z.output<typeof memberSchema>[],
    lookup: StrategyLookup,
    kind: string,
  ) {
    const names: string[] = []
    const where = `${kind} ${host.id}`
    specs.forEach((spec, k) => {
      const def = typeof spec.strategy === 'string' ? lookup(spec.strategy) : spec.strategy
      if (!def)
        throw new KestrelError('PARAM_INVALID', `${where}: member ${k + 1}: no built-in strategy ${spec.strategy}`, {
          strategy: host.id,
          member: k,
        })
      const name = spec.name ?? def.name
      if (names.includes(name))
        throw new KestrelError('PARAM_INVALID', `${where}: two members are named ${name}; give each a distinct name:`, {
          strategy: host.id,
          member: k,
        })
      names.push(name)
      let params: unknown
      try {
        params = parseStrategyParams(def, spec.params)
      } catch (e) {
        const err = e as KestrelError
        throw new KestrelError(err.code ?? 'PARAM_INVALID', `${where}: member ${name}: ${err.message}`, {
          ...err.details,
          member: name,
        })
      }
      const m: Member = { name, handlers: {}, signals: new Map(), version: 0 }
      const handlers = def.create(this.memberContext(m, k, params, where))
      if (!handlers || typeof handlers !== 'object')
        throw new KestrelError('STRATEGY_INVALID', `${where}: member ${name}: create(ctx) must return handlers`)
      ;(m as { handlers: StrategyHandlers }).handlers = handlers
      this.members.push(m)
    })
    this.names = names
  }

  private memberContext(m: Member, k: number, params: unknown, where: string): StrategyContext {
    const host = this.host
    const id = `${host.id}/${m.name}`
    const own = new Set(host.instruments.map((i) => i.id))
    const refuse = (what: string) => () => {
      throw new KestrelError(
        'STRATEGY_INVALID',
        `${where}: member ${m.name} called ${what}; members are signal sources (ctx.emit) and the host trades`,
        { strategy: host.id, member: m.name },
      )
    }
    const prefix = `m${k}:`
    return Object.freeze({
      id,
      params,
      instruments: host.instruments,
      timeframes: host.timeframes,
      bus: host.bus,
      orders: host.orders,
      rng: new Rng(seedFor(host.rng.seed, m.name)),
      now: () => host.now(),
      indicator: ((ind, opts) => host.indicator(ind, opts)) as StrategyContext['indicator'],
      history: (instrumentId: string, timeframe: string, n: number) => host.history(instrumentId, timeframe, n),
      submit: refuse('submit()'),
      emit: (input: SignalInput): Signal => {
        const s = makeSignal(input, id, host.now())
        if (!own.has(s.instrumentId))
          throw new KestrelError(
            'ORDER_INVALID',
            `${where}: member ${m.name}: ${s.instrumentId} is not one of its instruments`,
          )
        m.signals.set(s.instrumentId, s)
        m.version++
        return s
      },
      cancel: refuse('cancel()'),
      cancelAll: () => undefined,
      close: refuse('close()'),
      position: (instrumentId: string): Readonly<Position> => host.position(instrumentId),
      openOrders: () => [],
      account: () => host.account(),
      lastPrice: (instrumentId: string) => host.lastPrice(instrumentId),
      setTimer: (name: string, at: EpochMs, intervalMs?: number) => host.setTimer(prefix + name, at, intervalMs),
      cancelTimer: (name: string) => host.cancelTimer(prefix + name),
      log: (message: string, fields: Record<string, unknown> = {}) => host.log(message, { member: m.name, ...fields }),
    })
  }

  /** Number of members. */
  get size(): number {
    return this.members.length
  }

  /** Member `k`'s latest signal on an instrument while it is active (FLAT included), else undefined. */
  signal(k: number, instrumentId: string): Signal | undefined {
    const s = this.members[k]!.signals.get(instrumentId)
    return s && signalActive(s, this.host.now()) ? s : undefined
  }

  /** Member `k`'s exposure on an instrument: sign × strength of its active signal, 0 without one. */
  exposure(k: number, instrumentId: string): number {
    const s = this.signal(k, instrumentId)
    return s ? signalSign(s) * (s.strength ?? 1) : 0
  }

  /** How many times member `k` has emitted. */
  version(k: number): number {
    return this.members[k]!.version
  }

  onStart(): void {
    for (const m of this.members) m.handlers.onStart?.()
  }
  onStop(): void {
    for (const m of this.members) m.handlers.onStop?.()
  }
  onBar(bar: Bar): void {
    for (const m of this.members) m.handlers.onBar?.(bar)
  }
  onQuote(q: Quote): void {
    for (const m of this.members) m.handlers.onQuote?.(q)
  }
  onTrade(t: TradeTick): void {
    for (const m of this.members) m.handlers.onTrade?.(t)
  }
  onOrderEvent(e: OrderEvent): void {
    for (const m of this.members) m.handlers.onOrderEvent?.(e)
  }
  onPositionChanged(p: Readonly<Position>): void {
    for (const m of this.members) m.handlers.onPositionChanged?.(p)
  }
  /** Routes a host timer set by a member (`m<k>:<name>`) to it; false for the host's own timers. */
  onTimer(name: string, time: EpochMs): boolean {
    const hit = /^m(\d+):(.*)$/s.exec(name)
    if (!hit) return false
    this.members[Number(hit[1])]?.handlers.onTimer?.(hit[2]!, time)
    return true
  }

  /** Handlers that forward every event to the members (a host adds its own work around them). */
  forwarders(): Required<
    Pick<
      StrategyHandlers,
      'onStart' | 'onStop' | 'onQuote' | 'onTrade' | 'onOrderEvent' | 'onPositionChanged' | 'onTimer'
    >
  > {
    return {
      onStart: () => this.onStart(),
      onStop: () => this.onStop(),
      onQuote: (q) => this.onQuote(q),
      onTrade: (t) => this.onTrade(t),
      onOrderEvent: (e) => this.onOrderEvent(e),
      onPositionChanged: (p) => this.onPositionChanged(p),
      onTimer: (name, time) => void this.onTimer(name, time),
    }
  }
}

/** A 32-bit seed from the host's seed and a member's name (FNV-1a). */
function seedFor(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h
}
