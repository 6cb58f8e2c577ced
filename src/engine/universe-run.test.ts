/**
 * A universe in a backtest: a position held at a delisting closes at the last close × (1 + delisting return)
 * (−30 % for a performance delisting without one), open orders on it are canceled, new exposure in a
 * non-member is refused, strategies see bars only while an instrument is a member, and a buy-and-hold of the
 * members at the start does worse than the same run over the survivors only (survivorship bias).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { MS, Rng, allocBarSeries, makeInstrument, roundQuantity, type Instrument } from '../core/index.ts'
import { parseUniverseCsv } from '../data/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import { FRAMEWORK_STRATEGY_ID } from './framework.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest, type BacktestOptions } from './backtest-runner.ts'

const T0 = Date.UTC(2024, 0, 1)
const day = (i: number) => new Date(T0 + i * MS.day).toISOString().slice(0, 10)
const acme = makeInstrument({ symbol: 'ACME', venue: 'SIM', assetClass: 'equity' })
const spy = makeInstrument({ symbol: 'SPY', venue: 'SIM', assetClass: 'equity' })

/** Daily bars (open = the previous close) of `inst` from day `first`. */
function bars(inst: Instrument, closes: readonly number[], first = 0) {
  const s = allocBarSeries(inst.id, '1d', closes.length)
  closes.forEach((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!
    s.openTime[i] = T0 + (first + i) * MS.day
    s.closeTime[i] = s.openTime[i]! + MS.day
    s.open[i] = o
    s.close[i] = c
    s.high[i] = Math.max(o, c)
    s.low[i] = Math.min(o, c)
    s.volume[i] = 1e9
  })
  return s
}

type Act = (ctx: Parameters<StrategyDefinition['create']>[0], bar: { instrumentId: string }, k: number) => void

/** A strategy that calls `act` on every bar it sees with the count of SPY bars so far; logs what it saw. */
function actor(act: Act, seen: string[] = []): StrategyDefinition {
  return defineStrategy({
    name: 'actor',
    params: z.object({}),
    create(ctx) {
      let k = -1
      return {
        onBar(bar) {
          seen.push(`${bar.instrumentId}@${new Date(bar.openTime).toISOString().slice(0, 10)}`)
          if (bar.instrumentId === spy.id) k++
          act(ctx, bar, k)
        },
      }
    },
  }) as unknown as StrategyDefinition
}

function run(universeCsv: string, act: Act, seen?: string[], acmeCloses = [50, 50, 50, 50, 50], acmeFirst = 0) {
  const universe = parseUniverseCsv(universeCsv, 'u.csv', { timeZone: 'UTC' })
  const a = bars(acme, acmeCloses, acmeFirst)
  const s = bars(
    spy,
    Array.from({ length: 10 }, () => 100),
  )
  return runBacktest({
    instruments: [acme, spy],
    feeds: [
      { instrumentId: acme.id, timeframe: '1d', data: a },
      { instrumentId: spy.id, timeframe: '1d', data: s },
    ],
    strategies: [{ definition: actor(act, seen), id: 's' }],
    account: { cash: 100_000, type: 'cash' },
    universe,
  })
}

const HEAD = 'symbol,sector,added,removed,delistingReason,delistingReturn\nSPY,Index,2024-01-01,,,\n'

describe('delisting', () => {
  // ACME trades 2024-01-01 .. 2024-01-05 (its last day); delisted at the end of that day (UTC).
  const buyAcme: Act = (ctx, bar, k) => {
    if (bar.instrumentId !== spy.id) return
    if (k === 0) ctx.submit(ctx.orders.market(acme.id, 'BUY', 100))
    if (k === 1) ctx.submit(ctx.orders.limit(acme.id, 'BUY', 10, 1)) // rests: far below the market
    if (k === 7) ctx.submit(ctx.orders.market(acme.id, 'BUY', 10)) // after the delisting
  }

  it('a performance delisting without a return loses exactly 30 % of the last value', async () => {
    const r = await run(HEAD + 'ACME,Tech,2024-01-01,2024-01-05,bankruptcy,\n', buyAcme)
    const flows = r.cashFlows.filter((f) => f.kind === 'DELISTING')
    assert.deepEqual(flows, [
      {
        kind: 'DELISTING',
        time: Date.UTC(2024, 0, 6),
        instrumentId: acme.id,
        strategyId: 's',
        quantity: 100,
        amount: 3500,
      },
    ])
    const buy = r.fills.find((f) => f.instrumentId === acme.id)!
    assert.deepEqual([buy.price, buy.quantity, buy.fee], [50, 100, 0])
    // 100 shares worth 5,000 at the last close become 3,500 in cash: −1,500, exactly 30 %.
    assert.equal(r.cash, 100_000 - 5000 + 3500)
    assert.equal(r.finalEquity, 98_500)
    const trip = r.trades.find((t) => t.instrumentId === acme.id)!
    assert.deepEqual([trip.quantity, trip.entryPrice, trip.exitPrice, trip.pnl], [100, 50, 35, -1500])
    const resting = r.orders.find((o) => o.instrumentId === acme.id && o.type === 'LIMIT')!
    assert.equal(resting.status, 'CANCELED')
    const late = r.orders.filter((o) => o.instrumentId === acme.id && o.status === 'REJECTED')
    assert.equal(late.length, 1)
    assert.match(
      late[0]!.rejectReason!,
      /^universe: ACME\.SIM is not a member at 2024-01-09T00:00:00\.000Z \(member 2024-01-01\.\.2024-01-05 in universe u\.csv\)/,
    )
  })

  it('a merger delisting with a given return pays the last close × (1 + return)', async () => {
    const r = await run(HEAD + 'ACME,Tech,2024-01-01,2024-01-05,merger,0.25\n', buyAcme)
    const f = r.cashFlows.find((x) => x.kind === 'DELISTING')!
    assert.deepEqual([f.quantity, f.amount], [100, 6250])
    assert.equal(r.cash, 100_000 - 5000 + 6250)
    assert.equal(r.trades.find((t) => t.instrumentId === acme.id)!.exitPrice, 62.5)
  })

  it('a merger without a return pays the last close', async () => {
    const r = await run(HEAD + 'ACME,Tech,2024-01-01,2024-01-05,231,\n', buyAcme)
    assert.equal(r.cashFlows.find((x) => x.kind === 'DELISTING')!.amount, 5000)
    assert.equal(r.cash, 100_000)
  })

  it('strategies see bars only while members; a position bought then can still be sold after a removal', async () => {
    const seen: string[] = []
    // ACME trades days 0..7; it is a member on days 2..4 only (removed from the index, not delisted).
    const act: Act = (ctx, bar, k) => {
      if (bar.instrumentId === acme.id && k === 2) ctx.submit(ctx.orders.market(acme.id, 'BUY', 10))
      if (bar.instrumentId === spy.id && k === 6) {
        ctx.submit(ctx.orders.market(acme.id, 'BUY', 5)) // adds to a non-member: refused
        ctx.submit(ctx.orders.market(acme.id, 'SELL', 10)) // reduces: accepted
      }
    }
    const r = await run(`${HEAD}ACME,Tech,${day(2)},${day(4)},,\n`, act, seen, [50, 51, 52, 53, 54, 55, 56, 57])
    assert.deepEqual(
      seen.filter((s) => s.startsWith('ACME')),
      [`ACME.SIM@${day(2)}`, `ACME.SIM@${day(3)}`, `ACME.SIM@${day(4)}`],
    )
    assert.equal(r.cashFlows.length, 0)
    const acmeOrders = r.orders
      .filter((o) => o.instrumentId === acme.id)
      .map((o) => `${o.side} ${o.quantity} ${o.status}`)
    assert.deepEqual(acmeOrders, ['BUY 10 FILLED', 'BUY 5 REJECTED', 'SELL 10 FILLED'])
  })

  it('every instrument of the run must be in the universe', async () => {
    await assert.rejects(
      run('symbol,sector,added\nSPY,Index,2024-01-01\n', () => undefined),
      /universe u\.csv: ACME is not in it/,
    )
  })
})

describe('the framework with a universe', () => {
  it('builds targets over members only: a name that leaves is sold, nothing is rejected', async () => {
    const universe = parseUniverseCsv(`${HEAD}ACME,Tech,${day(0)},${day(4)},,\n`, 'u.csv', { timeZone: 'UTC' })
    const longAll = defineStrategy({
      name: 'long-all',
      params: z.object({}),
      create: (ctx) => ({ onBar: (bar) => void ctx.emit({ instrumentId: bar.instrumentId, direction: 'LONG' }) }),
    }) as unknown as StrategyDefinition
    const r = await runBacktest({
      instruments: [acme, spy],
      feeds: [
        {
          instrumentId: acme.id,
          timeframe: '1d',
          data: bars(
            acme,
            Array.from({ length: 10 }, () => 50),
          ),
        },
        {
          instrumentId: spy.id,
          timeframe: '1d',
          data: bars(
            spy,
            Array.from({ length: 10 }, () => 100),
          ),
        },
      ],
      strategies: [{ definition: longAll }],
      account: { cash: 100_000, type: 'cash' },
      framework: { construction: CONSTRUCTION_MODELS['equal-weight']({ gross: 0.9 }) },
      universe,
    })
    assert.deepEqual(
      r.orders.filter((o) => o.status === 'REJECTED').map((o) => o.rejectReason),
      [],
    )
    const acmeFills = r.fills.filter((f) => f.instrumentId === acme.id).map((f) => `${f.side} ${f.quantity}`)
    // Bought once (a cash buffer leaves 897 of 900), sold whole once ACME left.
    assert.deepEqual(acmeFills, ['BUY 897', 'SELL 897'])
    const last = r.fills.filter((f) => f.instrumentId === acme.id).at(-1)!
    // ACME's last member bar is day 4; the first close outside (day 5's, at T0 + 6 d) decides the sale, filled at
    // the next open (day 6's bar).
    assert.equal(last.time, T0 + 6 * MS.day)
    assert.equal(
      r.positions.filter((p) => p.strategyId === FRAMEWORK_STRATEGY_ID && p.instrumentId === acme.id).at(-1)!.quantity,
      0,
    )
  })
})

/** Equal-notional buy-and-hold of every instrument on the first bar it sees. */
const equalBuyAndHold = (notional: number) =>
  defineStrategy({
    name: 'equal-bh',
    params: z.object({}),
    create(ctx) {
      const done = new Set<string>()
      return {
        onBar(bar) {
          if (done.has(bar.instrumentId)) return
          done.add(bar.instrumentId)
          const inst = ctx.instruments.find((i) => i.id === bar.instrumentId)!
          ctx.submit(ctx.orders.market(inst.id, 'BUY', roundQuantity(inst, notional / bar.close)))
        },
      }
    },
  }) as unknown as StrategyDefinition

describe('survivorship bias', () => {
  // Ten stocks over 250 days: three drift down and are delisted for performance (no return: −30 % assumed).
  const N = 10
  const DAYS = 250
  const dead = new Map([
    [2, 120],
    [5, 160],
    [8, 200],
  ])
  const insts = Array.from({ length: N }, (_, i) =>
    makeInstrument({ symbol: `S${i}`, venue: 'SIM', assetClass: 'equity' }),
  )
  const series = insts.map((inst, i) => {
    const rng = new Rng(100 + i)
    const last = dead.get(i) ?? DAYS
    const drift = dead.has(i) ? -0.004 : 0.0004
    let p = 50
    const closes: number[] = []
    for (let d = 0; d < last; d++) {
      p *= Math.exp(drift + 0.015 * rng.normal())
      closes.push(Math.round(p * 100) / 100)
    }
    return bars(inst, closes)
  })
  const csv =
    'symbol,sector,added,removed,delistingReason,delistingReturn\n' +
    insts
      .map((inst, i) =>
        dead.has(i)
          ? `${inst.symbol},S,${day(0)},${day(dead.get(i)! - 1)},price-too-low,`
          : `${inst.symbol},S,${day(0)},,,`,
      )
      .join('\n')

  function options(keep: (i: number) => boolean): BacktestOptions {
    const idx = insts.map((_, i) => i).filter(keep)
    const universe = parseUniverseCsv(
      csv
        .split('\n')
        .filter((l, k) => k === 0 || keep(k - 1))
        .join('\n'),
      'u.csv',
      { timeZone: 'UTC' },
    )
    return {
      instruments: idx.map((i) => insts[i]!),
      feeds: idx.map((i) => ({ instrumentId: insts[i]!.id, timeframe: '1d', data: series[i]! })),
      strategies: [{ definition: equalBuyAndHold(10_000) }],
      account: { cash: 10_000 * idx.length * 1.05, type: 'cash' },
      universe,
    }
  }

  it('the members at the start return less than the survivors alone', async () => {
    const all = await runBacktest(options(() => true))
    const survivors = await runBacktest(options((i) => !dead.has(i)))
    const ret = (r: typeof all) => r.finalEquity / r.initialCash - 1
    // Three performance delistings, each closed at 70 % of its last close.
    const d = all.cashFlows.filter((f) => f.kind === 'DELISTING')
    assert.deepEqual(
      d.map((f) => f.instrumentId),
      ['S2.SIM', 'S5.SIM', 'S8.SIM'],
    )
    for (const f of d) {
      const s = series[insts.findIndex((x) => x.id === f.instrumentId)]!
      const want = f.quantity * s.close[s.close.length - 1]! * 0.7
      assert.ok(Math.abs(f.amount - want) < 1e-9 * want, `${f.amount} vs ${want}`)
    }
    assert.equal(all.stats.closedTrades, 3)
    // The members at the start: −9.73 %; the seven survivors alone: +12.46 %.
    assert.equal(Number(ret(all).toFixed(4)), -0.0973)
    assert.equal(Number(ret(survivors).toFixed(4)), 0.1246)
    assert.ok(ret(all) < ret(survivors))
  })
})
