/**
 * The live node: the kernel on the wall clock, trading through a remote venue's {@link ReconcilingClient} and
 * fed by a {@link DataClient}, journal first (see `node-journal.ts`). At start it replays its journal, starts
 * the venue client, reconciles (never taking a missing report to mean flat), and only then subscribes to data.
 *
 * - Every venue report is journaled before the kernel acts on it. A fill id seen before is a duplicate (counted,
 *   not applied); a report the order's state refuses, a fill of an unknown or closed order, or a report of an
 *   unknown order halts new risk and says exactly what.
 * - An order without an acknowledgement after `ackTimeoutMs` is in "outcome unknown": the node asks the venue;
 *   an order the venue never saw is sent again under the same client order id (the venue refuses a second
 *   order with one id), up to three times, then new risk halts while it keeps asking. A timeout never makes an
 *   order terminal.
 * - Reconciliation (at start, after every reconnect, every `reconcileEveryMs`): each open order is asked for and
 *   caught up from the venue's own state and fills (journaled as reports with `source: reconcile`); fills since
 *   the last one seen are fetched; the venue's open orders and positions are compared. A difference it cannot
 *   explain halts new risk (NODE_HALTED names it); the node never invents a fill.
 * - A lost venue connection or a feed silent for `staleFeedMs` halts new risk; the feed halt lifts itself when
 *   data returns, the venue halt once a reconciliation after the reconnect is clean, a reconciliation halt only
 *   by a person (`resume`).
 */
import { KestrelError, SimulatedClock, isKestrelError } from '../../core/index.ts'
import type {
  Bar,
  DataClient,
  EpochMs,
  EventBus,
  ExecutionReport,
  Fill,
  Instrument,
  Order,
  Position,
  ReconcilingClient,
  VenueOrder,
} from '../../core/index.ts'
import type { AccountConfig } from '../../portfolio/index.ts'
import { LimitsRiskEngine, type Rearm } from '../../risk/index.ts'
import type { FrameworkSpec } from '../framework.ts'
import type { FeedState } from '../feed.ts'
import { Kernel, type StrategySpec } from '../kernel.ts'
import type { BacktestResult } from '../results.ts'
import { FileJournal, type Durability, type JournalRecord } from '../journal/index.ts'
import { NodeGuard } from './guard.ts'
import { NodeJournal } from './node-journal.ts'
import type { NodeControl, NodeStatus } from './paper.ts'
import {
  NODE_RECORD,
  barFromRecord,
  barRecord,
  reportFromRecord,
  reportRecord,
  type ControlRecord,
  type StartRecord,
} from './records.ts'
import { JournaledRemoteVenue } from './remote-venue.ts'

/** A resubmission of an order whose outcome was unknown (same client order id). */
export const RESUBMIT_RECORD = 'cmd.resubmit'

/** Everything a live node needs. */
export interface LiveNodeOptions {
  readonly instruments: readonly Instrument[]
  readonly strategies: readonly StrategySpec[]
  readonly account: AccountConfig
  /** The limits engine (with the kill switch); default: no limits, kill switch only. */
  readonly risk?: LimitsRiskEngine
  readonly framework?: FrameworkSpec
  readonly bus?: EventBus
  readonly seed?: number
  /** Default `N1`. */
  readonly nodeId?: string
  /** The venue (every instrument trades there). */
  readonly client: ReconcilingClient
  readonly data: DataClient
  /** The bar feeds to subscribe to, in order (a journaled bar names its feed by this index). */
  readonly feeds: readonly { readonly instrumentId: string; readonly timeframe: string }[]
  readonly journal: string
  readonly durability?: Durability
  /** Fingerprint of what the node runs; a journal of another refuses to replay. */
  readonly fingerprint: string
  /** `live` (default) or `paper` (a simulated venue behind the same client interface). */
  readonly mode?: 'live' | 'paper'
  /** The wall clock, ms (default `Date.now`). */
  readonly now?: () => EpochMs
  /** Reconcile every this many ms while running (default 30,000; 0: at start and after reconnects only). */
  readonly reconcileEveryMs?: number
  /** An order unacknowledged this long is asked for (default 5,000 ms). */
  readonly ackTimeoutMs?: number
  /** Halt new risk when a feed has had no bar this long (default: never). */
  readonly staleFeedMs?: number
  /** On stop: cancel working orders (default) or leave them at the venue. */
  readonly onStop?: 'cancel' | 'leave'
  /** How long start keeps trying to reach the venue and reconcile (default 60,000 ms). */
  readonly startTimeoutMs?: number
  /** Log lines (halts, duplicates, resubmissions). */
  readonly log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void
}

/** Counters of what the node saw. */
export interface LiveCounters {
  reports: number
  duplicateFills: number
  resubmits: number
  reconciliations: number
  reconciledReports: number
  quarantinedBars: number
}

/** A running live node; see the file header. */
export class LiveNode {
  readonly kernel: Kernel
  readonly guard: NodeGuard
  readonly venue: JournaledRemoteVenue
  readonly counters: LiveCounters = {
    reports: 0,
    duplicateFills: 0,
    resubmits: 0,
    reconciliations: 0,
    reconciledReports: 0,
    quarantinedBars: 0,
  }
  private readonly file: FileJournal
  private readonly journal: NodeJournal
  private readonly existing: JournalRecord[]
  private readonly clock: SimulatedClock
  private readonly now: () => EpochMs
  private readonly nodeId: string
  private readonly feedStates: FeedState[]
  private readonly lastBar: EpochMs[]
  private readonly lastBarWall: number[]
  private readonly seenFills = new Set<string>()
  private readonly attempts = new Map<string, number>()
  private state: NodeStatus['state'] = 'replaying'
  private timers: NodeJS.Timeout[] = []
  private reconciling: Promise<string[]> | undefined
  private lastFillTime = -Infinity

  constructor(private readonly opts: LiveNodeOptions) {
    this.nodeId = opts.nodeId ?? 'N1'
    this.now = opts.now ?? (() => Date.now())
    this.guard = new NodeGuard(opts.risk ?? new LimitsRiskEngine({}))
    this.existing = []
    this.file = FileJournal.open(opts.journal, { durability: opts.durability, onRecord: (r) => this.existing.push(r) })
    this.clock = new SimulatedClock(0)
    this.journal = new NodeJournal(this.file, this.existing, () => this.clock.now())
    this.venue = new JournaledRemoteVenue(opts.client, this.journal, (r) => this.onClientReport(r))
    try {
      this.kernel = new Kernel({
        clock: this.clock,
        instruments: opts.instruments,
        barFeeds: opts.feeds,
        venues: [this.venue],
        account: opts.account,
        strategies: opts.strategies,
        risk: this.guard,
        ...(opts.bus ? { bus: opts.bus } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        nodeId: this.nodeId,
        ...(opts.framework ? { framework: opts.framework } : {}),
      })
    } catch (e) {
      this.file.close()
      throw e
    }
    this.feedStates = opts.feeds.map((f) => this.kernel.feed(f.instrumentId, f.timeframe))
    this.lastBar = opts.feeds.map(() => -Infinity)
    this.lastBarWall = opts.feeds.map(() => NaN)
  }

  /** Replays the journal, starts the venue client, reconciles, then subscribes to data. */
  async start(): Promise<void> {
    try {
      await this.startOnce()
    } catch (e) {
      for (const t of this.timers) clearInterval(t)
      this.timers = []
      this.state = 'stopped'
      await this.opts.client.stop().catch(() => undefined)
      await this.opts.data.disconnect().catch(() => undefined)
      this.file.close()
      throw e
    }
  }

  private async startOnce(): Promise<void> {
    this.kernel.start()
    this.replay()
    const start: StartRecord = {
      nodeId: this.nodeId,
      fingerprint: this.opts.fingerprint,
      mode: this.opts.mode ?? 'live',
    }
    this.input(NODE_RECORD.start, start)
    this.state = 'running'
    this.opts.client.onConnection((up, reason) => this.onConnection(up, reason))
    // The venue may be down or cutting its streams right now: keep trying (nothing trades before reconciling).
    await this.retrying('connect to the venue', () => this.opts.client.start())
    await this.retrying('reconcile with the venue', () => this.reconcile())
    await this.retrying('connect to the market data', () => this.opts.data.connect())
    this.opts.feeds.forEach((f, i) => {
      this.lastBarWall[i] = this.now()
      this.opts.data.subscribeBars(f.instrumentId, f.timeframe, (bar) => this.onBar(bar, i))
    })
    const every = this.opts.reconcileEveryMs ?? 30_000
    if (every > 0) this.timers.push(setInterval(() => void this.reconcile().catch((e) => this.fail(e)), every))
    this.timers.push(setInterval(() => void this.checkInFlight().catch((e) => this.fail(e)), 250))
    if (this.opts.staleFeedMs !== undefined) this.timers.push(setInterval(() => this.checkFeeds(), 250))
    for (const t of this.timers) t.unref()
  }

  /** Runs `f` until it succeeds, backing off from 250 ms to 5 s, for at most `startTimeoutMs` (then throws). */
  private async retrying<T>(what: string, f: () => Promise<T>): Promise<T> {
    const until = performance.now() + (this.opts.startTimeoutMs ?? 60_000)
    for (let attempt = 1; ; attempt++) {
      try {
        return await f()
      } catch (e) {
        const env =
          isKestrelError(e) &&
          [
            'VENUE_UNAVAILABLE',
            'VENUE_TIMEOUT',
            'VENUE_RATE_LIMITED',
            'SERVICE_UNAVAILABLE',
            'PROVIDER_ERROR',
            'PROVIDER_TIMEOUT',
          ].includes(e.code)
        if (!env || performance.now() > until) throw e
        this.opts.log?.('warn', `node: could not ${what} (attempt ${attempt}): ${(e as Error).message}`, {})
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** (attempt - 1))))
      }
    }
  }

  /** Records handed to the kernel at start (0 on a fresh journal). */
  get replayed(): number {
    return this.existing.length
  }

  /** The journal's path. */
  get journalPath(): string {
    return this.file.path
  }

  private fail(e: unknown): void {
    this.opts.log?.('warn', `node: ${(e as Error).message}`, {})
  }

  private input(kind: string, data: unknown): JournalRecord {
    const t = this.now()
    if (t > this.clock.now()) this.clock.advanceTo(t)
    return this.journal.input(kind, data, this.clock.now())
  }

  private replay(): void {
    const path = this.file.path
    while (this.journal.replaying) {
      const r = this.journal.take()
      if (r.time > this.clock.now()) this.clock.advanceTo(r.time)
      switch (r.kind) {
        case NODE_RECORD.start: {
          const s = r.data as StartRecord
          if (s.nodeId !== this.nodeId || s.fingerprint !== this.opts.fingerprint)
            throw new KestrelError(
              'NODE_HALTED',
              `journal ${path}: written by node ${s.nodeId} running ${s.fingerprint.slice(0, 12)}, this is node ${this.nodeId} running ${this.opts.fingerprint.slice(0, 12)}: start a new journal`,
              { path, record: r.seq },
            )
          break
        }
        case NODE_RECORD.bar: {
          const { bar, feed } = barFromRecord(r.data as Record<string, unknown>)
          this.deliverBar(bar, feed)
          break
        }
        case NODE_RECORD.report:
          this.applyReport(reportFromRecord(r.data as Record<string, unknown>))
          break
        case NODE_RECORD.control:
          this.applyControl(r.data as ControlRecord)
          break
        case RESUBMIT_RECORD:
        case NODE_RECORD.stop:
          break
        default:
          throw new KestrelError(
            'NODE_HALTED',
            `journal ${path}: replay diverged at record ${r.seq}: the journal has ${r.kind} ${JSON.stringify(r.data)} that the node no longer produces; the strategies, their parameters or the code changed since it was written`,
            { path, record: r.seq },
          )
      }
    }
  }

  // ---- market data ----

  private onBar(bar: Bar, feed: number): void {
    if (this.state !== 'running') return
    const why = badBar(bar, this.lastBar[feed]!)
    this.lastBarWall[feed] = this.now()
    if (why !== undefined) {
      this.counters.quarantinedBars++
      this.input('md.quarantine', { ...barRecord(bar, feed), reason: why })
      this.opts.log?.('warn', `bar quarantined: ${why}`, { feed })
      return
    }
    this.input(NODE_RECORD.bar, barRecord(bar, feed))
    if (this.guard.halted.has('feed')) this.control({ action: 'resume', key: 'feed', by: 'node', reason: 'data again' })
    this.deliverBar(bar, feed)
  }

  private deliverBar(bar: Bar, feed: number): void {
    this.lastBar[feed] = bar.closeTime
    this.kernel.onBar(bar, this.feedStates[feed])
  }

  private checkFeeds(): void {
    const max = this.opts.staleFeedMs!
    const t = this.now()
    this.opts.feeds.forEach((f, i) => {
      const age = t - this.lastBarWall[i]!
      if (age > max && !this.guard.halted.has('feed'))
        this.control({
          action: 'halt',
          key: 'feed',
          by: 'node',
          reason: `no bar of ${f.instrumentId} ${f.timeframe} for ${Math.round(age)} ms (limit ${max} ms)`,
        })
    })
  }

  // ---- venue reports ----

  private onClientReport(r: ExecutionReport, source?: 'reconcile'): void {
    if (this.state === 'stopped') return
    this.counters.reports++
    this.input(NODE_RECORD.report, source ? { ...reportRecord(r), source } : reportRecord(r))
    this.applyReport(r)
  }

  private applyReport(r: ExecutionReport): void {
    const ex = this.kernel.execution
    if (r.kind === 'FILL') {
      const f = r.fill
      if (this.seenFills.has(f.fillId)) {
        this.counters.duplicateFills++
        return
      }
      this.seenFills.add(f.fillId)
      if (f.time > this.lastFillTime) this.lastFillTime = f.time
      const o = ex.order(f.clientOrderId)
      if (o === undefined || (o.status !== 'FILLED' && isClosed(o.status))) {
        this.haltFromReport(
          `venue fill ${f.fillId} of ${f.side} ${f.quantity} ${f.instrumentId} @ ${f.price} for ${o ? `order ${o.clientOrderId}, already ${o.status}` : `order ${f.clientOrderId} that this node has no record of`}`,
        )
        return
      }
      if (o.status === 'FILLED') {
        this.haltFromReport(`venue fill ${f.fillId} for order ${o.clientOrderId}, already FILLED here`)
        return
      }
    } else if (ex.order(r.clientOrderId) === undefined) {
      this.haltFromReport(`venue report ${r.kind} for order ${r.clientOrderId} that this node has no record of`)
      return
    }
    try {
      this.venue.deliver(r)
    } catch (e) {
      if (!isKestrelError(e, 'STATE_INVALID')) throw e
      this.haltFromReport(`venue report ${r.kind} refused by the order's state: ${e.message}`)
    }
  }

  /** A halt that follows from a journaled report: derived again by a replay, so not journaled itself. */
  private haltFromReport(reason: string): void {
    this.guard.halt('reconcile', reason)
    this.opts.log?.('warn', `node halted: ${reason}`, {})
  }

  // ---- control ----

  private applyControl(c: ControlRecord): void {
    const by = c.by ?? 'node'
    if (c.action === 'cancel-all')
      for (const o of this.kernel.execution.openOrders()) this.kernel.orders.cancel(o.clientOrderId)
    else if (c.action === 'kill') this.guard.limits.kill(`${c.reason} (by ${by})`)
    else if (c.action === 'rearm') this.guard.limits.rearm(by, c.reason)
    else if (c.action === 'halt') this.guard.halt(c.key ?? 'operator', `${c.reason} (by ${by})`)
    else this.guard.resume(c.key ?? 'operator')
  }

  private control(c: ControlRecord): void {
    this.input(NODE_RECORD.control, c)
    this.applyControl(c)
    if (c.action === 'halt') this.opts.log?.('warn', `node halted (${c.key ?? 'operator'}): ${c.reason}`, {})
  }

  /** The control interface (the control socket serves it). */
  readonly controls: NodeControl = {
    status: () => this.status(),
    orders: () => this.kernel.execution.openOrders(),
    positions: () => this.kernel.portfolio.positions().filter((p) => p.quantity !== 0) as Position[],
    kill: (by, reason) => this.control({ action: 'kill', by, reason }),
    rearm: (by, reason): Rearm => {
      if (!by.trim() || !reason.trim())
        throw new KestrelError('PARAM_INVALID', 'rearm: give who re-arms (--by) and why (--reason)')
      this.input(NODE_RECORD.control, { action: 'rearm', by, reason } satisfies ControlRecord)
      return this.guard.limits.rearm(by, reason)
    },
    halt: (by, reason) => this.control({ action: 'halt', key: 'operator', by, reason }),
    resume: (by, reason) => {
      // A person lifts every halt: operator, reconcile, venue and feed.
      for (const key of [...this.guard.halted.keys()]) this.control({ action: 'resume', key, by, reason })
    },
  }

  /** What `kestrel live status` shows. */
  status(): NodeStatus {
    return {
      nodeId: this.nodeId,
      mode: this.opts.mode ?? 'live',
      state: this.state,
      time: this.clock.now(),
      journal: { path: this.file.path, records: this.file.lastSeq, replayed: this.existing.length },
      halted: Object.fromEntries(this.guard.halted),
      openOrders: this.kernel.execution.openCount,
      equity: this.kernel.portfolio.equity(),
      risk: this.guard.limits.status(),
    }
  }

  // ---- outcome unknown, reconciliation ----

  private onConnection(up: boolean, reason?: string): void {
    if (this.state !== 'running') return
    if (!up) {
      if (!this.guard.halted.has('venue'))
        this.control({
          action: 'halt',
          key: 'venue',
          by: 'node',
          reason: `venue connection lost${reason ? `: ${reason}` : ''}`,
        })
      return
    }
    void this.reconcile()
      .then((diffs) => {
        if (diffs.length === 0 && this.guard.halted.has('venue'))
          this.control({ action: 'resume', key: 'venue', by: 'node', reason: 'reconnected and reconciled' })
      })
      .catch((e) => this.fail(e))
  }

  private async checkInFlight(): Promise<void> {
    if (this.state !== 'running') return
    const limit = this.opts.ackTimeoutMs ?? 5000
    const t = this.now()
    for (const o of this.kernel.execution.openOrders()) {
      const unacked = o.status === 'SUBMITTED' || (o.status === 'PENDING_CANCEL' && o.venueOrderId === undefined)
      if (!unacked || !(t - o.createdAt > limit)) continue
      const v = await this.opts.client.queryOrder(o.clientOrderId)
      if (this.state !== 'running') return
      const cur = this.kernel.execution.order(o.clientOrderId)
      if (cur === undefined || isClosed(cur.status)) continue
      if (v !== undefined) await this.catchUp(cur, v, [])
      else this.unknownAtVenue(cur, [])
    }
  }

  /**
   * An open order the venue has never seen. Sent but never acknowledged: sent again under its id. Canceled
   * before any acknowledgement: it never reached the venue (its sender is gone), so it is canceled here. Any
   * other state (the venue had acknowledged it) is a difference.
   */
  private unknownAtVenue(o: Readonly<Order>, diffs: string[]): void {
    if (o.status === 'SUBMITTED') this.resubmit(o)
    else if (o.status === 'PENDING_CANCEL' && o.venueOrderId === undefined)
      this.injected({
        kind: 'CANCELED',
        clientOrderId: o.clientOrderId,
        time: this.clock.now(),
        reason: 'canceled before the venue acknowledged it, and unknown at the venue',
      })
    else diffs.push(`order ${o.clientOrderId} is ${o.status} here and unknown at the venue`)
  }

  private resubmit(o: Readonly<Order>): void {
    const n = (this.attempts.get(o.clientOrderId) ?? 0) + 1
    if (n > 3) {
      if (!this.guard.halted.has('venue'))
        this.control({
          action: 'halt',
          key: 'venue',
          by: 'node',
          reason: `order ${o.clientOrderId}: no acknowledgement and unknown at the venue after 3 submissions`,
        })
      return
    }
    this.attempts.set(o.clientOrderId, n)
    this.counters.resubmits++
    this.input(RESUBMIT_RECORD, { clientOrderId: o.clientOrderId, attempt: n })
    this.opts.client.submit(o, this.clock.now())
  }

  /** Catches an order up with what the venue says of it; differences it cannot explain go to `diffs`. */
  private async catchUp(o: Readonly<Order>, v: VenueOrder, diffs: string[], fills?: readonly Fill[]): Promise<void> {
    const eps = 1e-9 * Math.max(1, o.quantity)
    if (o.status === 'SUBMITTED' && v.status !== 'REJECTED')
      this.injected({
        kind: 'ACCEPTED',
        clientOrderId: o.clientOrderId,
        venueOrderId: v.venueOrderId,
        time: v.createdAt,
      })
    if (v.filledQuantity > o.filledQuantity + eps) {
      const all = fills ?? (await this.opts.client.fillsSince(Number.isFinite(o.createdAt) ? o.createdAt - 60_000 : 0))
      for (const f of all)
        if (f.clientOrderId === o.clientOrderId && !this.seenFills.has(f.fillId))
          this.injected({ kind: 'FILL', fill: f })
      const now = this.kernel.execution.order(o.clientOrderId)!
      if (Math.abs(now.filledQuantity - v.filledQuantity) > eps)
        diffs.push(
          `order ${o.clientOrderId}: the venue has filled ${v.filledQuantity}, its fills found add up to ${now.filledQuantity}`,
        )
    } else if (v.filledQuantity < o.filledQuantity - eps)
      diffs.push(`order ${o.clientOrderId}: filled ${o.filledQuantity} here, ${v.filledQuantity} at the venue`)
    const cur = this.kernel.execution.order(o.clientOrderId)!
    if (!isClosed(cur.status) && (v.status === 'CANCELED' || v.status === 'EXPIRED' || v.status === 'REJECTED')) {
      if (v.status === 'REJECTED')
        this.injected({
          kind: 'REJECTED',
          clientOrderId: o.clientOrderId,
          time: v.updatedAt,
          reason: 'rejected by the venue (reconciled)',
        })
      else this.injected({ kind: v.status, clientOrderId: o.clientOrderId, time: v.updatedAt })
    }
  }

  private injected(r: ExecutionReport): void {
    this.counters.reconciledReports++
    this.onClientReport(r, 'reconcile')
  }

  /**
   * Reconciles with the venue now (one at a time); resolves to the differences it could not explain, each
   * also halting new risk. Queries that fail are retried by the next reconciliation.
   */
  reconcile(): Promise<string[]> {
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = undefined))
    return this.reconciling
  }

  private async reconcileOnce(): Promise<string[]> {
    const c = this.opts.client
    const ex = this.kernel.execution
    const diffs: string[] = []
    this.counters.reconciliations++
    const since = Number.isFinite(this.lastFillTime) ? this.lastFillTime - 60_000 : 0
    const fills = await c.fillsSince(since)
    // One listing of the venue's open orders answers for most of ours; only the others are asked for one by one.
    const venueOpen = new Map((await c.openOrders()).map((v) => [v.clientOrderId, v]))
    for (const o of ex.openOrders()) {
      if (o.status === 'INITIALIZED') continue
      const v = venueOpen.get(o.clientOrderId) ?? (await c.queryOrder(o.clientOrderId))
      if (v === undefined) this.unknownAtVenue(o, diffs)
      else await this.catchUp(o, v, diffs, fills)
    }
    for (const f of fills) {
      if (this.seenFills.has(f.fillId)) continue
      const o = ex.order(f.clientOrderId)
      if (o !== undefined && !isClosed(o.status)) this.injected({ kind: 'FILL', fill: f })
      else
        diffs.push(
          `venue fill ${f.fillId} (${f.side} ${f.quantity} ${f.instrumentId} @ ${f.price}) of ${o ? `order ${o.clientOrderId}, ${o.status} here` : `order ${f.clientOrderId} that this node has no record of`}`,
        )
    }
    for (const v of venueOpen.values()) {
      if (ex.order(v.clientOrderId) === undefined)
        diffs.push(
          `the venue holds open order ${v.clientOrderId} (${v.side} ${v.quantity} ${v.instrumentId}) that this node has no record of`,
        )
    }
    const venuePos = new Map((await c.positions()).map((p) => [p.instrumentId, p.quantity]))
    const ids = new Set([...venuePos.keys(), ...this.opts.instruments.map((i) => i.id)])
    for (const id of ids) {
      const ours = this.kernel.portfolio.bookOf(id)?.netQuantity ?? 0
      const theirs = venuePos.get(id) ?? 0
      if (Math.abs(ours - theirs) > 1e-9 * Math.max(1, Math.abs(theirs)))
        diffs.push(`position ${id}: ${ours} here, ${theirs} at the venue`)
    }
    if (diffs.length > 0 && this.state === 'running')
      this.control({ action: 'halt', key: 'reconcile', by: 'node', reason: diffs.join('; ') })
    return diffs
  }

  // ---- stop ----

  /** Stops: no new data, working orders canceled (unless `onStop: leave`), the journal closed; returns the run. */
  async stop(reason = 'stopped'): Promise<BacktestResult> {
    if (this.state === 'stopped') throw new KestrelError('STATE_INVALID', 'live node: already stopped')
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    if ((this.opts.onStop ?? 'cancel') === 'cancel' && this.kernel.execution.openCount > 0) {
      this.control({ action: 'cancel-all', by: 'node', reason })
      // Wait (wall time, at most 2 s) for the venue to confirm the cancels; what stays open is in the result.
      const until = performance.now() + 2000
      while (this.kernel.execution.openCount > 0 && performance.now() < until)
        await new Promise((r) => setTimeout(r, 20))
    }
    this.input(NODE_RECORD.stop, { reason })
    this.state = 'stopped'
    try {
      await this.opts.data.disconnect()
      await this.opts.client.stop()
    } finally {
      this.file.close()
    }
    return this.kernel.finish()
  }
}

function isClosed(s: Order['status']): boolean {
  return s === 'FILLED' || s === 'CANCELED' || s === 'REJECTED' || s === 'EXPIRED'
}

/** Why a live bar cannot be used, or undefined. */
function badBar(b: Bar, last: EpochMs): string | undefined {
  const px = [b.open, b.high, b.low, b.close]
  if (!px.every((p) => Number.isFinite(p) && p > 0)) return `prices not all positive and finite: ${px.join(', ')}`
  if (b.high < Math.max(b.open, b.close) || b.low > Math.min(b.open, b.close))
    return `high ${b.high} / low ${b.low} do not contain open ${b.open} and close ${b.close}`
  if (!(b.closeTime > last)) return `close time ${b.closeTime} is not after the last bar's ${last}`
  if (!(Number.isFinite(b.volume) && b.volume >= 0)) return `volume ${b.volume}`
  return undefined
}
