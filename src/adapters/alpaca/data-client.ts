/**
 * Kestrel's data client for Alpaca's market-data v2 stream: bars of subscribed symbols, pushed as they close.
 * The stream reconnects by itself (exponential backoff with jitter), authenticates and subscribes again.
 * Alpaca stamps a bar at its open; the client hands Kestrel bars with `closeTime = t + timeframe`.
 */
import WebSocket from 'ws'
import { KestrelError, parseTimeframe } from '../../core/index.ts'
import type { Bar, ConnectionListener, DataClient } from '../../core/index.ts'
import { alpacaSymbol, timeOf, type StreamBar } from './protocol.ts'
import { reconnectDelay } from './trade-stream.ts'

/** Settings of {@link AlpacaDataClient}. */
export interface AlpacaDataOptions {
  readonly keyId: string
  readonly secretKey: string
  /** e.g. `wss://stream.data.alpaca.markets/v2/iex`, or a local server's `ws://127.0.0.1:<port>/v2/iex`. */
  readonly url: string
  /** Reconnect delays: `min(maxDelayMs, baseDelayMs * 2^(n-1))` with jitter. Defaults 250 ms, 30 s. */
  readonly reconnect?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number }
  readonly random?: () => number
}

interface Sub {
  readonly instrumentId: string
  readonly timeframe: string
  readonly ms: number
  readonly handlers: ((bar: Bar) => void)[]
}

/** The Alpaca market-data client. */
export class AlpacaDataClient implements DataClient {
  readonly name = 'alpaca'
  private readonly subs = new Map<string, Sub>()
  private readonly listeners: ConnectionListener[] = []
  private ws: WebSocket | undefined
  private authed = false
  private stopped = true
  private attempt = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly opts: AlpacaDataOptions) {
    if (!opts.keyId || !opts.secretKey)
      throw new KestrelError('CONFIG_INVALID', 'alpaca: keyId and secretKey are required (set them from ${ENV:...})')
  }

  /** Tells `listener` whenever the stream is up (authenticated, subscriptions confirmed) or drops. */
  onConnection(listener: ConnectionListener): void {
    this.listeners.push(listener)
  }

  /** Opens the stream; resolves once it is authenticated and the venue confirmed the subscriptions asked before. */
  async connect(): Promise<void> {
    this.stopped = false
    await new Promise<void>((resolve, reject) => this.open(resolve, reject))
  }

  async disconnect(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    const ws = this.ws
    this.ws = undefined
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((res) => {
        ws.once('close', () => res())
        ws.terminate()
      })
    }
  }

  /** Bars of `instrumentId` (`AAPL.ALPACA`) of `timeframe` (the server's bar length, `1m` for Alpaca). */
  subscribeBars(instrumentId: string, timeframe: string, handler: (bar: Bar) => void): void {
    const sym = alpacaSymbol(instrumentId)
    const had = this.subs.get(sym)
    if (had) {
      if (had.timeframe !== timeframe)
        throw new KestrelError(
          'PARAM_INVALID',
          `alpaca: ${instrumentId} is already subscribed at ${had.timeframe}; the stream has one bar length per symbol`,
        )
      had.handlers.push(handler)
      return
    }
    this.subs.set(sym, { instrumentId, timeframe, ms: parseTimeframe(timeframe).ms, handlers: [handler] })
    if (this.authed) this.ws?.send(JSON.stringify({ action: 'subscribe', bars: [sym] }))
  }

  private open(resolve?: () => void, reject?: (e: unknown) => void): void {
    const ws = new WebSocket(this.opts.url)
    this.ws = ws
    /** Up once authenticated and, when there are subscriptions, once the venue confirmed them. */
    let waiting = false
    const ready = () => {
      waiting = false
      for (const l of this.listeners) l(true)
      resolve?.()
      resolve = undefined
      reject = undefined
    }
    ws.on('message', (raw: Buffer) => {
      let msgs: Record<string, unknown>[]
      try {
        const v = JSON.parse(raw.toString('utf8')) as unknown
        msgs = (Array.isArray(v) ? v : [v]) as Record<string, unknown>[]
      } catch {
        return
      }
      for (const m of msgs) {
        if (m.T === 'success' && m.msg === 'connected') {
          ws.send(JSON.stringify({ action: 'auth', key: this.opts.keyId, secret: this.opts.secretKey }))
        } else if (m.T === 'success' && m.msg === 'authenticated') {
          this.authed = true
          this.attempt = 0
          if (this.subs.size > 0) {
            waiting = true
            ws.send(JSON.stringify({ action: 'subscribe', bars: [...this.subs.keys()] }))
          } else ready()
        } else if (m.T === 'subscription') {
          if (waiting) ready()
        } else if (m.T === 'error') {
          const e = new KestrelError(
            'VENUE_UNAVAILABLE',
            `alpaca data: ${this.opts.url}: error ${String(m.code)}: ${String(m.msg)}`,
            { code: m.code },
          )
          if (m.code === 402 || m.code === 401) {
            this.stopped = true
            reject?.(e)
            reject = undefined
          }
        } else if (m.T === 'b') {
          this.onBar(m as unknown as StreamBar)
        }
      }
    })
    ws.on('error', () => {})
    ws.on('close', (code: number) => {
      if (this.ws === ws) this.ws = undefined
      const was = this.authed
      this.authed = false
      if (was) for (const l of this.listeners) l(false, `stream closed (code ${code})`)
      if (reject) {
        reject(
          new KestrelError(
            'VENUE_UNAVAILABLE',
            `alpaca data: ${this.opts.url}: closed (code ${code}) before it authenticated`,
          ),
        )
        this.stopped = true
        return
      }
      if (!this.stopped) this.scheduleReconnect()
    })
  }

  private scheduleReconnect(): void {
    const r = this.opts.reconnect
    this.attempt++
    const d = reconnectDelay(
      this.attempt,
      r?.baseDelayMs ?? 250,
      r?.maxDelayMs ?? 30_000,
      this.opts.random ?? Math.random,
    )
    this.timer = setTimeout(() => {
      if (!this.stopped) this.open()
    }, d)
  }

  private onBar(m: StreamBar): void {
    const sub = this.subs.get(m.S)
    if (!sub) return
    const openTime = timeOf(m.t, `bar ${m.S} t`)
    const bar: Bar = {
      instrumentId: sub.instrumentId,
      timeframe: sub.timeframe,
      openTime,
      closeTime: openTime + sub.ms,
      open: m.o,
      high: m.h,
      low: m.l,
      close: m.c,
      volume: m.v,
    }
    for (const h of sub.handlers) h(bar)
  }
}
