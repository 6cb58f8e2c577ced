/**
 * The event bus. Topics are dot-separated (`order.filled`, `data.bar.AAPL.NASDAQ.1m`); a subscription pattern
 * may use `*` for one segment and `>` as the last segment for "one or more segments" (NATS style).
 *
 * Dispatch is synchronous and in subscription order, so a backtest is deterministic. Live code that needs to
 * do I/O subscribes through {@link EventBus.subscribeAsync}, whose handler runs on a serial queue per
 * subscription, away from the hot path. A bounded ring of recent events allows replay.
 */
import { KestrelError } from './errors.ts'

/** A topic name carrying its payload type (phantom), for typed publish/subscribe. */
export interface Topic<T> {
  readonly name: string
  /** Phantom field: never set, only carries `T`. */
  readonly __payload?: T
}

/** Declares a typed topic. */
export function topic<T>(name: string): Topic<T> {
  return { name }
}

/** An event as kept in the history ring. */
export interface BusEvent<T = unknown> {
  readonly seq: number
  readonly topic: string
  readonly payload: T
}

export type Handler<T> = (payload: T, topic: string) => void
export type AsyncHandler<T> = (payload: T, topic: string) => Promise<void> | void

interface Subscription {
  readonly id: number
  readonly pattern: string
  readonly parts: readonly string[]
  readonly handler: Handler<unknown>
}

/** Does `topic` match `pattern` (`*` one segment, trailing `>` one or more)? */
export function topicMatches(pattern: string, topicName: string): boolean {
  if (pattern === topicName || pattern === '>') return true
  return matchParts(pattern.split('.'), topicName.split('.'))
}

function matchParts(p: readonly string[], t: readonly string[]): boolean {
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]
    if (seg === '>') return i === p.length - 1 && t.length > i
    if (i >= t.length) return false
    if (seg !== '*' && seg !== t[i]) return false
  }
  return p.length === t.length
}

export interface EventBusOptions {
  /** How many recent events to keep for replay (0 disables history). Default 10,000. */
  historySize?: number
  /** Called when a synchronous handler throws. Default: rethrow (fail fast). */
  onHandlerError?: (error: unknown, topic: string) => void
}

/** Synchronous, deterministic publish/subscribe with wildcards and bounded history. */
export class EventBus {
  private subs: Subscription[] = []
  private nextId = 1
  private seq = 0
  private readonly cache = new Map<string, Subscription[]>()
  private readonly historySize: number
  private readonly ring: (BusEvent | undefined)[]
  private readonly onHandlerError?: (error: unknown, topic: string) => void
  private readonly pending = new Set<Promise<void>>()

  constructor(opts: EventBusOptions = {}) {
    this.historySize = opts.historySize ?? 10_000
    this.ring = new Array(this.historySize)
    this.onHandlerError = opts.onHandlerError
  }

  /** Subscribes a handler; returns a function that unsubscribes it. */
  subscribe<T>(pattern: string | Topic<T>, handler: Handler<T>): () => void {
    const p = typeof pattern === 'string' ? pattern : pattern.name
    if (p.length === 0 || p.split('.').some((s) => s.length === 0)) {
      throw new KestrelError('PARAM_INVALID', `bus pattern ${JSON.stringify(p)}: empty segment`)
    }
    const sub: Subscription = {
      id: this.nextId++,
      pattern: p,
      parts: p.split('.'),
      handler: handler as Handler<unknown>,
    }
    this.subs.push(sub)
    this.cache.clear()
    return () => {
      this.subs = this.subs.filter((s) => s.id !== sub.id)
      this.cache.clear()
    }
  }

  /**
   * Subscribes an async handler. Events are handed to it in order, one at a time, on a queue of its own, so a
   * slow consumer (a database, a socket) never blocks synchronous dispatch. {@link drain} waits for all queues.
   */
  subscribeAsync<T>(pattern: string | Topic<T>, handler: AsyncHandler<T>, onError?: (e: unknown) => void): () => void {
    let tail: Promise<void> = Promise.resolve()
    return this.subscribe<T>(pattern, (payload, t) => {
      const p = tail
        .then(() => handler(payload, t))
        .catch((e: unknown) => (onError ? onError(e) : this.reportAsync(e, t)))
      tail = p
      this.pending.add(p)
      void p.finally(() => this.pending.delete(p))
    })
  }

  /** The subscriptions matching a topic (cached until the subscriptions change). */
  private matching(t: string): Subscription[] {
    let list = this.cache.get(t)
    if (list === undefined) {
      const parts = t.split('.')
      list = this.subs.filter((s) => s.pattern === t || s.pattern === '>' || matchParts(s.parts, parts))
      this.cache.set(t, list)
    }
    return list
  }

  /**
   * True when publishing on `topicName` would reach anyone: a subscriber, or the history ring. Publishers of
   * costly payloads ask first and build nothing for an event no one would see.
   */
  wants(topicName: string): boolean {
    return this.historySize > 0 || this.matching(topicName).length > 0
  }

  /** Publishes synchronously to every matching subscriber, in subscription order. */
  publish<T>(topicName: string | Topic<T>, payload: T): void {
    const t = typeof topicName === 'string' ? topicName : topicName.name
    const seq = ++this.seq
    if (this.historySize > 0) this.ring[seq % this.historySize] = { seq, topic: t, payload }
    const list = this.matching(t)
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!
      try {
        s.handler(payload, t)
      } catch (e) {
        if (this.onHandlerError) this.onHandlerError(e, t)
        else throw e
      }
    }
  }

  /** Number of events published so far (the last sequence number). */
  get sequence(): number {
    return this.seq
  }

  /** Recent events matching `pattern` with seq > `afterSeq`, oldest first (bounded by the history size). */
  history(pattern = '>', afterSeq = 0): BusEvent[] {
    const out: BusEvent[] = []
    const first = Math.max(afterSeq + 1, this.seq - this.historySize + 1, 1)
    for (let s = first; s <= this.seq; s++) {
      const e = this.ring[s % this.historySize]
      if (e && e.seq === s && topicMatches(pattern, e.topic)) out.push(e)
    }
    return out
  }

  /** Replays recent events matching `pattern` to `handler` (e.g. a dashboard that connects late). */
  replay<T>(pattern: string, handler: Handler<T>, afterSeq = 0): number {
    const events = this.history(pattern, afterSeq)
    for (const e of events) handler(e.payload as T, e.topic)
    return events.length
  }

  /** Waits until every async subscriber has handled every event published so far. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  private reportAsync(e: unknown, t: string): void {
    if (this.onHandlerError) this.onHandlerError(e, t)
    else
      queueMicrotask(() => {
        throw e
      })
  }
}

/**
 * Topic roots a strategy may publish on: `signal.<...>` (its signals, e.g. `signal.momentum.AAPL.NASDAQ`) and
 * `alert.<...>` (scanner and strategy alerts). Every other topic (`order.*`, `position.*`, `risk.*`, `data.*`,
 * ...) is published by the engine alone, so nothing a strategy publishes can look like an order event or a risk
 * decision.
 */
export const STRATEGY_TOPIC_ROOTS: readonly string[] = Object.freeze(['signal', 'alert'])

/** What a strategy gets of the bus: everything to read and subscribe, and publishing on its own topics only. */
export interface StrategyBus {
  /** Subscribes to any topic (see {@link EventBus.subscribe}). */
  subscribe<T>(pattern: string | Topic<T>, handler: Handler<T>): () => void
  /** Subscribes an async handler (see {@link EventBus.subscribeAsync}). */
  subscribeAsync<T>(pattern: string | Topic<T>, handler: AsyncHandler<T>, onError?: (e: unknown) => void): () => void
  /** Publishes on `signal.>` or `alert.>`; any other topic throws PARAM_INVALID. */
  publish<T>(topicName: string | Topic<T>, payload: T): void
  /** Recent events (copies of the history entries). */
  history(pattern?: string, afterSeq?: number): BusEvent[]
  replay<T>(pattern: string, handler: Handler<T>, afterSeq?: number): number
  readonly sequence: number
}

/** True when a strategy may publish on `topicName` (its first segment is a strategy root, and it has more). */
export function isStrategyTopic(topicName: string): boolean {
  const dot = topicName.indexOf('.')
  if (dot <= 0 || dot === topicName.length - 1) return false
  const root = topicName.slice(0, dot)
  return STRATEGY_TOPIC_ROOTS.includes(root) && !/[*>]/.test(topicName) && !topicName.split('.').includes('')
}

/** The strategies' view of `bus`: a frozen object of closures (it holds no reachable reference to `bus`). */
export function strategyBus(bus: EventBus): StrategyBus {
  return Object.freeze({
    subscribe: <T>(pattern: string | Topic<T>, handler: Handler<T>) => bus.subscribe(pattern, handler),
    subscribeAsync: <T>(pattern: string | Topic<T>, handler: AsyncHandler<T>, onError?: (e: unknown) => void) =>
      bus.subscribeAsync(pattern, handler, onError),
    publish: <T>(topicName: string | Topic<T>, payload: T) => {
      const t = typeof topicName === 'string' ? topicName : topicName?.name
      if (typeof t !== 'string' || !isStrategyTopic(t))
        throw new KestrelError(
          'PARAM_INVALID',
          `bus: a strategy may publish only on ${STRATEGY_TOPIC_ROOTS.map((r) => `${r}.>`).join(' or ')}, not ${JSON.stringify(t)}`,
        )
      bus.publish(t, payload)
    },
    history: (pattern?: string, afterSeq?: number) => bus.history(pattern, afterSeq).map((e) => ({ ...e })),
    replay: <T>(pattern: string, handler: Handler<T>, afterSeq?: number) => bus.replay(pattern, handler, afterSeq),
    get sequence() {
      return bus.sequence
    },
  })
}
