/**
 * A local server on 127.0.0.1 that speaks Alpaca's trading API v2 (REST, the `/stream` trade_updates WebSocket)
 * and its market-data v2 stream (`/v2/iex`, `/v2/sip`) closely enough for the Alpaca adapters' real code path,
 * over bars it replays and with the faults it is told to inject. Matching is Kestrel's simulated exchange.
 *
 * Bars advance one per `barIntervalMs`, or on `POST /admin/advance` (`{"bars":n}`), which tests use for
 * determinism. `POST /admin/disconnect` drops every stream connection; `GET /admin/stats` counts faults;
 * `GET /admin/orders` and `GET /admin/fills` list every order and fill, unpaged (what a test checks a node by).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { KestrelError, isoUtc } from '../../core/index.ts'
import type { Bar, EpochMs, Instrument } from '../../core/index.ts'
import { FaultPlan, type FaultSpec } from './faults.ts'
import { ALPACA_ERRORS, dec } from './protocol.ts'
import { StreamHub } from './server-streams.ts'
import { VenueBook } from './venue-book.ts'
import { VenueRefusal } from './venue-refusal.ts'

/** Options of {@link AlpacaVenueServer}. */
export interface AlpacaServerOptions {
  readonly instruments: readonly Instrument[]
  /** Bars to replay, any instruments, in time order (by close). */
  readonly bars: readonly Bar[]
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number
  readonly seed?: number
  readonly faults?: readonly FaultSpec[]
  /** The key pair clients must send. Default `kestrel` / `kestrel`. */
  readonly keyId?: string
  readonly secretKey?: string
  /** Replays one bar every this many ms; 0 (default): only on `POST /admin/advance`. */
  readonly barIntervalMs?: number
  readonly cash?: number
  /** Share of a bar's volume one bar may fill (0..1, 1 = no cap). Default 1. */
  readonly participation?: number
}

/** Where a started server listens. */
export interface ServerAddress {
  readonly protocol: 'alpaca'
  readonly port: number
  readonly url: string
}

/** The local Alpaca venue. */
export class AlpacaVenueServer {
  readonly book: VenueBook
  readonly faults: FaultPlan
  private readonly http: Server
  private readonly streams: StreamHub
  private readonly sockets = new Set<Socket>()
  private readonly timers: NodeJS.Timeout[] = []
  private cursor = 0
  private barsSinceDisconnect = 0
  /** True while a disconnect replays its bar (that bar does not count toward `disconnect@bars`). */
  private disconnecting = false
  private readonly keyId: string
  private readonly secret: string

  constructor(private readonly opts: AlpacaServerOptions) {
    this.keyId = opts.keyId ?? 'kestrel'
    this.secret = opts.secretKey ?? 'kestrel'
    this.faults = new FaultPlan(opts.faults ?? [], opts.seed ?? 1)
    const start = opts.bars[0]?.openTime ?? Date.now()
    this.book = new VenueBook({
      instruments: opts.instruments,
      seed: opts.seed,
      cash: opts.cash,
      participation: opts.participation,
      startTime: start,
    })
    this.streams = new StreamHub(this.faults, this.keyId, this.secret)
    this.book.onUpdate = (u) => this.streams.publish(u)
    this.http = createServer((req, res) => void this.handle(req, res))
    this.http.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    this.http.on('upgrade', (req, socket, head) => this.streams.upgrade(req, socket as Socket, head))
  }

  /** Starts listening on 127.0.0.1. */
  async start(): Promise<ServerAddress> {
    await new Promise<void>((res, rej) => {
      this.http.once('error', (e: NodeJS.ErrnoException) =>
        rej(
          new KestrelError(
            e.code === 'EADDRINUSE' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL',
            `venue serve: cannot listen on 127.0.0.1:${this.opts.port ?? 0}: ${e.message}`,
            { port: this.opts.port },
          ),
        ),
      )
      this.http.listen(this.opts.port ?? 0, '127.0.0.1', () => res())
    })
    const every = this.faults.get('disconnect')?.trigger
    if (every?.kind === 'every') this.timers.push(setInterval(() => this.disconnect(), every.ms).unref())
    const ms = this.opts.barIntervalMs ?? 0
    if (ms > 0) this.timers.push(setInterval(() => this.advance(1), ms).unref())
    return this.address
  }

  get address(): ServerAddress {
    const port = (this.http.address() as AddressInfo).port
    return { protocol: 'alpaca', port, url: `http://127.0.0.1:${port}` }
  }

  /** Stops: closes every connection and the listener. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    this.streams.close()
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((res) => this.http.close(() => res()))
  }

  /** Replays up to `n` bars; how many it replayed (with those a `fill-during-disconnect` drop replayed). */
  advance(n: number): number {
    const from = this.cursor
    let k = 0
    const bars = this.opts.bars
    while (k < n && this.cursor < bars.length) {
      const bar = bars[this.cursor++]!
      this.book.onBar(bar)
      this.streams.broadcastBar(bar)
      k++
      const t = this.faults.get('disconnect')?.trigger
      if (t?.kind === 'bars' && !this.disconnecting && ++this.barsSinceDisconnect >= t.n) this.disconnect()
    }
    return this.cursor - from
  }

  /**
   * Drops every stream connection (trade updates and market data). With `fill-during-disconnect` the next bar
   * is replayed at once, before any client can reconnect, so what fills on it only a REST query finds.
   */
  disconnect(): number {
    this.barsSinceDisconnect = 0
    const n = this.streams.dropAll()
    this.faults.note('disconnect')
    const down = this.faults.get('disconnect')?.params.down ?? 0
    if (down > 0) this.streams.downUntil = Date.now() + down
    if (this.faults.has('fill-during-disconnect')) {
      this.faults.note('fill-during-disconnect')
      this.disconnecting = true
      try {
        this.advance(1)
      } finally {
        this.disconnecting = false
      }
    }
    return n
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const method = req.method ?? 'GET'
    try {
      const body = await readBody(req)
      if (path.startsWith('/admin/')) return this.admin(method, path, body, res)
      if (req.headers['apca-api-key-id'] !== this.keyId || req.headers['apca-api-secret-key'] !== this.secret)
        throw new VenueRefusal(403, ALPACA_ERRORS.forbidden, 'forbidden')
      const rate = this.faults.fire('http429')
      if (rate) {
        const s = (rate.params['retry-after'] ?? 1000) / 1000
        res.setHeader('Retry-After', dec(s))
        throw new VenueRefusal(429, ALPACA_ERRORS.rateLimited, 'rate limit exceeded')
      }
      const fail = this.faults.fire('http5xx')
      if (fail) throw new VenueRefusal(fail.params.status ?? 500, ALPACA_ERRORS.internal, 'internal server error')
      const out = this.route(method, path, url.searchParams, body)
      const lost = this.faults.fire('lost-ack')
      if (lost) throw new VenueRefusal(lost.params.status ?? 502, ALPACA_ERRORS.internal, 'bad gateway')
      if (method === 'POST' && path === '/v2/orders') {
        const slow = this.faults.fire('slow-ack')
        if (slow) await new Promise((r) => setTimeout(r, slow.params.ms ?? 500))
      }
      if (out === undefined) {
        res.writeHead(204).end()
        return
      }
      json(res, out.status ?? 200, out.body)
    } catch (e) {
      if (e instanceof VenueRefusal) return json(res, e.status, { code: e.code, message: e.message })
      json(res, 500, { code: ALPACA_ERRORS.internal, message: e instanceof Error ? e.message : String(e) })
    }
  }

  private route(
    method: string,
    path: string,
    q: URLSearchParams,
    body: Record<string, unknown>,
  ): { status?: number; body: unknown } | undefined {
    const b = this.book
    const orderId = /^\/v2\/orders\/([^/]+)$/.exec(path)?.[1]
    if (path === '/v2/account' && method === 'GET') return { body: b.account() }
    if (path === '/v2/positions' && method === 'GET') return { body: b.positionList() }
    if (path === '/v2/orders:by_client_order_id' && method === 'GET')
      return { body: b.orderByClientId(q.get('client_order_id') ?? '') }
    if (path === '/v2/orders' && method === 'POST')
      return { body: b.submit(body, this.faults.fire('reject') !== undefined) }
    if (path === '/v2/orders' && method === 'GET') return { body: this.listOrders(q) }
    if (path === '/v2/orders' && method === 'DELETE')
      return { status: 207, body: b.cancelAll().map((o) => ({ id: o.id, status: 200, body: b.order(o.id) })) }
    if (orderId !== undefined && method === 'GET') return { body: b.order(decodeURIComponent(orderId)) }
    if (orderId !== undefined && method === 'DELETE') {
      b.cancel(decodeURIComponent(orderId))
      return undefined
    }
    if (orderId !== undefined && method === 'PATCH') return { body: b.replace(decodeURIComponent(orderId), body) }
    if (path === '/v2/account/activities/FILL' && method === 'GET') return { body: this.activities(q) }
    throw new VenueRefusal(404, ALPACA_ERRORS.notFound, 'endpoint not found')
  }

  private listOrders(q: URLSearchParams): unknown[] {
    const status = q.get('status') ?? 'open'
    if (!['open', 'closed', 'all'].includes(status)) throw invalid(`invalid status ${JSON.stringify(status)}`)
    const all = this.book.listOrders(status, timeParam(q, 'after'), timeParam(q, 'until'))
    const limit = intParam(q, 'limit', 50, 500)
    const dir = q.get('direction') ?? 'desc'
    if (dir !== 'asc' && dir !== 'desc') throw invalid('invalid direction')
    const sorted = dir === 'desc' ? all.reverse() : all
    return sorted.slice(0, limit)
  }

  /** `GET /v2/account/activities/FILL`: `after`, `until`, `direction` (default desc), `page_size`, `page_token`. */
  private activities(q: URLSearchParams): unknown[] {
    const after = timeParam(q, 'after')
    const until = timeParam(q, 'until')
    const dir = q.get('direction') ?? 'desc'
    if (dir !== 'asc' && dir !== 'desc') throw invalid('invalid direction')
    const size = intParam(q, 'page_size', 100, 100)
    let list = this.book.fills().filter((a) => {
      const t = Date.parse(a.transaction_time)
      return (after === undefined || t > after) && (until === undefined || t < until)
    })
    if (dir === 'desc') list = list.slice().reverse()
    const token = q.get('page_token')
    if (token) {
      const i = list.findIndex((a) => a.id === token)
      if (i < 0) throw invalid('invalid page_token')
      list = list.slice(i + 1)
    }
    return list.slice(0, size)
  }

  private admin(method: string, path: string, body: Record<string, unknown>, res: ServerResponse): void {
    if (method === 'POST' && path === '/admin/advance') {
      const n = body.bars === undefined ? 1 : Number(body.bars)
      if (!Number.isInteger(n) || n < 0) throw invalid('bars must be a whole number >= 0')
      const advanced = this.advance(n)
      return json(res, 200, {
        advanced,
        time: isoUtc(this.book.time),
        remaining: this.opts.bars.length - this.cursor,
      })
    }
    if (method === 'POST' && path === '/admin/disconnect') return json(res, 200, { closed: this.disconnect() })
    if (method === 'GET' && path === '/admin/stats')
      return json(res, 200, {
        time: isoUtc(this.book.time),
        bars: this.cursor,
        remaining: this.opts.bars.length - this.cursor,
        streams: this.streams.sizes,
        faults: this.faults.counts,
      })
    if (method === 'GET' && path === '/admin/orders') return json(res, 200, this.book.listOrders('all'))
    if (method === 'GET' && path === '/admin/fills') return json(res, 200, this.book.fills())
    throw new VenueRefusal(404, ALPACA_ERRORS.notFound, 'endpoint not found')
  }
}

function invalid(m: string): VenueRefusal {
  return new VenueRefusal(422, ALPACA_ERRORS.invalid, m)
}

function timeParam(q: URLSearchParams, k: string): EpochMs | undefined {
  const v = q.get(k)
  if (v === null || v === '') return undefined
  const t = Date.parse(v)
  if (!Number.isFinite(t)) throw invalid(`invalid ${k} ${JSON.stringify(v)}: expected an RFC 3339 time`)
  return t
}

function intParam(q: URLSearchParams, k: string, dflt: number, max: number): number {
  const v = q.get(k)
  if (v === null || v === '') return dflt
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw invalid(`invalid ${k} ${JSON.stringify(v)}`)
  return Math.min(n, max)
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  try {
    const v = JSON.parse(text) as unknown
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    // answered below
  }
  throw new VenueRefusal(400, 40010000, 'request body format is invalid')
}
