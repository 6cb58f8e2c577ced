/**
 * Live node benchmark: the LiveNode with the Alpaca execution and data clients and the local Alpaca venue
 * server, all in this process over 127.0.0.1 (the reconciliation scenario's first node runs in a child process
 * so that it can be killed with SIGKILL).
 *   1. Latency, bar in -> order at the venue: a strategy sends one market order on every bar; the server replays
 *      one bar per `POST /admin/advance` and the next bar waits for the order's acknowledgement. Measured from
 *      the data client handing the bar to the node (its subscribeBars handler, wrapped) to the venue book taking
 *      the order (`server.book.submit`, wrapped: the server has parsed the request) and to the execution
 *      client's `fetch` returning the acknowledgement. Journal durability `os` and `fsync`. Peer in the same
 *      run: the same two clients without the node (the bar handler calls `client.submit` itself).
 *   2. Reconciliation: a node in a child process sends 1,000 resting limit orders and 10,000 market orders, is
 *      killed with SIGKILL once every order is acknowledged, then the venue fills the 10,000 while no node runs.
 *      A new node on the same journal: `start()` -> reconciled (replay, 10,000 fills found, 1,000 open).
 *   3. Kill switch: with 1,000 open orders (and a position), `controls.kill()` -> every order canceled at the
 *      venue; then 10,000 submit attempts by the strategy, counting those that reach the venue.
 * CPU time is this process's (node, clients and venue server together); the machine is shared.
 * Run: node --import tsx --expose-gc bench/live.bench.ts [bars] [runs] [latency,reconcile,kill] [scale]
 */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { AlpacaDataClient, AlpacaExecutionClient, AlpacaVenueServer } from '../src/adapters/alpaca/index.ts'
import { makeInstrument, type Bar, type OrderRequest } from '../src/core/index.ts'
import type { Durability } from '../src/engine/journal/index.ts'
import { LiveNode, nodeFingerprint } from '../src/engine/node/index.ts'
import { defineStrategy, type StrategyDefinition } from '../src/strategy/index.ts'

const BARS = Number(process.argv[2] ?? 2000)
const RUNS = Number(process.argv[3] ?? 3)
const ONLY = process.argv[4] ?? 'latency,reconcile,kill'
const WARM = 50
const note = (m: string) => process.stderr.write(`  ${m}\n`)
/** Scenarios 2 and 3 at this share of their size (default 1: 1,000 open orders, 10,000 fills and attempts). */
const SCALE = Number(process.argv[5] ?? 1)
const OPEN = Math.round(1000 * SCALE)
const FILLS = Math.round(10_000 * SCALE)
const ATTEMPTS = Math.round(10_000 * SCALE)
const AAPL = makeInstrument({ symbol: 'AAPL', venue: 'ALPACA', assetClass: 'equity' })
const T0 = Date.parse('2024-01-02T14:30:00Z')
const M = 60_000
const CASH = 100_000_000
const KEY = 'kestrel'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
function pct(s: number[], p: number): number {
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = performance.now() + ms
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

/** Minute bars of AAPL, a random walk near 100 with a volume no order here can exhaust. */
function bars(n: number): Bar[] {
  let px = 100
  let s = 7
  const out: Bar[] = []
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    const next = Math.max(50, px + (s / 2 ** 31 - 0.5) * 0.2)
    const hi = Math.max(px, next) + 0.05
    const lo = Math.min(px, next) - 0.05
    out.push({
      instrumentId: AAPL.id,
      timeframe: '1m',
      openTime: T0 + i * M,
      closeTime: T0 + (i + 1) * M,
      open: +px.toFixed(2),
      high: +hi.toFixed(2),
      low: +lo.toFixed(2),
      close: +next.toFixed(2),
      volume: 1e9,
    })
    px = next
  }
  return out
}

type Plan = 'latency' | 'reconcile' | 'kill'
/** What each scenario's strategy sends on bar k (of its own feed, from 0). */
interface Orders {
  market(id: string, side: 'BUY' | 'SELL', qty: number): OrderRequest
  limit(id: string, side: 'BUY' | 'SELL', qty: number, price: number): OrderRequest
}
function planned(plan: Plan, k: number, o: Orders, id: string): OrderRequest[] {
  const out: OrderRequest[] = []
  if (plan === 'latency') out.push(o.market(id, k % 2 ? 'SELL' : 'BUY', 1))
  else if (plan === 'reconcile' && k === 0) {
    for (let i = 0; i < OPEN; i++) out.push(o.limit(id, 'BUY', 1, 1))
    for (let i = 0; i < FILLS; i++) out.push(o.market(id, 'BUY', 1))
  } else if (plan === 'kill' && k === 0) {
    for (let i = 0; i < OPEN; i++) out.push(o.limit(id, 'BUY', 1, 1))
    out.push(o.market(id, 'BUY', 10))
  } else if (plan === 'kill' && k === 2) for (let i = 0; i < ATTEMPTS; i++) out.push(o.market(id, 'BUY', 1))
  return out
}
function strategy(plan: Plan): StrategyDefinition {
  return defineStrategy({
    name: `bench-${plan}`,
    params: z.object({}),
    create(ctx) {
      let k = -1
      return {
        onBar(bar) {
          if (bar.instrumentId !== AAPL.id) return
          k++
          for (const r of planned(plan, k, ctx.orders as never, AAPL.id)) ctx.submit(r)
        },
      }
    },
  }) as unknown as StrategyDefinition
}

/** Errors the execution clients reported (outcome unknown), by message. */
const clientErrors = new Map<string, number>()
interface Wiring {
  onBar?: () => void
  onAck?: () => void
}
function clients(url: string, w: Wiring = {}) {
  const timedFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init)
    if (init?.method === 'POST' && String(input).endsWith('/v2/orders')) w.onAck?.()
    return res
  }
  const client = new AlpacaExecutionClient({
    baseUrl: url,
    keyId: KEY,
    secretKey: KEY,
    fetch: timedFetch,
    onError: (e) => {
      const k = e.message.replace(/\(attempt \d+\)|[0-9a-f-]{36}/g, '')
      clientErrors.set(k, (clientErrors.get(k) ?? 0) + 1)
    },
  })
  const data = new AlpacaDataClient({ url: `${url.replace(/^http/, 'ws')}/v2/iex`, keyId: KEY, secretKey: KEY })
  const sub = data.subscribeBars.bind(data)
  data.subscribeBars = (i, tf, h) =>
    sub(i, tf, (b) => {
      w.onBar?.()
      h(b)
    })
  return { client, data }
}
function liveNode(plan: Plan, url: string, journal: string, durability: Durability, w: Wiring = {}) {
  const { client, data } = clients(url, w)
  return new LiveNode({
    instruments: [AAPL],
    strategies: [{ definition: strategy(plan) }],
    account: { cash: CASH },
    client,
    data,
    feeds: [{ instrumentId: AAPL.id, timeframe: '1m' }],
    journal,
    durability,
    fingerprint: nodeFingerprint(`bench-${plan}`),
    reconcileEveryMs: 0,
    onStop: 'leave',
    startTimeoutMs: 5000,
  })
}
async function venue(
  n: number,
): Promise<{ server: AlpacaVenueServer; url: string; advance: (k?: number) => Promise<void> }> {
  const server = new AlpacaVenueServer({ instruments: [AAPL], bars: bars(n), cash: CASH, keyId: KEY, secretKey: KEY })
  const { url } = await server.start()
  const advance = async (k = 1) => {
    const res = await fetch(`${url}/admin/advance`, { method: 'POST', body: JSON.stringify({ bars: k }) })
    await res.json()
  }
  return { server, url, advance }
}
/**
 * Counts the orders the venue book takes (calling `hook` with each) and the cancels it carries out, without
 * scanning the book (a scan of 11,000 orders per poll would load the server under measurement).
 */
function watchSubmits(
  server: AlpacaVenueServer,
  hook: () => void = () => {},
): { count: () => number; canceled: () => number; ids: Set<string> } {
  const ids = new Set<string>()
  let n = 0
  let c = 0
  const book = server.book
  const orig = book.submit.bind(book)
  book.submit = (body, reject) => {
    n++
    ids.add(String(body.client_order_id))
    hook()
    return orig(body, reject)
  }
  const cancel = book.cancel.bind(book)
  book.cancel = (id) => {
    cancel(id)
    c++
  }
  return { count: () => n, canceled: () => c, ids }
}
const openAtVenue = (s: AlpacaVenueServer) => s.book.listOrders('open').length

// ---- 1. latency ----

interface Lat {
  venue: number[]
  ack: number[]
  cpuPerBar: number
  wall: number
}
async function latency(mode: Durability | 'peer', dir: string): Promise<Lat> {
  const v = await venue(BARS + WARM + 2)
  let tBar = 0
  let atVenue: (() => void) | undefined
  let acked: (() => void) | undefined
  const lv: number[] = []
  const la: number[] = []
  watchSubmits(v.server, () => {
    lv.push(performance.now() - tBar)
    atVenue?.()
  })
  const w: Wiring = {
    onBar: () => (tBar = performance.now()),
    onAck: () => {
      la.push(performance.now() - tBar)
      acked?.()
    },
  }
  let stop: () => Promise<unknown>
  if (mode === 'peer') {
    const { client, data } = clients(v.url, w)
    let k = 0
    client.connect(() => {})
    await client.start()
    await data.connect()
    data.subscribeBars(AAPL.id, '1m', () => {
      const side = k++ % 2 ? 'SELL' : 'BUY'
      const id = `P${k}`
      client.submit(
        {
          clientOrderId: id,
          strategyId: 'peer',
          instrumentId: AAPL.id,
          side,
          type: 'MARKET',
          quantity: 1,
          timeInForce: 'DAY',
          reduceOnly: false,
          postOnly: false,
          status: 'SUBMITTED',
          filledQuantity: 0,
          avgFillPrice: NaN,
          createdAt: 0,
          updatedAt: 0,
        },
        0,
      )
    })
    stop = async () => {
      await data.disconnect()
      await client.stop()
    }
  } else {
    const node = liveNode('latency', v.url, join(dir, `lat-${mode}-${Math.random()}.journal`), mode, w)
    await node.start()
    stop = () => node.stop()
  }
  let c0 = process.cpuUsage()
  let w0 = performance.now()
  for (let i = 0; i < BARS + WARM; i++) {
    if (i === WARM) {
      lv.length = 0
      la.length = 0
      c0 = process.cpuUsage()
      w0 = performance.now()
    }
    const got = new Promise<void>((r) => (atVenue = r))
    const ack = new Promise<void>((r) => (acked = r))
    await v.advance(1)
    await got
    await ack
  }
  const wall = performance.now() - w0
  const c = process.cpuUsage(c0)
  await stop()
  await v.server.stop()
  return { venue: lv, ack: la, cpuPerBar: (c.user + c.system) / 1000 / BARS, wall: wall / BARS }
}

// ---- 2. reconciliation ----

async function writer(url: string, journal: string): Promise<void> {
  const node = liveNode('reconcile', url, journal, 'os')
  await node.start()
  process.on('message', (m) => {
    if (m === 'acked?') {
      const acked = node.kernel.execution.openOrders().filter((o) => o.status === 'ACCEPTED').length
      process.send!({ acked })
    }
  })
  process.send!('ready')
}

async function reconcile(dir: string): Promise<Record<string, number>> {
  const v = await venue(10)
  const subs = watchSubmits(v.server)
  const journal = join(dir, `rec-${Math.random()}.journal`)
  const child = fork(fileURLToPath(import.meta.url), ['--writer', v.url, journal, String(SCALE)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  })
  const reap = () => child.kill('SIGKILL')
  process.once('exit', reap)
  const msgs: unknown[] = []
  child.on('message', (m) => msgs.push(m))
  await until(() => msgs.includes('ready'), 'the writer node to start')
  note('reconcile: writer started')
  await v.advance(1) // bar 0: the writer sends 11,000 orders
  await until(() => subs.count() === OPEN + FILLS, 'the orders at the venue', 600_000)
  let acked = 0
  while (acked < OPEN + FILLS) {
    const n = msgs.length
    child.send('acked?')
    await until(() => msgs.length > n, 'the writer to answer', 600_000)
    acked = (msgs[msgs.length - 1] as { acked: number }).acked
    if (acked < OPEN + FILLS) await sleep(200)
  }
  note('reconcile: every order acknowledged; SIGKILL')
  const dead = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await dead
  await v.advance(1) // bar 1: the 10,000 market orders fill while no node runs
  const fills = v.server.book.fills().length
  if (fills !== FILLS || openAtVenue(v.server) !== OPEN)
    throw new Error(`venue holds ${fills} fills and ${openAtVenue(v.server)} open orders`)
  global.gc?.()
  const node = liveNode('reconcile', v.url, journal, 'os')
  const c0 = process.cpuUsage()
  const w0 = performance.now()
  await node.start()
  const wall = performance.now() - w0
  const c = process.cpuUsage(c0)
  const st = node.status()
  const filled = node.kernel.execution.openCount
  const pos = node.kernel.portfolio.bookOf(AAPL.id)?.netQuantity ?? 0
  if (filled !== OPEN || pos !== FILLS || Object.keys(st.halted).length > 0)
    throw new Error(`after reconciling: ${filled} open, position ${pos}, halted ${JSON.stringify(st.halted)}`)
  const out = {
    wall,
    cpu: (c.user + c.system) / 1000,
    replayed: node.replayed,
    reconciled: node.counters.reconciledReports,
  }
  await node.stop()
  await v.server.stop()
  return out
}

// ---- 3. kill switch ----

async function killSwitch(dir: string): Promise<Record<string, number>> {
  const v = await venue(10)
  const subs = watchSubmits(v.server)
  const node = liveNode('kill', v.url, join(dir, `kill-${Math.random()}.journal`), 'os')
  await node.start()
  const ex = node.kernel.execution
  await v.advance(1) // bar 0: 1,000 limit orders and a market order
  await until(() => ex.openOrders().filter((o) => o.status === 'ACCEPTED').length === OPEN + 1, 'acks', 300_000)
  await v.advance(1) // bar 1: the market order fills
  await until(() => ex.openCount === OPEN && node.kernel.portfolio.bookOf(AAPL.id)?.netQuantity === 10, 'the fill')
  const before = subs.count()
  const idsBefore = subs.ids.size
  note('kill: 1,000 open')
  global.gc?.()
  const c0 = process.cpuUsage()
  const w0 = performance.now()
  node.controls.kill('bench', 'kill switch benchmark')
  const c1 = subs.canceled()
  let at1s = -1
  await until(
    () => {
      if (at1s < 0 && performance.now() - w0 >= 1000) at1s = OPEN - (subs.canceled() - c1)
      return subs.canceled() - c1 >= OPEN
    },
    'every order canceled at the venue',
    120_000,
  ).catch((e) => {
    note(`venue canceled ${subs.canceled() - c1}; client errors ${JSON.stringify([...clientErrors])}`)
    throw e
  })
  if (openAtVenue(v.server) > 1) throw new Error(`${openAtVenue(v.server)} orders open at the venue after the kill`)
  const wall = performance.now() - w0
  const c = process.cpuUsage(c0)
  const pending = () => ex.openOrders().filter((o) => o.type === 'LIMIT').length
  await until(() => pending() === 0, 'the node to see every cancel', 10_000).catch(() => {
    const stuck = ex.openOrders().filter((o) => o.type === 'LIMIT')
    note(
      `node still has ${stuck.length} limit orders open: ${stuck.map((o) => `${o.clientOrderId} ${o.status} venue ${v.server.book.orderByClientId(o.clientOrderId).status}`).join(', ')}`,
    )
  })
  const seen = performance.now() - w0
  await until(() => subs.count() > before, 'the flattening order', 5000).catch(() => undefined)
  await sleep(200)
  const flatten = subs.count() - before
  const flattenIds = subs.ids.size - idsBefore
  await v.advance(1) // bar 2: 10,000 submit attempts
  await sleep(500)
  const reached = subs.count() - before - flatten
  const res = await node.stop()
  const rejected = res.orders.filter((o) => o.status === 'REJECTED').length
  await v.server.stop()
  return {
    wall,
    seen,
    at1s: Math.max(0, at1s),
    cpu: (c.user + c.system) / 1000,
    flatten,
    flattenIds,
    attempts: rejected,
    reached,
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'kestrel-live-bench-'))
  console.log(`live node: ${BARS.toLocaleString('en-US')} bars (after ${WARM} warm-up), median of ${RUNS} runs`)
  console.log(
    `machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, Node ${process.version}, load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, ${os.tmpdir()}`,
  )
  const rows: string[] = []
  for (const mode of ONLY.includes('latency') ? (['peer', 'os', 'fsync'] as const) : []) {
    note(`latency ${mode}`)
    const runs: Lat[] = []
    for (let r = 0; r < RUNS; r++) runs.push(await latency(mode, dir))
    const stat = (f: (l: Lat) => number) => median(runs.map(f)).toFixed(2)
    const sv = (l: Lat) => [...l.venue].sort((a, b) => a - b)
    const sa = (l: Lat) => [...l.ack].sort((a, b) => a - b)
    rows.push(
      `| bar → order at venue, ${mode === 'peer' ? 'peer: clients alone, no node' : `node, journal ${mode}`} | ${stat((l) => pct(sv(l), 0.5))} | ${stat((l) => pct(sv(l), 0.99))} | ${stat((l) => sv(l).at(-1)!)} | ${stat((l) => pct(sa(l), 0.5))} | ${stat((l) => pct(sa(l), 0.99))} | ${stat((l) => l.cpuPerBar)} | ${stat((l) => l.wall)} |`,
    )
  }
  console.log('\n| latency, ms | venue p50 | venue p99 | venue max | ack p50 | ack p99 | CPU ms/bar | wall ms/bar |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) console.log(r)

  const rec: Record<string, number>[] = []
  if (ONLY.includes('reconcile')) for (let r = 0; r < RUNS; r++) rec.push(await reconcile(dir))
  const kill: Record<string, number>[] = []
  if (ONLY.includes('kill')) for (let r = 0; r < RUNS; r++) kill.push(await killSwitch(dir))
  const m = (xs: Record<string, number>[], k: string) => median(xs.map((x) => x[k]!))
  console.log('\n| scenario | wall ms | CPU ms | detail |')
  console.log('|---|---:|---:|---|')
  if (rec.length > 0)
    console.log(
      `| start → reconciled: ${OPEN.toLocaleString('en-US')} open, ${FILLS.toLocaleString('en-US')} fills missed | ${m(rec, 'wall').toFixed(0)} | ${m(rec, 'cpu').toFixed(0)} | ${m(rec, 'replayed')} records replayed, ${m(rec, 'reconciled')} reports reconciled |`,
    )
  if (kill.length > 0)
    console.log(
      `| kill → ${OPEN.toLocaleString('en-US')} orders canceled at venue | ${m(kill, 'wall').toFixed(0)} | ${m(kill, 'cpu').toFixed(0)} | ${m(kill, 'at1s')} still open at 1 s; node saw every cancel at ${m(kill, 'seen').toFixed(0)} ms; ${m(kill, 'flatten')} submissions of ${m(kill, 'flattenIds')} orders reached the venue during the kill; ${m(kill, 'attempts').toLocaleString('en-US')} attempts after the kill refused, ${Math.max(...kill.map((k) => k.reached!))} reached the venue |`,
    )
  rmSync(dir, { recursive: true, force: true })
}

if (process.argv[2] === '--writer') await writer(process.argv[3]!, process.argv[4]!)
else await main()
