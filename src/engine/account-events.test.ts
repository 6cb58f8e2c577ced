/**
 * Account events in a backtest: splits adjust positions, costs and open orders; dividends, funding and swap
 * move cash to and from whoever holds the position at the event's time. Known values are worked out by hand
 * from the bars; the split is also checked against the same run on back-adjusted bars.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { allocBarSeries, makeInstrument, MS, type AccountEvent, type Instrument } from '../core/index.ts'
import type { OrderFactory } from '../strategy/index.ts'
import { corporateActionEvents, fundingFromRates, fundingSchedule, swapSchedule } from './account-schedules.ts'
import { runBacktest } from './backtest-runner.ts'
import { scriptedStrategy, type ScriptStep } from './testing.ts'

const T0 = Date.UTC(2024, 0, 1) // a Monday
const stock = makeInstrument({ symbol: 'ACME', venue: 'SIM', assetClass: 'equity' })
const perp = makeInstrument({ symbol: 'BTC/USDT:USDT', venue: 'SIM', assetClass: 'crypto_perp', currency: 'USDT' })

/** Bars of `inst` every `stepMs` from `t0`: open = the previous close (the first: its own close). */
function bars(inst: Instrument, closes: readonly number[], stepMs: number, t0 = T0) {
  const s = allocBarSeries(inst.id, stepMs >= MS.day ? '1d' : stepMs >= MS.hour ? '1h' : '1m', closes.length)
  for (let i = 0; i < closes.length; i++) {
    const c = closes[i]!
    const o = i === 0 ? c : closes[i - 1]!
    s.openTime[i] = t0 + i * stepMs
    s.closeTime[i] = t0 + (i + 1) * stepMs
    s.open[i] = o
    s.close[i] = c
    s.high[i] = Math.max(o, c)
    s.low[i] = Math.min(o, c)
    s.volume[i] = 1e9
  }
  return s
}

async function run(
  inst: Instrument,
  closes: readonly number[],
  stepMs: number,
  steps: ScriptStep[],
  events: AccountEvent[] | Parameters<typeof runBacktest>[0]['accountEvents'],
  cash = 1_000_000,
) {
  const data = bars(inst, closes, stepMs)
  return runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: data.timeframe, data }],
    strategies: [{ definition: scriptedStrategy(steps), id: 's' }],
    account: { cash, type: 'margin', leverage: 4, currency: inst.currency },
    accountEvents:
      Array.isArray(events) && events.length > 0 && 'kind' in events[0]!
        ? [events as AccountEvent[]]
        : (events as never),
  })
}

const buy = (q: number) => (o: OrderFactory, id: string) => o.market(id, 'BUY', q)
const sell = (q: number) => (o: OrderFactory, id: string) => o.market(id, 'SELL', q)

describe('splits', () => {
  // Daily bars: day k closes at T0 + (k+1) days. A 2:1 split effective at the start of day 3: days 0-2 trade
  // near 100, days 3-5 near 50.
  const closes = [100, 102, 104, 52, 53, 51]
  const split: AccountEvent = { kind: 'SPLIT', instrumentId: stock.id, time: T0 + 3 * MS.day, ratio: 2 }

  it('doubles the position, halves its cost, and leaves cash and equity where they were', async () => {
    const r = await run(stock, closes, MS.day, [{ bar: 0, make: buy(10) }], [split])
    assert.equal(r.fills.length, 1)
    assert.equal(r.fills[0]!.price, 100) // the next bar's open (the close before it)
    const last = r.positions.at(-1)!
    assert.deepEqual(
      { qty: last.quantity, avg: last.avgPrice, time: last.time },
      { qty: 20, avg: 50, time: split.time },
    )
    assert.equal(r.cash, 1_000_000 - 10 * 100)
    // Equity at the end: cash + 20 × 51.
    assert.equal(r.finalEquity, 1_000_000 - 1000 + 20 * 51)
    // The day before the split is valued at 10 × 104, the ex-date at 20 × 52: no jump from the split itself.
    const eq = r.equity.value
    assert.equal(eq[2], 1_000_000 - 1000 + 1040)
    assert.equal(eq[3], 1_000_000 - 1000 + 1040)
    assert.deepEqual(
      r.cashFlows.map((f) => [f.kind, f.quantity, f.amount]),
      [['SPLIT', 10, 0]],
    )
    const trade = r.trades.at(-1)!
    assert.equal(trade.quantity, 20)
    assert.equal(trade.entryPrice, 50)
    assert.equal(trade.pnl, 20 * (51 - 50))
  })

  it('gives the same equity curve as the same trades on back-adjusted bars', async () => {
    const raw = await run(
      stock,
      closes,
      MS.day,
      [
        { bar: 0, make: buy(10) },
        { bar: 4, make: sell(20) },
      ],
      [split],
    )
    const adjusted = closes.map((c, i) => (i < 3 ? c / 2 : c))
    const adj = await run(
      stock,
      adjusted,
      MS.day,
      [
        { bar: 0, make: buy(20) },
        { bar: 4, make: sell(20) },
      ],
      [],
    )
    assert.deepEqual([...raw.equity.value], [...adj.equity.value])
    assert.equal(raw.trades.length, 1)
    assert.equal(raw.trades[0]!.pnl, adj.trades[0]!.pnl)
  })

  it('adjusts a resting limit order: twice the quantity at half the price, and it fills there', async () => {
    // Buy limit at 90 for 10, resting from day 1; after the split it is 20 at 45; day 5 trades down to 44.
    const c = [100, 100, 100, 50, 50, 44, 44]
    const r = await run(stock, c, MS.day, [{ bar: 0, make: (o, id) => o.limit(id, 'BUY', 10, 90) }], [split])
    assert.equal(r.fills.length, 1)
    assert.deepEqual({ q: r.fills[0]!.quantity, p: r.fills[0]!.price }, { q: 20, p: 45 })
    const o = r.orders.find((x) => x.clientOrderId === r.fills[0]!.clientOrderId)!
    assert.deepEqual({ q: o.quantity, p: o.limitPrice, st: o.status }, { q: 20, p: 45, st: 'FILLED' })
  })

  it('pays cash in lieu for a fraction of a share (3:2 split of 5 shares)', async () => {
    const s32: AccountEvent = { ...split, ratio: 1.5 }
    const c = [90, 90, 90, 60, 60, 60]
    const r = await run(stock, c, MS.day, [{ bar: 0, make: buy(5) }], [s32])
    const last = r.positions.at(-1)!
    assert.equal(last.quantity, 7)
    // 7.5 shares at the post-split last price 90 / 1.5 = 60: half a share is sold for 30.
    assert.deepEqual(
      r.cashFlows.map((f) => [f.kind, f.quantity, f.amount]),
      [
        ['SPLIT', 5, 0],
        ['CASH_IN_LIEU', 0.5, 30],
      ],
    )
    assert.equal(r.cash, 1_000_000 - 5 * 90 + 30)
    assert.equal(r.finalEquity, 1_000_000 - 450 + 30 + 7 * 60)
  })

  it('a reverse split that leaves an order no whole lot cancels it, saying why', async () => {
    const rev: AccountEvent = { ...split, ratio: 0.1 }
    const c = [100, 100, 100, 1000, 1000, 1000]
    const r = await run(stock, c, MS.day, [{ bar: 0, make: (o, id) => o.limit(id, 'BUY', 5, 50) }], [rev])
    const o = r.orders[0]!
    assert.equal(o.status, 'CANCELED')
    assert.equal(r.fills.length, 0)
  })

  it('property: equity just after a split equals equity just before, for any ratio and position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 3, 4, 1.5, 0.5, 0.25, 7),
        fc.integer({ min: 1, max: 40 }),
        async (ratio, qty) => {
          const c = [100, 100, 100, 100 / ratio, 100 / ratio]
          const r = await run(stock, c, MS.day, [{ bar: 0, make: buy(qty) }], [{ ...split, ratio }])
          const eq = r.equity.value
          // Bar 2 (before) and bar 3 (after, same value at the adjusted price) agree to the cent.
          assert.ok(Math.abs(eq[3]! - eq[2]!) < 1e-6, `ratio ${ratio} qty ${qty}: ${eq[2]} → ${eq[3]}`)
        },
      ),
      { numRuns: 25 },
    )
  })
})

describe('dividends', () => {
  const div: AccountEvent = { kind: 'DIVIDEND', instrumentId: stock.id, time: T0 + 3 * MS.day, amount: 0.5 }
  const closes = [100, 100, 100, 99.5, 99.5]

  it('credits a long position and adds the dividend to its trade', async () => {
    const r = await run(stock, closes, MS.day, [{ bar: 0, make: buy(10) }], [div])
    assert.deepEqual(
      r.cashFlows.map((f) => [f.kind, f.amount]),
      [['DIVIDEND', 5]],
    )
    assert.equal(r.carry, 5)
    assert.equal(r.cash, 1_000_000 - 1000 + 5)
    const t = r.trades.at(-1)!
    assert.equal(t.carry, 5)
    assert.equal(t.pnl, 10 * (99.5 - 100) + 5)
  })

  it('charges a short position', async () => {
    const r = await run(stock, closes, MS.day, [{ bar: 0, make: sell(10) }], [div])
    assert.equal(r.carry, -5)
    assert.equal(r.cash, 1_000_000 + 1000 - 5)
  })

  it('is not paid to a position opened on the ex-date', async () => {
    const r = await run(stock, closes, MS.day, [{ bar: 2, make: buy(10) }], [div])
    assert.equal(r.fills[0]!.time, T0 + 3 * MS.day) // filled at the ex-date's open, after the event
    assert.equal(r.carry, 0)
    assert.deepEqual(r.cashFlows, [])
  })

  it('corporateActionEvents puts an ex-date at local midnight of the exchange', () => {
    const [e] = corporateActionEvents([{ instrumentId: stock.id, date: '2024-07-01', type: 'dividend', value: 0.25 }])
    assert.equal(e!.time, Date.UTC(2024, 6, 1, 4)) // 00:00 in New York in summer
    const [w] = corporateActionEvents([{ instrumentId: stock.id, date: '2024-01-02', type: 'split', value: 4 }])
    assert.deepEqual(w, { kind: 'SPLIT', instrumentId: stock.id, time: Date.UTC(2024, 0, 2, 5), ratio: 4 })
    assert.throws(
      () => corporateActionEvents([{ instrumentId: stock.id, date: '2024-02-30', type: 'split', value: 4 }]),
      /PARAM_INVALID|not a calendar date/,
    )
  })
})

describe('perpetual funding', () => {
  // Hourly bars for one day (24 bars) at a constant price: funding at 08:00, 16:00 and 00:00 of the next day.
  const price = 40_000
  const closes = Array.from({ length: 25 }, () => price)

  it('a long pays rate × notional at each funding time it is held over; a short receives it', async () => {
    const rate = 0.0001
    // Bought at bar 0's close, filled at bar 1's open (01:00): held over 08:00, 16:00 and 00:00.
    const long = await run(
      perp,
      closes,
      MS.hour,
      [{ bar: 0, make: buy(2) }],
      [fundingSchedule({ instrumentId: perp.id, rate })],
    )
    assert.deepEqual(
      long.cashFlows.map((f) => [f.kind, new Date(f.time).toISOString().slice(11, 16), f.amount]),
      [
        ['FUNDING', '08:00', -8],
        ['FUNDING', '16:00', -8],
        ['FUNDING', '00:00', -8],
      ],
    )
    const short = await run(
      perp,
      closes,
      MS.hour,
      [{ bar: 0, make: sell(2) }],
      [fundingSchedule({ instrumentId: perp.id, rate })],
    )
    assert.equal(short.carry, 24)
  })

  it('uses the last price before the funding time, and a history of rates', async () => {
    const c = closes.map((_, i) => 40_000 + i * 100) // bar i closes at (i+1):00 at 40,000 + 100 i
    const rows = [
      { time: T0 + 8 * MS.hour, rate: 0.0002 },
      { time: T0 + 16 * MS.hour, rate: -0.0001 },
    ]
    const r = await run(perp, c, MS.hour, [{ bar: 0, make: buy(1) }], [fundingFromRates(perp.id, rows)])
    // 08:00 is the close of bar 7 (40,700); 16:00 that of bar 15 (41,500).
    assert.deepEqual(
      r.cashFlows.map((f) => f.amount),
      [-40_700 * 0.0002, 41_500 * 0.0001],
    )
  })

  it('refuses a bad rate, an unordered source and an unknown instrument', async () => {
    assert.throws(() => fundingSchedule({ instrumentId: perp.id, rate: Number.NaN }), /PARAM_INVALID|rate/)
    assert.throws(
      () =>
        fundingFromRates(perp.id, [
          { time: 1, rate: 0.1 },
          { time: 1, rate: 0.2 },
        ]),
      /two rates/,
    )
    const unordered: AccountEvent[] = [
      { kind: 'FUNDING', instrumentId: perp.id, time: T0 + 9 * MS.hour, rate: 0.0001 },
      { kind: 'FUNDING', instrumentId: perp.id, time: T0 + 5 * MS.hour, rate: 0.0001 },
    ]
    await assert.rejects(run(perp, closes, MS.hour, [], unordered), /time order/)
    const unknown: AccountEvent[] = [{ kind: 'FUNDING', instrumentId: 'NOPE.SIM', time: T0, rate: 0.0001 }]
    await assert.rejects(run(perp, closes, MS.hour, [], unknown), /unknown instrument NOPE\.SIM/)
  })
})

describe('CFD swap', () => {
  const gold = makeInstrument({ symbol: 'XAUUSD', venue: 'SIM', assetClass: 'metal' })
  // Hourly bars from Monday 00:00 UTC for 8 days at a constant price of 2000.
  const closes = Array.from({ length: 8 * 24 }, () => 2000)

  it('charges each weekday rollover held over, three nights on Wednesday', async () => {
    const sched = swapSchedule({ instrumentId: gold.id, longAnnualRate: 0.0365, shortAnnualRate: -0.0073 })
    const r = await run(gold, closes, MS.hour, [{ bar: 0, make: buy(10) }], [sched])
    // Rollover 17:00 New York = 22:00 UTC in January: Mon..Fri of the first week and Monday of the next.
    const nights = r.cashFlows.map((f) => Math.round(-f.amount / (10 * 2000 * 0.0001)))
    assert.deepEqual(nights, [1, 1, 3, 1, 1, 1])
    assert.deepEqual(
      r.cashFlows.map((f) => new Date(f.time).toISOString().slice(0, 16)),
      [
        '2024-01-01T22:00',
        '2024-01-02T22:00',
        '2024-01-03T22:00',
        '2024-01-04T22:00',
        '2024-01-05T22:00',
        '2024-01-08T22:00',
      ],
    )
    assert.ok(Math.abs(r.carry + 8 * 10 * 2000 * 0.0001) < 1e-9)
    const short = await run(gold, closes, MS.hour, [{ bar: 0, make: sell(10) }], [sched])
    // A short pays its rate: -0.73 % a year, so it receives 8 nights × 0.002 % of 20,000.
    assert.ok(Math.abs(short.carry - 8 * 10 * 2000 * 0.00002) < 1e-9)
  })

  it('refuses an impossible rollover time or triple day', () => {
    assert.throws(
      () => swapSchedule({ instrumentId: gold.id, longAnnualRate: 0, shortAnnualRate: 0, rolloverMinute: 1440 }),
      /rolloverMinute/,
    )
    assert.throws(
      () => swapSchedule({ instrumentId: gold.id, longAnnualRate: 0, shortAnnualRate: 0, tripleDay: 6 }),
      /tripleDay/,
    )
  })
})

describe('account identity', () => {
  it('equity − initial cash = realised + unrealised − fees + carry with all four kinds of event', async () => {
    const closes = [100, 101, 102, 51, 52, 50, 49, 48]
    const events: AccountEvent[] = [
      { kind: 'DIVIDEND', instrumentId: stock.id, time: T0 + 2 * MS.day, amount: 1 },
      { kind: 'SPLIT', instrumentId: stock.id, time: T0 + 3 * MS.day, ratio: 2 },
      { kind: 'SWAP', instrumentId: stock.id, time: T0 + 4 * MS.day + 1, longRate: 0.001, shortRate: 0.001 },
      { kind: 'FUNDING', instrumentId: stock.id, time: T0 + 5 * MS.day + 1, rate: -0.002 },
    ]
    const r = await run(
      stock,
      closes,
      MS.day,
      [
        { bar: 0, make: buy(7) },
        { bar: 5, make: sell(4) },
      ],
      events,
    )
    const realised = r.trades.filter((t) => !t.open).reduce((a, t) => a + t.pnl, 0)
    const open = r.trades.filter((t) => t.open).reduce((a, t) => a + t.pnl, 0)
    assert.ok(
      Math.abs(r.finalEquity - r.initialCash - (realised + open)) < 1e-9,
      `${r.finalEquity} vs ${realised + open}`,
    )
    assert.equal(r.cashFlows.length, 4)
  })

  it('merges several sources in time order, one of them ending early', async () => {
    const closes = Array.from({ length: 48 }, () => 1000)
    const early: AccountEvent[] = [{ kind: 'FUNDING', instrumentId: perp.id, time: T0 + 4 * MS.hour, rate: 0.001 }]
    const r = await run(
      perp,
      closes,
      MS.hour,
      [{ bar: 0, make: buy(1) }],
      [early, fundingSchedule({ instrumentId: perp.id, rate: 0.0001 })],
    )
    assert.deepEqual(
      r.cashFlows.map((f) => [(f.time - T0) / MS.hour, f.amount]),
      [
        [4, -1],
        [8, -0.1],
        [16, -0.1],
        [24, -0.1],
        [32, -0.1],
        [40, -0.1],
      ],
    )
  })
})
