/**
 * The live runner: the same {@link Kernel} on a WallClock, fed by data clients as events arrive, trading
 * through real execution clients (or a simulated exchange for paper trading). Strategies cannot tell it from
 * a backtest. Reconnection, recovery and reconciliation belong to the adapters (a later issue).
 */
import { WallClock } from '../core/index.ts'
import type { Clock, DataClient } from '../core/index.ts'
import { Kernel, type KernelOptions } from './kernel.ts'
import { watchRiskFile, type RiskFileOptions, type RiskFileWatch } from './risk-file.ts'
import type { BacktestResult } from './results.ts'

// The data client interface lives in core (adapters implement it); re-exported here unchanged.
export type { DataClient } from '../core/index.ts'

/** What to subscribe to, and with which client. */
export interface LiveSubscription {
  readonly client: DataClient
  readonly instrumentId: string
  readonly kind: 'bars' | 'quotes' | 'trades'
  readonly timeframe?: string
}

/** Everything a live (or paper) node needs. */
export interface LiveOptions extends Omit<KernelOptions, 'clock' | 'barFeeds' | 'tickInstruments'> {
  readonly subscriptions: readonly LiveSubscription[]
  /** Default: the system clock. */
  readonly clock?: Clock
  /** A config file whose `risk:` section reloads the risk engine whenever the file changes. */
  readonly riskFile?: string | { readonly path: string; readonly options?: RiskFileOptions }
}

/** Runs strategies on live data. */
export class LiveRunner {
  readonly kernel: Kernel
  private readonly clients: DataClient[]
  private running = false
  private watch: RiskFileWatch | undefined

  constructor(private readonly opts: LiveOptions) {
    const bars = opts.subscriptions.filter((s) => s.kind === 'bars')
    this.kernel = new Kernel({
      ...opts,
      clock: opts.clock ?? new WallClock(),
      barFeeds: bars.map((s) => ({ instrumentId: s.instrumentId, timeframe: s.timeframe ?? '1m' })),
      tickInstruments: opts.subscriptions.filter((s) => s.kind !== 'bars').map((s) => s.instrumentId),
    })
    this.clients = [...new Set(opts.subscriptions.map((s) => s.client))]
  }

  /** Connects the data clients, subscribes and starts the strategies. */
  async start(): Promise<void> {
    if (this.running) return
    for (const c of this.clients) await c.connect()
    const k = this.kernel
    for (const s of this.opts.subscriptions) {
      if (s.kind === 'bars') {
        const feed = k.feed(s.instrumentId, s.timeframe ?? '1m')
        s.client.subscribeBars(s.instrumentId, s.timeframe ?? '1m', (bar) => k.onBar(bar, feed))
      } else if (s.kind === 'quotes') s.client.subscribeQuotes?.(s.instrumentId, (q) => k.onQuote(q))
      else s.client.subscribeTrades?.(s.instrumentId, (t) => k.onTrade(t))
    }
    k.start()
    const rf = typeof this.opts.riskFile === 'string' ? { path: this.opts.riskFile } : this.opts.riskFile
    if (rf) this.watch = watchRiskFile(rf.path, k.risk, rf.options)
    this.running = true
  }

  /** Stops the strategies, disconnects and returns what happened so far. */
  async stop(): Promise<BacktestResult> {
    this.running = false
    this.watch?.close()
    this.watch = undefined
    for (const c of this.clients) await c.disconnect()
    if (this.opts.clock === undefined) (this.kernel.clock as WallClock).dispose()
    return this.kernel.finish()
  }
}
