/**
 * Paper trading on a replayed feed: the live node with the in-process simulated exchange as its venue, fed
 * by recorded bars (a CSV file or a store range) at `--speed max|1x|10x`, journal first. It builds the same
 * kernel, venues and validation as a backtest of the same options, so its fills equal the backtest's; what it
 * adds is the node: every input and output journaled before it is acted on, a restart that replays the journal
 * and goes on from where the killed run stopped, the halt gate, and the control interface.
 */
import { KestrelError, sha256Hex } from '../../core/index.ts'
import type { EpochMs, Order, Position } from '../../core/index.ts'
import { LimitsRiskEngine } from '../../risk/index.ts'
import type { RiskStatus, Rearm } from '../../risk/index.ts'
import { runBacktest, type BacktestOptions, type BacktestRun } from '../backtest-runner.ts'
import type { EventSink } from '../data-engine.ts'
import type { Kernel } from '../kernel.ts'
import { FileJournal, type Durability, type JournalRecord } from '../journal/index.ts'
import { NodeGuard } from './guard.ts'
import { JournaledSimVenue } from './journaled-venue.ts'
import { NodeJournal } from './node-journal.ts'
import { NODE_RECORD, barFromRecord, barRecord, tickRecord, type ControlRecord, type StartRecord } from './records.ts'

/** Replay speed: `max`, or a multiple of real time (1 = the data's own pace). */
export type ReplaySpeed = 'max' | number

/** Parses `max`, `1x`, `10x`, `0.5x`; PARAM_INVALID otherwise. */
export function parseSpeed(s: string): ReplaySpeed {
  if (s === 'max') return 'max'
  const m = /^(\d+(?:\.\d+)?)x$/.exec(s)
  const v = m ? Number(m[1]) : NaN
  if (!(v > 0))
    throw new KestrelError(
      'PARAM_INVALID',
      `--speed: expected max or a multiple like 1x, 10x, got ${JSON.stringify(s)}`,
    )
  return v
}

/** What a running node answers on its control interface (the control socket, later the HTTP API). */
export interface NodeStatus {
  readonly nodeId: string
  readonly mode: 'paper' | 'live'
  readonly state: 'replaying' | 'running' | 'stopped'
  readonly time: EpochMs
  readonly journal: { readonly path: string; readonly records: number; readonly replayed: number }
  /** Why new risk is halted, by halt key (empty while trading normally). */
  readonly halted: Readonly<Record<string, string>>
  readonly openOrders: number
  readonly equity: number
  /** What `kestrel risk status` shows. */
  readonly risk: RiskStatus
}

/** The control interface of a node: what `kestrel live status|orders|positions|kill|rearm` call. */
export interface NodeControl {
  status(): NodeStatus
  orders(): readonly Readonly<Order>[]
  positions(): readonly Position[]
  /** Fires the kill switch: cancels every order, flattens every position, blocks until re-armed. */
  kill(by: string, reason: string): void
  /** Re-arms after a kill: a person (`by`) and a reason. */
  rearm(by: string, reason: string): Rearm
  /** Halts new risk (`operator` halt) until resumed. */
  halt(by: string, reason: string): void
  /** Lifts the operator halt. */
  resume(by: string, reason: string): void
}

/** Settings of a paper node. */
export interface PaperOptions {
  /** The journal file (created, or replayed and continued). */
  readonly journal: string
  readonly durability?: Durability
  /** Default `max`. */
  readonly speed?: ReplaySpeed
  /** Fingerprint of what the node runs (config and strategies); a journal of another refuses to replay. */
  readonly fingerprint: string
  /** Called once the node is up (replayed, about to take new data), with its control interface. */
  readonly onReady?: (control: NodeControl) => void | Promise<void>
  /** Wall clock for pacing, in ms (default `performance.now`). */
  readonly wallMs?: () => number
  /** Waits `ms` (default a timer). */
  readonly sleep?: (ms: number) => Promise<void>
  /** Stops the node gracefully when aborted (SIGINT, SIGTERM): no new data is taken, the run's results return. */
  readonly signal?: AbortSignal
  /** On a graceful stop: cancel working orders (default) or leave them for the restart. */
  readonly onStop?: 'cancel' | 'leave'
}

/** A paper run's results: the backtest's, plus what the journal held. */
export interface PaperRun extends BacktestRun {
  readonly journal: {
    readonly path: string
    readonly records: number
    /** Records replayed at start (0 on a fresh journal). */
    readonly replayed: number
    /** Bytes of a torn last record cut off at start. */
    readonly tornBytes: number
    readonly lastHash: string
  }
}

/** Fingerprint of a node's run: SHA-256 of its description (config, strategies, parameters, data range). */
export function nodeFingerprint(description: unknown): string {
  return sha256Hex(JSON.stringify(description))
}

const yieldEvery = 256

/** Runs a paper node over the options' feeds, journal first; see the file header. */
export async function runPaper(opts: BacktestOptions, paper: PaperOptions): Promise<PaperRun> {
  const nodeId = opts.nodeId ?? 'N1'
  if (opts.risk !== undefined && !(opts.risk instanceof LimitsRiskEngine))
    throw new KestrelError('CONFIG_INVALID', 'paper: the node needs a limits risk engine (a risk: section) or none')
  const guard = new NodeGuard(opts.risk ?? new LimitsRiskEngine({}))
  const existing: JournalRecord[] = []
  const file = FileJournal.open(paper.journal, { durability: paper.durability, onRecord: (r) => existing.push(r) })
  let kernelRef: Kernel | undefined
  const nj = new NodeJournal(file, existing, () => kernelRef?.clock.now() ?? 0)
  const lastBar = new Map<number, EpochMs>()
  const speed = paper.speed ?? 'max'
  const wall = paper.wallMs ?? (() => performance.now())
  const sleep =
    paper.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer)
          paper.signal?.removeEventListener('abort', done)
          resolve()
        }
        const timer = setTimeout(done, ms)
        paper.signal?.addEventListener('abort', done, { once: true })
      }))
  let state: NodeStatus['state'] = 'replaying'
  let control: NodeControl | undefined

  const applyControl = (c: ControlRecord): void => {
    if (c.action === 'cancel-all') {
      const k = kernelRef!
      for (const o of k.execution.openOrders()) k.orders.cancel(o.clientOrderId)
    } else if (c.action === 'kill') guard.limits.kill(`${c.reason} (by ${c.by ?? 'node'})`)
    else if (c.action === 'rearm') guard.limits.rearm(c.by ?? 'node', c.reason)
    else if (c.action === 'halt') guard.halt('operator', `${c.reason} (by ${c.by ?? 'node'})`)
    else guard.resume('operator')
  }

  const start = async (kernel: Kernel, base: EventSink): Promise<void> => {
    kernelRef = kernel
    while (nj.replaying) {
      const r = nj.take()
      switch (r.kind) {
        case NODE_RECORD.start: {
          const s = r.data as StartRecord
          if (s.nodeId !== nodeId || s.fingerprint !== paper.fingerprint)
            throw new KestrelError(
              'NODE_HALTED',
              `journal ${paper.journal}: written by node ${s.nodeId} running ${s.fingerprint.slice(0, 12)}, this is node ${nodeId} running ${paper.fingerprint.slice(0, 12)}: the config, strategies or data changed; start a new journal`,
              { path: paper.journal, record: r.seq },
            )
          break
        }
        case NODE_RECORD.bar: {
          const { bar, feed } = barFromRecord(r.data as Record<string, unknown>)
          lastBar.set(feed, bar.closeTime)
          base.bar(bar, feed)
          break
        }
        case NODE_RECORD.quote:
          base.quote(r.data as never)
          break
        case NODE_RECORD.trade:
          base.trade(r.data as never)
          break
        case NODE_RECORD.control:
          applyControl(r.data as ControlRecord)
          break
        case NODE_RECORD.stop:
          break
        default:
          throw new KestrelError(
            'NODE_HALTED',
            `journal ${paper.journal}: replay diverged at record ${r.seq}: the journal has ${r.kind} ${JSON.stringify(r.data)} that the node no longer produces; the strategies, their parameters or the code changed since it was written`,
            { path: paper.journal, record: r.seq },
          )
      }
    }
    const startRec: StartRecord = { nodeId, fingerprint: paper.fingerprint, mode: 'paper' }
    nj.input(NODE_RECORD.start, startRec, kernel.clock.now())
    state = 'running'
    control = {
      status: () => ({
        nodeId,
        mode: 'paper',
        state,
        time: kernel.clock.now(),
        journal: { path: paper.journal, records: file.lastSeq, replayed: existing.length },
        halted: Object.fromEntries(guard.halted),
        openOrders: kernel.execution.openCount,
        equity: kernel.portfolio.equity(),
        risk: guard.limits.status(),
      }),
      orders: () => kernel.execution.openOrders(),
      positions: () => kernel.portfolio.positions().filter((p) => p.quantity !== 0),
      kill: (by, reason) => {
        const c: ControlRecord = { action: 'kill', by, reason }
        nj.input(NODE_RECORD.control, c, kernel.clock.now())
        applyControl(c)
      },
      rearm: (by, reason) => {
        if (!by.trim() || !reason.trim())
          throw new KestrelError('PARAM_INVALID', 'rearm: give who re-arms (--by) and why (--reason)')
        const c: ControlRecord = { action: 'rearm', by, reason }
        nj.input(NODE_RECORD.control, c, kernel.clock.now())
        return guard.limits.rearm(by, reason)
      },
      halt: (by, reason) => {
        const c: ControlRecord = { action: 'halt', by, reason }
        nj.input(NODE_RECORD.control, c, kernel.clock.now())
        applyControl(c)
      },
      resume: (by, reason) => {
        const c: ControlRecord = { action: 'resume', by, reason }
        nj.input(NODE_RECORD.control, c, kernel.clock.now())
        applyControl(c)
      },
    }
    await paper.onReady?.(control)
  }

  let t0Data = NaN
  let t0Wall = NaN
  let n = 0
  let stopped = false
  const ended = (): boolean => {
    if (!stopped && paper.signal?.aborted) stop()
    return stopped
  }
  const stop = (): void => {
    if (stopped) return
    stopped = true
    if ((paper.onStop ?? 'cancel') === 'cancel' && kernelRef && kernelRef.execution.openCount > 0) {
      const c: ControlRecord = { action: 'cancel-all', reason: 'graceful stop' }
      nj.input(NODE_RECORD.control, c, kernelRef.clock.now())
      applyControl(c)
    }
  }
  const sink = (_kernel: Kernel, base: EventSink): EventSink => ({
    bar: (bar, feed) => {
      if (ended()) return
      const last = lastBar.get(feed)
      if (last !== undefined && bar.closeTime <= last) return // replayed from the journal already
      nj.input(NODE_RECORD.bar, barRecord(bar, feed), bar.closeTime)
      base.bar(bar, feed)
    },
    quote: (q) => {
      if (ended()) return
      nj.input(NODE_RECORD.quote, tickRecord(q), q.time)
      base.quote(q)
    },
    trade: (t) => {
      if (ended()) return
      nj.input(NODE_RECORD.trade, tickRecord(t), t.time)
      base.trade(t)
    },
    pace: (t) => {
      if (ended()) return undefined
      if (speed === 'max') return ++n % yieldEvery === 0 ? new Promise<void>((r) => setImmediate(r)) : undefined
      if (Number.isNaN(t0Data)) {
        t0Data = t
        t0Wall = wall()
      }
      const due = t0Wall + (t - t0Data) / speed
      const wait = due - wall()
      return wait > 0 ? sleep(wait) : ++n % yieldEvery === 0 ? new Promise<void>((r) => setImmediate(r)) : undefined
    },
  })

  let run: BacktestRun
  try {
    run = await runBacktest(
      { ...opts, risk: guard, nodeId },
      { wrapVenue: (v) => new JournaledSimVenue(v, nj), started: start, sink },
    )
    nj.input(NODE_RECORD.stop, { reason: stopped ? 'stopped' : 'replay ended' }, kernelRef?.clock.now() ?? 0)
    state = 'stopped'
  } finally {
    file.close()
  }
  void control
  return {
    ...run,
    journal: {
      path: paper.journal,
      records: file.lastSeq,
      replayed: existing.length,
      tornBytes: file.recovery.tornBytes,
      lastHash: file.lastHash,
    },
  }
}
