/**
 * Live trading: a config's strategies, account, framework and risk in the live node at the venue its `live:`
 * section names (Alpaca's protocol: the real API, or `kestrel venue serve --protocol alpaca` on 127.0.0.1),
 * with a control socket, until stopped. A restart with the same journal replays it and reconciles with the venue
 * before it takes data.
 */
import { dirname, resolve } from 'node:path'
import { AlpacaDataClient, AlpacaExecutionClient, ALPACA_VENUE } from '../adapters/index.ts'
import { KestrelError, kestrelConfigSchema, loadConfigFile, makeInstrument } from '../core/index.ts'
import type { Instrument, KestrelConfig, Logger } from '../core/index.ts'
import {
  LiveNode,
  checkConfiguredParams,
  frameworkFromConfig,
  nodeFingerprint,
  resolveStrategy,
  type LiveCounters,
  type NodeControl,
  type StrategySpec,
} from '../engine/index.ts'
import { LimitsRiskEngine, pinoRiskLog } from '../risk/index.ts'
import type { StrategyDefinition } from '../strategy/index.ts'
import { serveControl } from './node-control.ts'
import type { Env } from './types.ts'

/** A live run of a config file. */
export interface LiveRequest {
  readonly config: string
  readonly env: Env
  readonly logger?: Logger
  /** Stops the node when aborted (SIGINT, SIGTERM). */
  readonly signal: AbortSignal
  /** Override `live.journal`. */
  readonly journal?: string
  /** Called once the node is up (replayed, reconciled, subscribed). */
  readonly onReady?: (control: NodeControl, socket: string | undefined) => void | Promise<void>
}

/** What a stopped live node reports. */
export interface LiveSummary {
  readonly nodeId: string
  readonly journal: { readonly path: string; readonly records: number; readonly replayed: number }
  readonly orders: number
  readonly fills: number
  readonly openOrders: number
  readonly equity: number
  readonly positions: readonly { readonly instrumentId: string; readonly quantity: number }[]
  readonly halted: Readonly<Record<string, string>>
  readonly counters: LiveCounters
}

/** What a config's `live:` run is made of (the live node and `kestrel live compare` both build it). */
export interface LiveParts {
  readonly cfg: KestrelConfig
  readonly section: NonNullable<KestrelConfig['live']>
  readonly base: string
  readonly instruments: Instrument[]
  readonly strategies: StrategySpec[]
  readonly feeds: { readonly instrumentId: string; readonly timeframe: string }[]
  readonly byKey: (symbolOrId: string) => string
  readonly fingerprint: string
}

/** Reads a config's `live:` run: strategies (parameters checked), instruments, feeds and the fingerprint. */
export async function liveParts(config: string, env: Env): Promise<LiveParts> {
  const cfg = loadConfigFile(config, kestrelConfigSchema, env).value
  const section = cfg.live
  if (!section) throw new KestrelError('CONFIG_INVALID', `${config}: no live: section`)
  const base = dirname(resolve(config))
  const configured = cfg.strategies ?? []
  const definitions: StrategyDefinition[] = []
  for (const [k, s] of configured.entries()) {
    definitions.push(await resolveStrategy(s.use, base))
    checkConfiguredParams(definitions[k]!, s.params, `strategies[${k}].params`)
  }
  const instruments = section.instruments.map((i) =>
    makeInstrument({
      symbol: i.symbol,
      venue: ALPACA_VENUE,
      assetClass: i.assetClass,
      ...(i.tickSize !== undefined ? { tickSize: i.tickSize } : {}),
      ...(i.lotSize !== undefined ? { lotSize: i.lotSize } : {}),
    }),
  )
  const byKey = (s: string): string => {
    const hit = instruments.find((i) => i.id === s || i.symbol === s)
    if (!hit)
      throw new KestrelError(
        'CONFIG_INVALID',
        `unknown instrument ${s}: live.instruments lists ${instruments.map((i) => i.symbol).join(', ')}`,
      )
    return hit.id
  }
  const strategies: StrategySpec[] = configured.map((s, k) => ({
    definition: definitions[k]!,
    params: s.params,
    id: s.id,
    instruments: s.instruments?.map(byKey),
    timeframes: s.timeframes,
  }))
  const feeds = section.instruments.map((i, k) => ({ instrumentId: instruments[k]!.id, timeframe: i.timeframe }))
  const fingerprint = nodeFingerprint({
    strategies: cfg.strategies,
    account: cfg.account,
    framework: cfg.framework ?? null,
    risk: cfg.risk ?? null,
    instruments: section.instruments,
    nodeId: section.nodeId,
  })
  return { cfg, section, base, instruments, strategies, feeds, byKey, fingerprint }
}

/** Runs the live node of a config until `signal` aborts; see the file header. */
export async function live(req: LiveRequest): Promise<LiveSummary> {
  const { cfg, section, base, instruments, strategies, feeds, byKey, fingerprint } = await liveParts(
    req.config,
    req.env,
  )
  const journal = req.journal !== undefined ? resolve(req.journal) : resolve(base, section.journal)
  const socket = section.control !== undefined ? resolve(base, section.control) : `${journal}.sock`
  const v = section.venue
  const log = req.logger
  const client = new AlpacaExecutionClient({
    baseUrl: v.url,
    keyId: v.keyId,
    secretKey: v.secretKey,
    venue: ALPACA_VENUE,
    onError: (e, id) => log?.warn({ component: 'venue', clientOrderId: id }, e.message),
  })
  const data = new AlpacaDataClient({
    url: v.dataUrl ?? `${v.url.replace(/\/+$/, '').replace(/^http/, 'ws')}/v2/iex`,
    keyId: v.keyId,
    secretKey: v.secretKey,
  })
  const node = new LiveNode({
    instruments,
    strategies,
    account: cfg.account,
    ...(cfg.risk !== undefined ? { risk: new LimitsRiskEngine(cfg.risk, log ? { log: pinoRiskLog(log) } : {}) } : {}),
    ...(cfg.framework ? { framework: frameworkFromConfig(cfg.framework, byKey) } : {}),
    nodeId: section.nodeId,
    client,
    data,
    feeds,
    journal,
    durability: section.durability,
    fingerprint,
    reconcileEveryMs: section.reconcileEveryMs,
    ackTimeoutMs: section.ackTimeoutMs,
    ...(section.staleFeedMs !== undefined ? { staleFeedMs: section.staleFeedMs } : {}),
    onStop: section.onStop,
    log: (level, message, fields) => log?.[level]({ component: 'node', ...fields }, message),
  })
  let server: { close(): Promise<void> } | undefined
  try {
    await node.start()
    server = await serveControl(socket, node.controls)
    await req.onReady?.(node.controls, socket)
    if (!req.signal.aborted)
      await new Promise<void>((r) => req.signal.addEventListener('abort', () => r(), { once: true }))
    const status = node.status()
    const result = await node.stop('stopped by signal')
    return {
      nodeId: section.nodeId,
      journal: { path: journal, records: node.status().journal.records, replayed: node.replayed },
      orders: result.orders.length,
      fills: result.fills.length,
      openOrders: node.kernel.execution.openCount,
      equity: result.finalEquity,
      positions: node.kernel.portfolio
        .positions()
        .filter((p) => p.quantity !== 0)
        .map((p) => ({ instrumentId: p.instrumentId, quantity: p.quantity })),
      halted: status.halted,
      counters: { ...node.counters },
    }
  } finally {
    await server?.close()
  }
}
