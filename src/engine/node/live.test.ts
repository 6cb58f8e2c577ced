import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { z } from 'zod'
import { KestrelError, makeInstrument } from '../../core/index.ts'
import type {
  Bar,
  ConnectionListener,
  DataClient,
  EpochMs,
  ExecutionReport,
  Fill,
  Order,
  ReconcilingClient,
  ReportSink,
  VenueOrder,
  VenuePosition,
} from '../../core/index.ts'
import { defineStrategy, type StrategyDefinition } from '../../strategy/index.ts'
import { scriptedStrategy } from '../testing.ts'
import { readJournal } from '../journal/index.ts'
import { LiveNode, NODE_RECORD, nodeFingerprint, type LiveNodeOptions } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-live-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const journal = () => join(dir, `l${++n}.journal`)
const inst = makeInstrument({ symbol: 'TEST', venue: 'MEM', assetClass: 'equity' })
const M = 60_000

/**
 * A venue in memory that keeps its own truth (orders, fills, position) and can misbehave: withhold reports
 * (a dropped stream), lose a submission, duplicate reports. Fills happen when the test says so.
 */
class MemoryVenue implements ReconcilingClient {
  readonly venue = 'MEM'
  sink: ReportSink | undefined
  orders = new Map<string, VenueOrder>()
  fills: Fill[] = []
  listeners: ConnectionListener[] = []
  streamUp = true
  loseNextSubmit = false
  duplicate = false
  submits = 0
  private seq = 0
  connect(sink: ReportSink): void {
    this.sink = sink
  }
  private report(r: ExecutionReport): void {
    if (!this.streamUp) return
    this.sink!(r)
    if (this.duplicate) this.sink!(r)
  }
  submit(o: Readonly<Order>, time: EpochMs): void {
    this.submits++
    if (this.loseNextSubmit) {
      this.loseNextSubmit = false
      return
    }
    if (this.orders.has(o.clientOrderId)) return // one order per client order id
    const v: VenueOrder = {
      clientOrderId: o.clientOrderId,
      venueOrderId: `V${++this.seq}`,
      instrumentId: o.instrumentId,
      side: o.side,
      type: o.type,
      timeInForce: o.timeInForce,
      quantity: o.quantity,
      status: 'ACCEPTED',
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: time,
      updatedAt: time,
    }
    this.orders.set(o.clientOrderId, v)
    this.report({ kind: 'ACCEPTED', clientOrderId: o.clientOrderId, venueOrderId: v.venueOrderId, time })
  }
  cancel(id: string, time: EpochMs): void {
    const v = this.orders.get(id)
    if (!v || v.status === 'FILLED' || v.status === 'CANCELED') return
    this.orders.set(id, { ...v, status: 'CANCELED', updatedAt: time })
    this.report({ kind: 'CANCELED', clientOrderId: id, time })
  }
  /** Fills every open order at `price`. */
  fillAll(price: number, time: EpochMs): void {
    for (const v of this.orders.values()) {
      if (v.status !== 'ACCEPTED' && v.status !== 'PARTIALLY_FILLED') continue
      const q = v.quantity - v.filledQuantity
      const f: Fill = {
        fillId: `F${this.fills.length + 1}`,
        clientOrderId: v.clientOrderId,
        venueOrderId: v.venueOrderId,
        strategyId: '',
        instrumentId: v.instrumentId,
        side: v.side,
        quantity: q,
        price,
        fee: 0,
        feeCurrency: 'USD',
        liquidity: 'TAKER',
        time,
      }
      this.fills.push(f)
      this.orders.set(v.clientOrderId, {
        ...v,
        status: 'FILLED',
        filledQuantity: v.quantity,
        avgFillPrice: price,
        updatedAt: time,
      })
      this.report({ kind: 'FILL', fill: f })
    }
  }
  setStream(up: boolean): void {
    this.streamUp = up
    for (const l of this.listeners) l(up, up ? undefined : 'test cut')
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async queryOrder(id: string): Promise<VenueOrder | undefined> {
    return this.orders.get(id)
  }
  async openOrders(): Promise<readonly VenueOrder[]> {
    return [...this.orders.values()].filter((v) => v.status === 'ACCEPTED' || v.status === 'PARTIALLY_FILLED')
  }
  async fillsSince(t: EpochMs): Promise<readonly Fill[]> {
    return this.fills.filter((f) => f.time >= t)
  }
  async positions(): Promise<readonly VenuePosition[]> {
    let q = 0
    for (const f of this.fills) q += f.side === 'BUY' ? f.quantity : -f.quantity
    return q === 0 ? [] : [{ instrumentId: inst.id, quantity: q, avgPrice: 0 }]
  }
  async balances() {
    return []
  }
  onConnection(l: ConnectionListener): void {
    this.listeners.push(l)
  }
}

/** A data client the test pushes bars through. */
class PushData implements DataClient {
  readonly name = 'push'
  handler: ((b: Bar) => void) | undefined
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  subscribeBars(_i: string, _tf: string, h: (b: Bar) => void): void {
    this.handler = h
  }
  push(i: number, price = 100): void {
    this.handler!({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: i * M,
      closeTime: (i + 1) * M,
      open: price,
      high: price + 1,
      low: price - 1,
      close: price,
      volume: 1000,
    })
  }
}

const buyAt = (...bars: number[]) =>
  scriptedStrategy(bars.map((bar) => ({ bar, make: (o, id) => o.market(id, 'BUY', 10) })))

function node(
  venue: MemoryVenue,
  data: PushData,
  path: string,
  strategy: StrategyDefinition,
  over: Partial<LiveNodeOptions> = {},
) {
  let t = 0
  const clock = { now: () => t, set: (x: number) => (t = x) }
  const live = new LiveNode({
    instruments: [inst],
    strategies: [{ definition: strategy }],
    account: { cash: 1_000_000 },
    client: venue,
    data,
    feeds: [{ instrumentId: inst.id, timeframe: '1m' }],
    journal: path,
    fingerprint: nodeFingerprint('test'),
    now: clock.now,
    reconcileEveryMs: 0,
    ...over,
  })
  return { live, clock }
}

const net = async (v: MemoryVenue) => (await v.positions())[0]?.quantity ?? 0

describe('the live node', () => {
  it('journals every report before acting on it, and reconciles clean when the venue agrees', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const path = journal()
    const { live, clock } = node(v, d, path, buyAt(1, 3))
    await live.start()
    for (let i = 0; i < 5; i++) {
      clock.set((i + 1) * M)
      d.push(i)
      v.fillAll(100 + i, clock.now())
    }
    assert.equal(await net(v), 20)
    assert.equal(live.kernel.portfolio.bookOf(inst.id)!.netQuantity, 20)
    assert.deepEqual(await live.reconcile(), [])
    const res = await live.stop()
    assert.equal(res.fills.length, 2)
    const kinds = readJournal(path).map((r) => r.kind)
    const submit = kinds.indexOf(NODE_RECORD.submit)
    assert.ok(submit > 0 && kinds.indexOf(NODE_RECORD.report) > submit)
  })

  it('recovers fills that happened while the report stream was down, without inventing any', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const { live, clock } = node(v, d, journal(), buyAt(1, 2, 3))
    await live.start()
    clock.set(M)
    d.push(0)
    clock.set(2 * M)
    d.push(1) // order 1 submitted, acked
    v.setStream(false)
    assert.ok(live.status().halted.venue, 'a lost connection halts new risk')
    v.fillAll(101, 2 * M + 5) // filled, not reported
    clock.set(3 * M)
    d.push(2) // order 2: refused while halted (it would add to the position)
    v.setStream(true)
    await live.reconcile()
    await new Promise((r) => setImmediate(r))
    assert.equal(live.kernel.portfolio.bookOf(inst.id)!.netQuantity, 10)
    assert.equal(await net(v), 10)
    assert.equal(live.status().halted.venue, undefined, 'reconnected and reconciled: the venue halt lifts')
    assert.equal(live.counters.reconciledReports, 1)
    const res = await live.stop()
    assert.deepEqual(
      res.fills.map((f) => f.fillId),
      ['F1'],
    )
    assert.ok(res.orders.some((o) => o.status === 'REJECTED' && /node halted/.test(o.rejectReason ?? '')))
  })

  it('asks the venue about an order whose acknowledgement never came, and sends a lost one again under the same id', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const { live, clock } = node(v, d, journal(), buyAt(0), { ackTimeoutMs: 1000 })
    await live.start()
    v.loseNextSubmit = true
    clock.set(M)
    d.push(0)
    const id = live.kernel.execution.openOrders()[0]!.clientOrderId
    assert.equal(live.kernel.execution.order(id)!.status, 'SUBMITTED')
    clock.set(M + 5000)
    await new Promise((r) => setTimeout(r, 400)) // the in-flight check runs every 250 ms
    assert.equal(v.submits, 2)
    assert.equal(v.orders.size, 1, 'one order at the venue')
    assert.equal(live.kernel.execution.order(id)!.status, 'ACCEPTED')
    assert.equal(live.counters.resubmits, 1)
    // Acknowledged but the ack was lost: the query finds it, nothing is sent again.
    v.streamUp = false
    await live.stop()
  })

  it('drops a duplicated fill (same fill id) and counts it', async () => {
    const v = new MemoryVenue()
    v.duplicate = true
    const d = new PushData()
    const { live, clock } = node(v, d, journal(), buyAt(0))
    await live.start()
    clock.set(M)
    d.push(0)
    v.fillAll(100, M + 1)
    assert.equal(live.kernel.portfolio.bookOf(inst.id)!.netQuantity, 10)
    assert.equal(live.counters.duplicateFills, 1)
    await live.stop()
  })

  it('halts on a venue order it has no record of, refuses new risk, and lets a person resume', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    v.orders.set('X-1', {
      clientOrderId: 'X-1',
      venueOrderId: 'V0',
      instrumentId: inst.id,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: 5,
      status: 'ACCEPTED',
      filledQuantity: 0,
      avgFillPrice: NaN,
      createdAt: 0,
      updatedAt: 0,
    })
    const { live, clock } = node(v, d, journal(), buyAt(0))
    await live.start()
    assert.match(
      live.status().halted.reconcile!,
      /the venue holds open order X-1 \(BUY 5 TEST\.MEM\) that this node has no record of/,
    )
    clock.set(M)
    d.push(0)
    const res0 = live.kernel.execution.openOrders()
    assert.equal(res0.length, 0, 'the buy was refused')
    live.controls.resume('ops', 'external order is ours')
    assert.deepEqual(live.status().halted, {})
    await live.stop()
  })

  it('after a kill, 10,000 strategy submissions reach the venue 0 times', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const spam = defineStrategy({
      name: 'spam',
      params: z.object({}),
      create(ctx) {
        return {
          onBar(bar) {
            for (let i = 0; i < 100; i++) ctx.submit(ctx.orders.market(bar.instrumentId, 'BUY', 1))
          },
        }
      },
    }) as unknown as StrategyDefinition
    const { live, clock } = node(v, d, journal(), spam)
    await live.start()
    clock.set(M)
    d.push(0)
    v.fillAll(100, M + 1)
    const before = v.submits
    live.controls.kill('ops', 'test')
    const flatten = v.submits - before
    assert.equal(flatten, 1, 'one flattening order')
    v.fillAll(100, M + 2)
    assert.equal(await net(v), 0)
    for (let i = 1; i <= 100; i++) {
      clock.set((i + 1) * M)
      d.push(i)
    }
    assert.equal(v.submits - before, flatten, '0 of 10,000 reached the venue')
    const res = await live.stop()
    assert.ok(res.orders.filter((o) => o.status === 'REJECTED').length >= 10_000)
  })

  it('restarts from its journal after a crash: replays, reconciles the fills it missed, sends nothing twice', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const path = journal()
    const a = node(v, d, path, buyAt(1, 3, 5))
    await a.live.start()
    for (let i = 0; i < 4; i++) {
      a.clock.set((i + 1) * M)
      d.push(i)
      if (i < 3) v.fillAll(100, a.clock.now() + 1)
    }
    // The crash: the process dies with order 2 working; the venue fills it while the node is down.
    const crashed = join(dir, 'crashed.journal')
    copyFileSync(path, crashed)
    v.streamUp = false
    v.fillAll(102, 4 * M + 10)
    v.streamUp = true
    const d2 = new PushData()
    const b = node(v, d2, crashed, buyAt(1, 3, 5))
    b.clock.set(5 * M)
    await b.live.start()
    assert.ok(b.live.replayed > 0)
    assert.deepEqual(b.live.status().halted, {})
    assert.equal(b.live.kernel.portfolio.bookOf(inst.id)!.netQuantity, 20)
    const submitsBefore = v.submits
    for (let i = 4; i < 7; i++) {
      b.clock.set((i + 1) * M)
      d2.push(i)
      v.fillAll(103, b.clock.now() + 1)
    }
    assert.equal(v.submits - submitsBefore, 1, 'only the third order is new')
    assert.equal(await net(v), 30)
    const res = await b.live.stop()
    assert.deepEqual(
      res.fills.map((f) => f.fillId),
      ['F1', 'F2', 'F3'],
    )
    await a.live.stop().catch(() => undefined)
  })

  it('cancels working orders on a graceful stop, and leaves them with onStop: leave', async () => {
    for (const onStop of ['cancel', 'leave'] as const) {
      const v = new MemoryVenue()
      const d = new PushData()
      const limit = scriptedStrategy([{ bar: 0, make: (o, id) => o.limit(id, 'BUY', 10, 90) }])
      const { live, clock } = node(v, d, journal(), limit, { onStop })
      await live.start()
      clock.set(M)
      d.push(0)
      assert.equal((await v.openOrders()).length, 1)
      await live.stop()
      assert.equal((await v.openOrders()).length, onStop === 'cancel' ? 0 : 1, onStop)
    }
  })

  it('journals a bad live bar as quarantined with its reason and never shows it to a strategy', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const path = journal()
    const { live, clock } = node(v, d, path, buyAt(0))
    await live.start()
    clock.set(M)
    d.handler!({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: 0,
      closeTime: M,
      open: 100,
      high: 99,
      low: 98,
      close: 100,
      volume: 5,
    })
    assert.equal(live.counters.quarantinedBars, 1)
    assert.equal(live.kernel.execution.openCount, 0, 'the strategy did not see it')
    const q = readJournal(path).find((r) => r.kind === 'md.quarantine')
    assert.match((q!.data as { reason: string }).reason, /high 99 \/ low 98 do not contain open 100 and close 100/)
    d.push(0)
    assert.equal(live.kernel.execution.openCount, 1, 'the good bar of the same minute is used')
    await live.stop()
  })

  it('halts new risk while a feed is silent past staleFeedMs and lifts the halt when data returns', async () => {
    const v = new MemoryVenue()
    const d = new PushData()
    const { live, clock } = node(v, d, journal(), buyAt(1), { staleFeedMs: 1000 })
    await live.start()
    clock.set(5000)
    await new Promise((r) => setTimeout(r, 400))
    assert.match(live.status().halted.feed!, /no bar of TEST\.MEM 1m for 5000 ms \(limit 1000 ms\)/)
    d.push(0)
    assert.equal(live.status().halted.feed, undefined)
    await live.stop()
  })

  it('refuses a journal written by another node id', async () => {
    const v = new MemoryVenue()
    const path = journal()
    const a = node(v, new PushData(), path, buyAt(0))
    await a.live.start()
    await a.live.stop()
    const b = node(v, new PushData(), path, buyAt(0), { nodeId: 'N2' })
    await assert.rejects(b.live.start(), (e: unknown) => e instanceof KestrelError && e.code === 'NODE_HALTED')
  })
})
