import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeInstrument, type Bar, type Fill, type Order, type OrderRequest } from '../core/index.ts'
import { PerShareFeeModel, TieredFeeModel, type FeeModel } from './fee-models.ts'
import type { FillSettings } from './fill-models.ts'
import { SimulatedExchange } from './simulated-exchange.ts'
import type { ExecutionReport } from './venue.ts'

const inst = makeInstrument({ symbol: 'TEST', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
let seq = 0

function order(req: Partial<OrderRequest>): Order {
  return {
    clientOrderId: `O-${++seq}`,
    strategyId: 's',
    instrumentId: inst.id,
    side: 'BUY',
    type: 'MARKET',
    quantity: 100,
    timeInForce: 'GTC',
    reduceOnly: false,
    postOnly: false,
    ...req,
    status: 'SUBMITTED',
    filledQuantity: 0,
    avgFillPrice: NaN,
    createdAt: 0,
    updatedAt: 0,
  }
}

/** A venue on 1m bars; bar k opens at k minutes. */
function venue(fill: Partial<FillSettings> = {}, fees?: FeeModel, position = 0) {
  let now = 0
  const reports: ExecutionReport[] = []
  const ex = new SimulatedExchange({
    venue: 'SIM',
    now: () => now,
    account: {
      canAfford: () => ({ ok: true }),
      strategyPosition: () => position,
      belowMaintenance: () => false,
      openPositions: () => [],
    },
    fill,
    fees,
  })
  ex.addInstrument(inst)
  ex.connect((r) => reports.push(r))
  let k = 0
  return {
    ex,
    reports,
    /** Submits at the current time (the close of the last bar). */
    submit(req: Partial<OrderRequest>): string {
      const o = order(req)
      ex.submit(o, now)
      return o.clientOrderId
    },
    bar(open: number, high: number, low: number, close: number, volume = 1_000_000): Bar {
      const b: Bar = {
        instrumentId: inst.id,
        timeframe: '1m',
        openTime: k * M,
        closeTime: (k + 1) * M,
        open,
        high,
        low,
        close,
        volume,
      }
      k++
      now = b.closeTime
      ex.onBar(b)
      return b
    },
    fills(): Fill[] {
      return reports.flatMap((r) => (r.kind === 'FILL' ? [r.fill] : []))
    },
    kinds(id: string): string[] {
      return reports.filter((r) => r.kind !== 'FILL' && r.clientOrderId === id).map((r) => r.kind)
    },
  }
}

const px = (v: ReturnType<typeof venue>) => v.fills().map((f) => [f.quantity, f.price, f.liquidity])

describe('simulated exchange: order types on bars', () => {
  it('fills a market order at the next bar open, stamped with that bar open time', () => {
    const v = venue()
    v.bar(100, 101, 99, 100.5)
    v.submit({ type: 'MARKET' })
    v.bar(100.7, 101, 100, 100.2)
    assert.deepEqual(px(v), [[100, 100.7, 'TAKER']])
    assert.equal(v.fills()[0]!.time, 1 * M)
  })

  it('fills a buy stop at the open when the bar gaps over the stop', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'STOP', stopPrice: 101 })
    v.bar(102, 103, 101.5, 102.5)
    assert.deepEqual(px(v), [[100, 102, 'TAKER']])
  })

  it('fills a buy stop at the stop price when the path crosses it', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'STOP', stopPrice: 101 })
    v.bar(100, 101.5, 99.8, 101)
    assert.deepEqual(px(v), [[100, 101, 'TAKER']])
  })

  it('fills a sell stop at the stop price on the way down', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'STOP', side: 'SELL', stopPrice: 99 })
    v.bar(100, 100.5, 98, 99.5)
    assert.deepEqual(px(v), [[100, 99, 'TAKER']])
  })

  it('fills a resting buy limit at its price as maker when the low touches it', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'LIMIT', limitPrice: 99 })
    v.bar(100, 100.2, 98.5, 99.6)
    assert.deepEqual(px(v), [[100, 99, 'MAKER']])
  })

  it('fills a new buy limit at the better open as taker when the bar opens through it', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'LIMIT', limitPrice: 99 })
    v.bar(98, 98.6, 97.5, 98.2)
    assert.deepEqual(px(v), [[100, 98, 'TAKER']])
  })

  it('needs a trade-through when limitFillOnTouch is off', () => {
    const v = venue({ limitFillOnTouch: false })
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'LIMIT', limitPrice: 98.5 })
    v.bar(100, 100.2, 98.5, 99.6)
    assert.deepEqual(px(v), [])
    v.bar(99, 99.2, 98.4, 98.9)
    assert.deepEqual(px(v), [[100, 98.5, 'MAKER']])
  })

  it('triggers a stop-limit and fills at the stop when it is within the limit', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    const id = v.submit({ type: 'STOP_LIMIT', stopPrice: 101, limitPrice: 101.2 })
    v.bar(100, 102, 99.9, 101.8)
    assert.deepEqual(px(v), [[100, 101, 'TAKER']])
    assert.deepEqual(v.kinds(id), ['ACCEPTED', 'TRIGGERED'])
  })

  it('rests a gapped stop-limit as a limit and fills it when the path comes back', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'STOP_LIMIT', stopPrice: 101, limitPrice: 101.2 })
    // open 102 > limit; nearest extreme is the high (0.5 away), then down through 101.2
    v.bar(102, 102.5, 101, 101.5)
    assert.deepEqual(px(v), [[100, 101.2, 'MAKER']])
  })

  it('trails a sell stop behind the high and fills at the trailed stop (price offset)', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'TRAILING_STOP', side: 'SELL', trailingOffset: 1, trailingOffsetType: 'PRICE' })
    // path 100 -> 99.5 (stop 99) -> 103 (stop 102) -> 101.5 crosses 102
    v.bar(100, 103, 99.5, 101.5)
    assert.deepEqual(px(v), [[100, 102, 'TAKER']])
  })

  it('trails a sell stop by a percentage across bars', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'TRAILING_STOP', side: 'SELL', trailingOffset: 0.02, trailingOffsetType: 'PERCENT' })
    v.bar(100, 110, 99.9, 109) // high 110 -> stop 107.8, never crossed
    assert.deepEqual(px(v), [])
    v.bar(108, 108.5, 107, 107.5) // 108 -> 108.5 (trail stays 110) -> 107 crosses 107.8
    assert.equal(v.fills()[0]!.price, 107.8)
  })

  it('cancels an IOC limit that cannot fill at the first point', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    const id = v.submit({ type: 'LIMIT', limitPrice: 99, timeInForce: 'IOC' })
    v.bar(100, 100.2, 98.5, 99.6)
    assert.deepEqual(px(v), [])
    assert.deepEqual(v.kinds(id), ['ACCEPTED', 'CANCELED'])
  })

  it('cancels a FOK order that the volume cap would only partly fill', () => {
    const v = venue({ participation: 0.1 })
    v.bar(100, 100.5, 99.5, 100)
    const id = v.submit({ type: 'MARKET', quantity: 500, timeInForce: 'FOK' })
    v.bar(100, 100.2, 99.5, 99.6, 1000)
    assert.deepEqual(px(v), [])
    assert.deepEqual(v.kinds(id), ['ACCEPTED', 'CANCELED'])
  })

  it('splits a large order into partial fills over bars under the participation cap', () => {
    const v = venue({ participation: 0.1 })
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'MARKET', quantity: 250 })
    v.bar(101, 101, 101, 101, 1000)
    v.bar(102, 102, 102, 102, 1000)
    v.bar(103, 103, 103, 103, 1000)
    assert.deepEqual(px(v), [
      [100, 101, 'TAKER'],
      [100, 102, 'TAKER'],
      [50, 103, 'TAKER'],
    ])
  })

  it('cancels a post-only limit that would take liquidity', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    const id = v.submit({ type: 'LIMIT', limitPrice: 101, postOnly: true })
    v.bar(100, 100.2, 99.5, 99.6)
    assert.deepEqual(px(v), [])
    assert.deepEqual(v.kinds(id), ['ACCEPTED', 'CANCELED'])
  })

  it('expires a DAY order at the close of its NYSE session', () => {
    let now = 0
    const reports: ExecutionReport[] = []
    const ex = new SimulatedExchange({
      venue: 'SIM',
      now: () => now,
      account: {
        canAfford: () => ({ ok: true }),
        strategyPosition: () => 0,
        belowMaintenance: () => false,
        openPositions: () => [],
      },
    })
    ex.addInstrument(inst) // an equity: NYSE calendar
    ex.connect((r) => reports.push(r))
    const b = (t: number): Bar => ({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: t,
      closeTime: t + M,
      open: 100,
      high: 100,
      low: 100,
      close: 100,
      volume: 1,
    })
    const at = (h: number, m: number) => Date.UTC(2024, 0, 3, h, m) // Wednesday 3 Jan 2024; the session closes 21:00 UTC
    now = at(15, 0)
    ex.submit(order({ type: 'LIMIT', limitPrice: 50, timeInForce: 'DAY' }), now)
    now = at(20, 59)
    ex.onBar(b(at(20, 58)))
    assert.deepEqual(
      reports.map((r) => r.kind),
      ['ACCEPTED'],
    )
    now = at(21, 1)
    ex.onBar(b(at(21, 0))) // an after-hours bar starting at the close
    assert.deepEqual(
      reports.map((r) => r.kind),
      ['ACCEPTED', 'EXPIRED'],
    )
  })

  it('expires a good-till-time order at its expire time', () => {
    const v = venue()
    v.bar(100, 100, 100, 100)
    const id = v.submit({ type: 'LIMIT', limitPrice: 50, expireTime: 3 * M })
    v.bar(100, 100, 100, 100) // opens at 1 min
    v.bar(100, 100, 100, 100) // opens at 2 min
    assert.deepEqual(v.kinds(id), ['ACCEPTED'])
    v.bar(100, 100, 100, 100) // opens at 3 min
    assert.deepEqual(v.kinds(id), ['ACCEPTED', 'EXPIRED'])
  })

  it('fills the OCO leg the path reaches first and cancels the other', () => {
    const v = venue()
    v.bar(100, 100.5, 99.5, 100)
    const stop = v.submit({ type: 'STOP', side: 'SELL', stopPrice: 98, groupId: 'g', contingency: 'OCO' })
    const tp = v.submit({ type: 'LIMIT', side: 'SELL', limitPrice: 101, groupId: 'g', contingency: 'OCO' })
    // nearest extreme: high 101.5 (1.5 away) before low 97.5 (2.5 away)
    v.bar(100, 101.5, 97.5, 99)
    assert.deepEqual(px(v), [[100, 101, 'MAKER']])
    assert.deepEqual(v.kinds(stop), ['ACCEPTED', 'CANCELED'])
    assert.deepEqual(v.kinds(tp), ['ACCEPTED'])
  })

  it('walks the bar as configured: OLHC reaches the low first', () => {
    const v = venue({ path: 'OLHC' })
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'STOP', side: 'SELL', stopPrice: 98, groupId: 'g', contingency: 'OCO' })
    v.submit({ type: 'LIMIT', side: 'SELL', limitPrice: 101, groupId: 'g', contingency: 'OCO' })
    v.bar(100, 101.5, 97.5, 99)
    assert.deepEqual(px(v), [[100, 98, 'TAKER']])
  })

  it('does not match an order before its submit latency has passed', () => {
    const v = venue({ latency: { submitMs: 30_000, ackMs: 0, fillMs: 0 } })
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'MARKET' })
    v.bar(101, 101, 101, 101) // opens at the submit time: the order is still in flight
    v.bar(102, 102, 102, 102)
    assert.deepEqual(px(v), [[100, 102, 'TAKER']])
  })

  it('delivers the acknowledgement and the fill report after their latencies', () => {
    const v = venue({ latency: { submitMs: 0, ackMs: 5_000, fillMs: 90_000 } })
    v.bar(100, 100, 100, 100)
    const id = v.submit({ type: 'MARKET' })
    assert.deepEqual(v.kinds(id), []) // the ack is 5 s away
    v.bar(101, 101, 101, 101) // fills at its open (1 min); the report is due at 2.5 min, after this bar's close
    assert.deepEqual(v.kinds(id), ['ACCEPTED'])
    assert.equal(v.fills().length, 0)
    v.bar(102, 102, 102, 102)
    assert.deepEqual(px(v), [[100, 101, 'TAKER']])
    assert.equal(v.fills()[0]!.time, M)
  })

  it('rejects a reduce-only order that would open a position', () => {
    const v = venue({}, undefined, 0)
    const id = v.submit({ type: 'MARKET', side: 'SELL', reduceOnly: true })
    assert.deepEqual(v.kinds(id), ['REJECTED'])
  })
})

describe('simulated exchange: fill models', () => {
  const marketAt100 = (fill: Partial<FillSettings>, qty = 100, volume = 1_000_000) => {
    const v = venue(fill)
    v.bar(100, 100.5, 99.5, 100)
    v.submit({ type: 'MARKET', quantity: qty })
    v.bar(100, 110, 90, 100, volume)
    return v.fills().map((f) => f.price)
  }

  it('charges half the spread to a taker on bars', () => {
    assert.deepEqual(marketAt100({ spreadBps: 10 }), [100.05])
  })

  it('adds fixed slippage in ticks and percentage slippage in bps', () => {
    assert.deepEqual(marketAt100({ slippage: { type: 'fixed', ticks: 2 } }), [100.02])
    assert.deepEqual(marketAt100({ slippage: { type: 'percent', bps: 5 } }), [100.05])
  })

  it('scales slippage with the EWMA volatility of past closes', () => {
    const v = venue({ slippage: { type: 'volatility', k: 1 } })
    v.bar(100, 100, 100, 100)
    v.bar(101, 101, 101, 101) // sigma = ln(1.01) = 0.0099503
    v.submit({ type: 'MARKET' })
    v.bar(100, 110, 90, 100)
    // 100 + 100 * 0.0099503 = 100.995 -> rounded up to the tick
    assert.deepEqual(px(v), [[100, 101, 'TAKER']])
  })

  it('applies square-root impact Y·σ·sqrt(q/V)', () => {
    const v = venue({ impact: { type: 'sqrt', y: 1 } })
    v.bar(100, 100, 100, 100)
    v.bar(110, 110, 110, 110) // sigma = ln(1.1) = 0.0953102
    v.submit({ type: 'MARKET', quantity: 100 })
    v.bar(100, 120, 90, 100, 10_000)
    // 100 + 100 * 0.0953102 * sqrt(0.01) = 100.953 -> 100.96
    assert.deepEqual(px(v), [[100, 100.96, 'TAKER']])
  })

  it('applies Almgren-Chriss temporary impact and carries the permanent part to later fills', () => {
    const v = venue({ impact: { type: 'almgren-chriss', eta: 0.1, gamma: 0.05 } })
    v.bar(100, 100, 100, 100)
    v.submit({ type: 'MARKET', quantity: 1000 })
    v.bar(100, 120, 90, 100, 10_000) // x = 0.1: temporary 100*0.1*0.1 = 1, permanent 100*0.05*0.1 = 0.5
    v.submit({ type: 'LIMIT', side: 'SELL', limitPrice: 100, quantity: 1000 })
    v.bar(100, 120, 90, 100, 10_000) // sell at open 100 + 0.5 permanent - temporary 1 = 99.5, capped at the limit 100
    assert.deepEqual(
      v.fills().map((f) => f.price),
      [101, 100],
    )
  })

  it("applies Kyle's lambda per unit traded", () => {
    assert.deepEqual(marketAt100({ impact: { type: 'kyle', lambda: 0.001 } }, 1000), [101])
  })

  it('clamps adjusted fills to the bar range', () => {
    const v = venue({ slippage: { type: 'percent', bps: 500 } })
    v.bar(100, 100, 100, 100)
    v.submit({ type: 'MARKET' })
    v.bar(100, 102, 99, 101)
    assert.deepEqual(px(v), [[100, 102, 'TAKER']])
  })
})

describe('simulated exchange: fee models', () => {
  it('charges per share with a per-order minimum across partial fills', () => {
    const v = venue({ participation: 0.05 }, new PerShareFeeModel(0.005, 1, 0.01))
    v.bar(100, 100, 100, 100)
    v.submit({ type: 'MARKET', quantity: 100 })
    v.bar(100, 100, 100, 100, 1000)
    v.bar(100, 100, 100, 100, 1000)
    assert.deepEqual(
      v.fills().map((f) => [f.quantity, f.fee]),
      [
        [50, 1],
        [50, 0],
      ],
    )
  })

  it('caps per-share fees at a fraction of notional', () => {
    const v = venue({}, new PerShareFeeModel(0.005, 1, 0.005))
    v.bar(1, 1, 1, 1)
    v.submit({ type: 'MARKET', quantity: 100 })
    v.bar(1, 1, 1, 1)
    assert.equal(v.fills()[0]!.fee, 0.5) // 100 * 1 * 0.5% < min 1, the cap wins
  })

  it('lowers the rate once trailing volume reaches the next tier', () => {
    const tiers = new TieredFeeModel([
      { minVolume: 0, makerRate: 0.001, takerRate: 0.002 },
      { minVolume: 10_000, makerRate: 0.0005, takerRate: 0.001 },
    ])
    const v = venue({}, tiers)
    v.bar(100, 100, 100, 100)
    v.submit({ type: 'MARKET', quantity: 100 })
    v.bar(100, 100, 100, 100)
    v.submit({ type: 'MARKET', quantity: 100 })
    v.bar(100, 100, 100, 100)
    assert.deepEqual(
      v.fills().map((f) => f.fee),
      [20, 10],
    )
  })
})

describe('simulated exchange: quotes and trade ticks', () => {
  const account = {
    canAfford: () => ({ ok: true as const }),
    strategyPosition: () => 0,
    belowMaintenance: () => false,
    openPositions: () => [],
  }
  const setup = () => {
    let now = 0
    const reports: ExecutionReport[] = []
    const ex = new SimulatedExchange({ venue: 'SIM', now: () => now, account })
    ex.addInstrument(inst)
    ex.connect((r) => reports.push(r))
    const fills = () =>
      reports.flatMap((r) => (r.kind === 'FILL' ? [[r.fill.side, r.fill.price, r.fill.liquidity, r.fill.time]] : []))
    return { ex, fills, at: (t: number) => (now = t) }
  }
  const quote = (time: number, bid: number, ask: number) => ({
    instrumentId: inst.id,
    time,
    bid,
    ask,
    bidSize: 0,
    askSize: 0,
  })

  it('fills a market buy at the ask and a market sell at the bid of the next quote', () => {
    const v = setup()
    v.at(1000)
    v.ex.onQuote(quote(1000, 99.9, 100.1))
    v.ex.submit(order({ type: 'MARKET', side: 'BUY' }), 1000)
    v.ex.submit(order({ type: 'MARKET', side: 'SELL' }), 1000)
    v.at(2000)
    v.ex.onQuote(quote(2000, 100.0, 100.2))
    assert.deepEqual(v.fills(), [
      ['BUY', 100.2, 'TAKER', 2000],
      ['SELL', 100.0, 'TAKER', 2000],
    ])
  })

  it('fills a resting sell limit when the bid reaches it, and a buy stop on a trade print through it', () => {
    const v = setup()
    v.at(1000)
    v.ex.submit(order({ type: 'LIMIT', side: 'SELL', limitPrice: 101 }), 1000)
    v.at(2000)
    v.ex.onQuote(quote(2000, 100.5, 100.7))
    v.at(3000)
    v.ex.onQuote(quote(3000, 101.2, 101.4))
    v.ex.submit(order({ type: 'STOP', side: 'BUY', stopPrice: 102 }), 3000)
    v.at(4000)
    v.ex.onTrade({ instrumentId: inst.id, time: 4000, price: 101.9, size: 10 })
    v.at(5000)
    v.ex.onTrade({ instrumentId: inst.id, time: 5000, price: 102.3, size: 10 })
    assert.deepEqual(v.fills(), [
      ['SELL', 101.2, 'MAKER', 3000],
      ['BUY', 102.3, 'TAKER', 5000],
    ])
  })
})
