import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { KestrelError, makeInstrument, toBarSeries, type Bar } from '../core/index.ts'
import { MemoryStore } from '../data/index.ts'
import type { RiskEngine } from '../risk/index.ts'
import { buyAndHold, defineStrategy, emaCross, smaCross, type StrategyDefinition } from '../strategy/index.ts'
import { buildBacktest, runBacktest, type BacktestOptions } from './backtest-runner.ts'
import type { BarFeed } from './data-engine.ts'
import { chunked, randomBars, scriptedStrategy } from './testing.ts'

const inst = makeInstrument({ symbol: 'TEST', venue: 'SIM', assetClass: 'equity' })
const M = 60_000

function bars(closes: number[], opens?: number[]): Bar[] {
  return closes.map((c, i) => {
    const o = opens?.[i] ?? c
    return {
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: i * M,
      closeTime: (i + 1) * M,
      open: o,
      high: Math.max(o, c) + 0.5,
      low: Math.min(o, c) - 0.5,
      close: c,
      volume: 1000,
    }
  })
}

const base = (over: Partial<BacktestOptions>): BacktestOptions => ({
  instruments: [inst],
  feeds: [],
  strategies: [],
  account: { cash: 100_000 },
  ...over,
})

function hash(r: Awaited<ReturnType<typeof runBacktest>>): string {
  const h = createHash('sha256')
  h.update(JSON.stringify(r.fills))
  h.update(Buffer.from(r.equity.time.buffer))
  h.update(Buffer.from(r.equity.value.buffer))
  return h.digest('hex')
}

/** Plain reference of the long-only SMA cross: decide at close i, fill at open i+1. */
function referenceSmaCross(c: Float64Array, o: Float64Array, fast: number, slow: number) {
  const sma = (i: number, n: number) => {
    let s = 0
    for (let k = i - n + 1; k <= i; k++) s += c[k]!
    return s / n
  }
  const fills: { i: number; side: string; price: number }[] = []
  let pos = 0
  let prev = NaN
  for (let i = slow - 1; i < c.length; i++) {
    const d = sma(i, fast) - sma(i, slow)
    if (!Number.isNaN(prev) && i + 1 < c.length) {
      if (prev <= 0 && d > 0 && pos === 0) {
        fills.push({ i: i + 1, side: 'BUY', price: o[i + 1]! })
        pos = 1
      } else if (prev >= 0 && d < 0 && pos === 1) {
        fills.push({ i: i + 1, side: 'SELL', price: o[i + 1]! })
        pos = 0
      }
    }
    prev = d
  }
  return fills
}

describe('backtest runner', () => {
  it('sma-cross decides at the close and fills at the next open, valuing the open position at the last close', async () => {
    const closes = [10, 10, 10, 10, 11, 12, 13, 12, 10, 9, 8, 9, 11, 13, 14]
    const opens = closes.map((c, i) => (i === 0 ? c : closes[i - 1]! + 0.25))
    const series = toBarSeries(bars(closes, opens))
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
        strategies: [{ definition: smaCross as unknown as StrategyDefinition, params: { fast: 2, slow: 4, size: 10 } }],
        fees: { type: 'percent', takerRate: 0.001 },
      }),
    )
    const ref = referenceSmaCross(series.close, series.open, 2, 4)
    assert.deepEqual(
      r.fills.map((f) => ({ i: f.time / M, side: f.side, price: f.price })),
      ref,
    )
    assert.ok(ref.length >= 3)
    let cash = 100_000
    let pos = 0
    for (const f of ref) {
      const sign = f.side === 'BUY' ? 1 : -1
      cash -= sign * 10 * f.price + 10 * f.price * 0.001
      pos += sign * 10
    }
    assert.ok(Math.abs(r.finalEquity - (cash + pos * closes.at(-1)!)) < 1e-9)
    assert.equal(r.trades.filter((t) => t.open).length, pos > 0 ? 1 : 0)
  })

  it('gives byte-identical fills and equity for the same inputs, however the data is chunked', async () => {
    const s = randomBars(7, 3000, inst.id)
    const run = (data: BarFeed['data']) =>
      runBacktest(
        base({
          feeds: [{ instrumentId: inst.id, timeframe: '1m', data }],
          strategies: [
            { definition: emaCross as unknown as StrategyDefinition, params: { fast: 5, slow: 20, size: 10 } },
            { definition: smaCross as unknown as StrategyDefinition, params: { fast: 8, slow: 30, size: 5 } },
          ],
          fees: { type: 'percent', takerRate: 0.0005 },
          fill: { spreadBps: 2, slippage: { type: 'volatility', k: 0.5 } },
        }),
      )
    const a = await run(s)
    const b = await run(s)
    const c = await run(chunked(s, 97))
    assert.ok(a.fills.length > 20)
    assert.equal(hash(a), hash(b))
    assert.equal(hash(a), hash(c))
  })

  it('streams chunks from an async iterable', async () => {
    const s = randomBars(3, 1000, inst.id)
    async function* gen() {
      for (const c of chunked(s, 128)) yield c
    }
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: gen() }],
        strategies: [{ definition: buyAndHold as unknown as StrategyDefinition, params: { size: 10 } }],
      }),
    )
    assert.equal(r.stats.bars, 1000)
    assert.equal(r.fills[0]!.price, s.open[1])
    assert.ok(Math.abs(r.finalEquity - (100_000 + 10 * (s.close[999]! - s.open[1]!))) < 1e-9)
  })

  it('delivers a 1h bar after the last 1m bar inside it, across symbols in time order', async () => {
    const other = makeInstrument({ symbol: 'OTHER', venue: 'SIM', assetClass: 'equity' })
    const m1 = randomBars(1, 120, inst.id)
    const m1b = randomBars(2, 120, other.id)
    const h1 = toBarSeries(
      [0, 1].map((h) => ({
        instrumentId: inst.id,
        timeframe: '1h',
        openTime: h * 60 * M,
        closeTime: (h + 1) * 60 * M,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      })),
    )
    const seen: string[] = []
    const spy = defineStrategy({
      name: 'spy',
      params: z.object({}),
      create: () => ({ onBar: (b) => seen.push(`${b.instrumentId.slice(0, 1)}${b.timeframe}@${b.closeTime / M}`) }),
    }) as unknown as StrategyDefinition
    await runBacktest(
      base({
        instruments: [inst, other],
        feeds: [
          { instrumentId: inst.id, timeframe: '1h', data: h1 },
          { instrumentId: other.id, timeframe: '1m', data: m1b },
          { instrumentId: inst.id, timeframe: '1m', data: m1 },
        ],
        strategies: [{ definition: spy }],
      }),
    )
    assert.equal(seen.length, 242)
    assert.deepEqual(seen.slice(118, 123), ['O1m@60', 'T1m@60', 'T1h@60', 'O1m@61', 'T1m@61'])
    assert.deepEqual(seen.slice(0, 2), ['O1m@1', 'T1m@1'])
  })

  it('runs a bracket: children wait for the entry, the take-profit fills and cancels the stop-loss', async () => {
    const series = toBarSeries(bars([100, 100, 101, 103, 104, 100]))
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
        strategies: [
          {
            definition: scriptedStrategy([
              {
                bar: 0,
                make: (o, id) =>
                  o.bracket({ instrument: id, side: 'BUY', quantity: 10, stopLoss: 95, takeProfit: 103 }),
              },
            ]),
          },
        ],
      }),
    )
    assert.deepEqual(
      r.fills.map((f) => [f.clientOrderId, f.side, f.price, f.time / M]),
      [
        ['N1-S1-1', 'BUY', 100, 1],
        ['N1-S1-3', 'SELL', 103, 3],
      ],
    )
    const sl = r.orders.find((o) => o.clientOrderId === 'N1-S1-2')!
    assert.equal(sl.status, 'CANCELED')
    assert.equal(r.trades.length, 1)
    assert.equal(r.trades[0]!.pnl, 30)
  })

  it('cancels OTO children when the parent dies unfilled', async () => {
    const series = toBarSeries(bars([100, 100, 101, 103]))
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
        strategies: [
          {
            definition: scriptedStrategy([
              {
                bar: 0,
                make: (o, id) => o.oto(o.limit(id, 'BUY', 5, 90, { timeInForce: 'IOC' }), o.limit(id, 'SELL', 5, 120)),
              },
            ]),
          },
        ],
      }),
    )
    assert.equal(r.fills.length, 0)
    assert.deepEqual(
      r.orders.map((o) => [o.clientOrderId, o.status]),
      [
        ['N1-S1-1', 'CANCELED'],
        ['N1-S1-2', 'CANCELED'],
      ],
    )
  })

  it('never fills before submission plus latency, nor outside the fill bar range', async () => {
    const s = randomBars(11, 500, inst.id)
    const steps = Array.from({ length: 60 }, (_, i) => ({
      bar: i * 8,
      make: (o: import('../strategy/index.ts').OrderFactory, id: string) =>
        i % 3 === 0
          ? o.market(id, i % 2 ? 'SELL' : 'BUY', 1)
          : i % 3 === 1
            ? o.limit(id, 'BUY', 1, Math.round(s.close[i * 8]! * 99.9) / 100)
            : o.stop(id, 'BUY', 1, Math.round(s.close[i * 8]! * 100.1) / 100),
    }))
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: s }],
        strategies: [{ definition: scriptedStrategy(steps) }],
        account: { cash: 1e7, type: 'margin', leverage: 2 },
        fill: { latency: { submitMs: 90_000, ackMs: 0, fillMs: 0 } },
      }),
    )
    assert.ok(r.fills.length > 20)
    for (const f of r.fills) {
      const o = r.orders.find((x) => x.clientOrderId === f.clientOrderId)!
      assert.ok(f.time >= o.createdAt + 90_000, `${f.clientOrderId} filled at ${f.time} before ${o.createdAt}+latency`)
      const i = f.time / M
      assert.ok(f.price >= s.low[i]! && f.price <= s.high[i]!, `fill ${f.price} outside bar ${i}`)
    }
  })

  it('sends every order through risk: a rejecting engine stops them all and execution has no second door', async () => {
    const deny: RiskEngine = { name: 'deny-all', check: () => ({ accept: false, reason: 'test limit' }) }
    const { kernel, venues } = buildBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: randomBars(1, 10, inst.id) }],
        strategies: [{ definition: buyAndHold as unknown as StrategyDefinition, params: { size: 1 } }],
        risk: deny,
      }),
    )
    assert.throws(
      () => kernel.execution.openRiskChannel(),
      (e) => e instanceof KestrelError && e.code === 'STATE_INVALID',
    )
    assert.equal('submit' in kernel.execution, false)
    const ctx = kernel.strategy('buy-and-hold')!.ctx as unknown as Record<string, unknown>
    assert.equal('venue' in ctx || 'execution' in ctx || 'exchange' in ctx, false)
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: randomBars(1, 10, inst.id) }],
        strategies: [{ definition: buyAndHold as unknown as StrategyDefinition, params: { size: 1 } }],
        risk: deny,
      }),
    )
    assert.equal(r.fills.length, 0)
    assert.equal(r.stats.riskRejected, 1)
    assert.equal(r.orders[0]!.status, 'REJECTED')
    assert.match(r.orders[0]!.rejectReason!, /deny-all.*test limit/)
    assert.deepEqual(venues[0]!.openOrderIds(), [])
  })

  it('rejects a strategy parameter that fails its schema, naming the key', async () => {
    await assert.rejects(
      runBacktest(
        base({
          feeds: [{ instrumentId: inst.id, timeframe: '1m', data: randomBars(1, 10, inst.id) }],
          strategies: [{ definition: smaCross as unknown as StrategyDefinition, params: { fast: 30, slow: 10 } }],
        }),
      ),
      (e) => e instanceof KestrelError && e.code === 'PARAM_INVALID' && /fast/.test(e.message),
    )
  })

  it('quarantines an out-of-order bar with the feed and time, and runs on the rest', async () => {
    const s = toBarSeries(bars([1, 2, 3, 4]))
    s.openTime[2] = 0
    s.closeTime[2] = M
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: s }],
        strategies: [{ definition: buyAndHold as unknown as StrategyDefinition }],
      }),
    )
    assert.equal(r.stats.bars, 3)
    assert.deepEqual(
      r.data.map((d) => [d.rowsIn, d.rowsAccepted]),
      [[4, 3]],
    )
    const q = r.data[0]!.quarantine
    assert.deepEqual(
      q.map((x) => [x.reason, x.timestamp, x.field]),
      [['OUT_OF_ORDER', 0, 'timestamp']],
    )
    assert.equal(
      q[0]!.message,
      'TEST.SIM 1m 1970-01-01T00:00:00Z: timestamp 1970-01-01T00:00:00Z is before 1970-01-01T00:01:00Z on row 1, the latest time so far',
    )
  })

  it('checks bars streamed from a store at the feed: a bad stored bar is quarantined, not traded on', async () => {
    const store = new MemoryStore()
    const s = randomBars(2, 50, inst.id)
    s.high[20] = s.low[20]! - 1 // written straight into the store, past any import
    await store.writeBars(s)
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: store.streamBars(inst.id, '1m', undefined, 7) }],
        strategies: [{ definition: buyAndHold as unknown as StrategyDefinition, params: { size: 1 } }],
      }),
    )
    assert.equal(r.stats.bars, 49)
    assert.deepEqual(
      r.data[0]!.quarantine.map((q) => [q.reason, q.timestamp]),
      [['HIGH_BELOW_LOW', 20 * M]],
    )
  })

  it('refuses to start on a feed with no good bar, before any strategy sees one', async () => {
    const s = toBarSeries(bars([1, 2]))
    s.close[0] = -1
    s.high[1] = 0
    let started = false
    const mark = () => {
      started = true
    }
    const watch = defineStrategy({
      name: 'watch',
      params: z.object({}),
      create: () => ({ onStart: mark, onBar: mark }),
    })
    await assert.rejects(
      runBacktest(
        base({
          feeds: [{ instrumentId: inst.id, timeframe: '1m', data: s }],
          strategies: [{ definition: watch as unknown as StrategyDefinition }],
        }),
      ),
      (e) =>
        e instanceof KestrelError &&
        e.code === 'DATA_VALIDATION_FAILED' &&
        /TEST\.SIM 1m: 0 bars passed validation \(2 rows quarantined, first: .*close -1 is not > 0/.test(e.message) &&
        (e.details.quarantine as unknown[]).length === 2,
    )
    assert.equal(started, false)
  })

  it('refuses to start when fewer than minBars bars pass (stage 3), and names the feed', async () => {
    await assert.rejects(
      runBacktest(
        base({
          feeds: [{ instrumentId: inst.id, timeframe: '1m', data: chunked(randomBars(1, 10, inst.id), 3) }],
          strategies: [{ definition: buyAndHold as unknown as StrategyDefinition }],
          minBars: 11,
        }),
      ),
      (e) =>
        e instanceof KestrelError &&
        e.code === 'DATA_VALIDATION_FAILED' &&
        /TEST\.SIM 1m: 10 bars, features need at least 11/.test(e.message),
    )
    const r = await runBacktest(
      base({
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: chunked(randomBars(1, 10, inst.id), 3) }],
        strategies: [{ definition: buyAndHold as unknown as StrategyDefinition }],
        minBars: 10,
      }),
    )
    assert.equal(r.stats.bars, 10)
  })
})
