/**
 * The WebSocket side of the local Alpaca server: the `/stream` trade_updates connections (auth, listen) and the
 * market-data connections (`/v2/iex`, `/v2/sip`: connected, auth, subscribe to bars), with the stream faults
 * (duplicated and reordered updates, drops and refusal windows).
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { isoUtc } from '../../core/index.ts'
import type { Bar } from '../../core/index.ts'
import type { FaultPlan } from './faults.ts'
import type { StreamBar, TradeUpdate } from './protocol.ts'

const DATA_PATHS = new Set(['/v2/iex', '/v2/sip', '/v2/test'])

interface DataConn {
  authed: boolean
  bars: Set<string>
}

/** The stream connections of one server. */
export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly trade = new Set<WebSocket>()
  private readonly data = new Map<WebSocket, DataConn>()
  private held: string | undefined
  private heldTimer: NodeJS.Timeout | undefined
  /** New stream connections are refused (503) until this wall-clock time. */
  downUntil = 0

  constructor(
    private readonly faults: FaultPlan,
    private readonly keyId: string,
    private readonly secret: string,
  ) {}

  /** Open connections: trade_updates listeners and market-data connections. */
  get sizes(): { trade: number; data: number } {
    return { trade: this.trade.size, data: this.data.size }
  }

  /** Drops every connection (held updates go out first); how many there were. */
  dropAll(): number {
    this.flushHeld()
    const n = this.trade.size + this.data.size
    for (const ws of [...this.trade, ...this.data.keys()]) ws.terminate()
    this.trade.clear()
    this.data.clear()
    return n
  }

  /** Drops everything and stops taking connections. */
  close(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer)
    this.held = undefined
    this.dropAll()
    this.wss.close()
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState === ws.OPEN) ws.send(text)
  }

  /** Sends one trade update to every listener, through the dup-report and reorder faults. */
  publish(u: TradeUpdate): void {
    const text = JSON.stringify({ stream: 'trade_updates', data: u })
    const dup = this.faults.fire('dup-report') !== undefined
    const reorder = this.held === undefined ? this.faults.fire('reorder') : undefined
    if (reorder) {
      this.held = text
      this.heldTimer = setTimeout(() => this.flushHeld(), reorder.params.ms ?? 50)
      return
    }
    for (const ws of this.trade) {
      this.send(ws, text)
      if (dup) this.send(ws, text)
    }
    this.flushHeld()
  }

  /** Sends the held-back update now. */
  flushHeld(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer)
    this.heldTimer = undefined
    const h = this.held
    this.held = undefined
    if (h !== undefined) for (const ws of this.trade) this.send(ws, h)
  }

  /** Sends a replayed bar to every market-data connection subscribed to its symbol. */
  broadcastBar(bar: Bar): void {
    const sym = bar.instrumentId.slice(0, bar.instrumentId.lastIndexOf('.')).replace('-', '/')
    const msg: StreamBar = {
      T: 'b',
      S: sym,
      o: bar.open,
      h: bar.high,
      l: bar.low,
      c: bar.close,
      v: bar.volume,
      t: isoUtc(bar.openTime),
    }
    const text = JSON.stringify([msg])
    for (const [ws, c] of this.data) if (c.authed && (c.bars.has(sym) || c.bars.has('*'))) this.send(ws, text)
  }

  /** Takes an HTTP upgrade: `/stream` or a market-data path; 503 while a disconnect's `down` lasts. */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (Date.now() < this.downUntil || (path !== '/stream' && !DATA_PATHS.has(path))) {
      socket.end(
        `HTTP/1.1 ${path === '/stream' || DATA_PATHS.has(path) ? '503 Service Unavailable' : '404 Not Found'}\r\n\r\n`,
      )
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => (path === '/stream' ? this.tradeConn(ws) : this.dataConn(ws)))
  }

  private authOk(key: unknown, secret: unknown): boolean {
    return key === this.keyId && secret === this.secret
  }

  /** The trade stream: auth (`auth` or the older `authenticate`), then `listen` to trade_updates. */
  private tradeConn(ws: WebSocket): void {
    let authed = false
    ws.on('message', (raw) => {
      let m: { action?: string; key?: string; secret?: string; data?: Record<string, unknown> }
      try {
        m = JSON.parse(String(raw)) as typeof m
      } catch {
        this.send(ws, JSON.stringify({ stream: 'error', data: { error_message: 'invalid syntax' } }))
        return
      }
      if (m.action === 'auth' || m.action === 'authenticate') {
        authed = m.action === 'auth' ? this.authOk(m.key, m.secret) : this.authOk(m.data?.key_id, m.data?.secret_key)
        const status = authed ? 'authorized' : 'unauthorized'
        this.send(ws, JSON.stringify({ stream: 'authorization', data: { action: 'authenticate', status } }))
        if (!authed) ws.close()
      } else if (m.action === 'listen') {
        if (!authed) {
          this.send(ws, JSON.stringify({ stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } }))
          return
        }
        const want = Array.isArray(m.data?.streams) ? (m.data.streams as unknown[]) : []
        const on = want.includes('trade_updates')
        if (on) this.trade.add(ws)
        else this.trade.delete(ws)
        this.send(ws, JSON.stringify({ stream: 'listening', data: { streams: on ? ['trade_updates'] : [] } }))
      }
    })
    ws.on('close', () => this.trade.delete(ws))
  }

  /** The market-data stream: `connected`, auth, then `subscribe` to bars. */
  private dataConn(ws: WebSocket): void {
    const c: DataConn = { authed: false, bars: new Set() }
    this.data.set(ws, c)
    this.send(ws, JSON.stringify([{ T: 'success', msg: 'connected' }]))
    ws.on('message', (raw) => {
      let m: { action?: string; key?: string; secret?: string; bars?: unknown }
      try {
        m = JSON.parse(String(raw)) as typeof m
      } catch {
        this.send(ws, JSON.stringify([{ T: 'error', code: 400, msg: 'invalid syntax' }]))
        return
      }
      if (m.action === 'auth') {
        c.authed = this.authOk(m.key, m.secret)
        this.send(
          ws,
          JSON.stringify([
            c.authed ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 402, msg: 'auth failed' },
          ]),
        )
        if (!c.authed) ws.close()
      } else if (m.action === 'subscribe' || m.action === 'unsubscribe') {
        if (!c.authed) {
          this.send(ws, JSON.stringify([{ T: 'error', code: 401, msg: 'not authenticated' }]))
          return
        }
        const syms = Array.isArray(m.bars) ? m.bars.filter((s): s is string => typeof s === 'string') : []
        for (const s of syms) {
          if (m.action === 'subscribe') c.bars.add(s)
          else c.bars.delete(s)
        }
        this.send(ws, JSON.stringify([{ T: 'subscription', trades: [], quotes: [], bars: [...c.bars] }]))
      } else {
        this.send(ws, JSON.stringify([{ T: 'error', code: 400, msg: 'invalid syntax' }]))
      }
    })
    ws.on('close', () => this.data.delete(ws))
  }
}
