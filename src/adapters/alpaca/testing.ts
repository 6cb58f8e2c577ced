/** Fixtures of the Alpaca adapter tests: a server on 127.0.0.1 port 0 over a few known bars, and clients of it. */
import { makeInstrument } from '../../core/index.ts'
import type { Bar, ExecutionReport, KestrelError, Order } from '../../core/index.ts'
import { AlpacaExecutionClient, type AlpacaExecutionOptions } from './execution-client.ts'
import { AlpacaVenueServer, type AlpacaServerOptions } from './server.ts'

/** The instrument the fixture server lists. */
export const AAPL = makeInstrument({ symbol: 'AAPL', venue: 'ALPACA', assetClass: 'equity' })

const T0 = Date.parse('2024-01-02T14:30:00Z')
const M = 60_000

/** Minute bars of AAPL from the NYSE open of 2024-01-02: [open, high, low, close, volume]. */
export const BAR_ROWS: readonly (readonly [number, number, number, number, number])[] = [
  [100, 101, 99, 100.5, 1000],
  [100.5, 102, 100, 101, 100],
  [101, 101.5, 98, 99, 1000],
  [99, 100, 97, 98, 1000],
  [98, 99, 97.5, 98.5, 1000],
  [98.5, 99.5, 98, 99, 1000],
]

/** The bars of {@link BAR_ROWS}. */
export function fixtureBars(): Bar[] {
  return BAR_ROWS.map(([open, high, low, close, volume], i) => ({
    instrumentId: AAPL.id,
    timeframe: '1m',
    openTime: T0 + i * M,
    closeTime: T0 + (i + 1) * M,
    open,
    high,
    low,
    close,
    volume,
  }))
}

/** A started fixture server and its admin calls. */
export interface TestVenue {
  readonly server: AlpacaVenueServer
  readonly url: string
  readonly port: number
  /** `POST /admin/<what>` with a JSON body; its JSON answer. */
  admin(what: string, body?: unknown): Promise<Record<string, unknown>>
  stop(): Promise<void>
}

/** Starts a server on 127.0.0.1 port 0 over {@link fixtureBars}. */
export async function startTestVenue(o: Partial<AlpacaServerOptions> = {}): Promise<TestVenue> {
  const server = new AlpacaVenueServer({ instruments: [AAPL], bars: fixtureBars(), ...o })
  const { url, port } = await server.start()
  return {
    server,
    url,
    port,
    async admin(what, body = {}) {
      const res = await fetch(`${url}/admin/${what}`, { method: 'POST', body: JSON.stringify(body) })
      return (await res.json()) as Record<string, unknown>
    },
    stop: () => server.stop(),
  }
}

/** A client of a test venue with what it reported, the errors it raised and the retry delays it slept. */
export interface TestClient {
  readonly client: AlpacaExecutionClient
  readonly reports: ExecutionReport[]
  readonly errors: { error: KestrelError; clientOrderId: string }[]
  readonly delays: number[]
  readonly connections: boolean[]
}

/** An execution client of `venue` with instant, recorded retry sleeps and fast reconnects. */
export function testClient(venue: TestVenue, o: Partial<AlpacaExecutionOptions> = {}): TestClient {
  const reports: ExecutionReport[] = []
  const errors: TestClient['errors'] = []
  const delays: number[] = []
  const connections: boolean[] = []
  const client = new AlpacaExecutionClient({
    baseUrl: venue.url,
    keyId: 'kestrel',
    secretKey: 'kestrel',
    reconnect: { baseDelayMs: 10, maxDelayMs: 50 },
    onError: (error, clientOrderId) => errors.push({ error, clientOrderId }),
    ...o,
    retry: {
      baseDelayMs: 10,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms)
      },
      ...o.retry,
    },
  })
  client.connect((r) => reports.push(r))
  client.onConnection((up) => connections.push(up))
  return { client, reports, errors, delays, connections }
}

/** An order for AAPL as the engine hands it to a client. */
export function testOrder(clientOrderId: string, over: Partial<Order> = {}): Order {
  return {
    clientOrderId,
    strategyId: 'test',
    instrumentId: AAPL.id,
    side: 'BUY',
    type: 'MARKET',
    quantity: 10,
    timeInForce: 'DAY',
    reduceOnly: false,
    postOnly: false,
    status: 'SUBMITTED',
    filledQuantity: 0,
    avgFillPrice: NaN,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  }
}

/** Waits (polling the event loop) until `cond` holds; fails naming `what` after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** A compact form of reports for assertions: `ACCEPTED a`, `FILL a 10@100`, `CANCELED a (reason)`. */
export function brief(reports: readonly ExecutionReport[]): string[] {
  return reports.map((r) =>
    r.kind === 'FILL'
      ? `FILL ${r.fill.clientOrderId} ${r.fill.quantity}@${r.fill.price}`
      : r.kind === 'CANCELED' || r.kind === 'REJECTED'
        ? `${r.kind} ${r.clientOrderId}${r.reason ? ` (${r.reason})` : ''}`
        : `${r.kind} ${r.clientOrderId}`,
  )
}

/** A raw trade_updates listener: each update as `event client_order_id`, in wire order. */
export async function rawTradeStream(venue: TestVenue): Promise<{ events: string[]; close: () => void }> {
  const { default: WebSocket } = await import('ws')
  const ws = new WebSocket(`${venue.url.replace('http', 'ws')}/stream`)
  const events: string[] = []
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ action: 'auth', key: 'kestrel', secret: 'kestrel' })))
    ws.on('error', reject)
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString('utf8')) as {
        stream: string
        data: { event?: string; order?: { client_order_id: string } }
      }
      if (m.stream === 'authorization')
        ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }))
      else if (m.stream === 'listening') resolve()
      else if (m.stream === 'trade_updates') events.push(`${m.data.event} ${m.data.order?.client_order_id}`)
    })
  })
  return { events, close: () => ws.terminate() }
}
