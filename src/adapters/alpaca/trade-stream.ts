/**
 * Alpaca's `trade_updates` WebSocket: auth, listen, and a reconnect with exponential backoff and jitter after
 * every drop, listening again each time. It hands each update on as it comes; {@link OrderReports} makes them
 * reports.
 */
import WebSocket from 'ws'
import { KestrelError } from '../../core/index.ts'
import type { TradeUpdate } from './protocol.ts'

/** How long to wait before reconnect attempt `attempt` (from 1): `min(max, base * 2^(attempt-1))` times [0.5, 1). */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + 0.5 * random()))
}

/** Settings of {@link TradeStream}. */
export interface TradeStreamOptions {
  readonly url: string
  readonly keyId: string
  readonly secretKey: string
  readonly reconnect?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number }
  readonly random?: () => number
  readonly onUpdate: (u: TradeUpdate) => void
  /** The stream is listening (`up`) or dropped (`reason`). */
  readonly onConnection: (up: boolean, reason?: string) => void
}

/** The trade_updates stream of one account. */
export class TradeStream {
  private ws: WebSocket | undefined
  private up = false
  private stopped = true
  private attempt = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly opts: TradeStreamOptions) {}

  /** True while authorized and listening. */
  get connected(): boolean {
    return this.up
  }

  /** Connects; resolves once the stream listens, rejects (VENUE_UNAVAILABLE) when the first attempt fails. */
  async start(): Promise<void> {
    this.stopped = false
    await new Promise<void>((resolve, reject) => this.open(resolve, reject))
  }

  async stop(): Promise<void> {
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
    this.setUp(false, 'stopped')
  }

  private open(resolve?: () => void, reject?: (e: unknown) => void): void {
    const { url, keyId, secretKey } = this.opts
    const ws = new WebSocket(url)
    this.ws = ws
    let listening = false
    ws.on('open', () => ws.send(JSON.stringify({ action: 'auth', key: keyId, secret: secretKey })))
    ws.on('message', (raw: Buffer) => {
      let m: { stream?: string; data?: Record<string, unknown> }
      try {
        m = JSON.parse(raw.toString('utf8')) as typeof m
      } catch {
        return
      }
      if (m.stream === 'authorization') {
        if (m.data?.status === 'authorized') {
          ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }))
        } else {
          // Keys that are refused stay refused: no reconnect.
          this.stopped = true
          reject?.(new KestrelError('VENUE_UNAVAILABLE', `alpaca: ${url}: stream authorization refused`))
          reject = undefined
          ws.terminate()
        }
      } else if (m.stream === 'listening') {
        const s = m.data?.streams
        if (Array.isArray(s) && s.includes('trade_updates') && !listening) {
          listening = true
          this.attempt = 0
          this.setUp(true)
          resolve?.()
          resolve = undefined
          reject = undefined
        }
      } else if (m.stream === 'trade_updates' && m.data) {
        this.opts.onUpdate(m.data as unknown as TradeUpdate)
      }
    })
    ws.on('error', () => {}) // the close that follows says it
    ws.on('close', (code: number) => {
      if (this.ws === ws) this.ws = undefined
      const why = `stream closed (code ${code})`
      this.setUp(false, why)
      if (reject) {
        reject(new KestrelError('VENUE_UNAVAILABLE', `alpaca: ${url}: ${why} before it listened`))
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

  private setUp(up: boolean, reason?: string): void {
    if (this.up === up) return
    this.up = up
    this.opts.onConnection(up, up ? undefined : reason)
  }
}
