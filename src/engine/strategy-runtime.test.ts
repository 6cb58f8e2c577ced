import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { makeInstrument, toBarSeries } from '../core/index.ts'
import { Sma } from '../features/index.ts'
import { defineStrategy, type OrderEvent, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'

const inst = makeInstrument({ symbol: 'CTX', venue: 'SIM', assetClass: 'equity' })
const M = 60_000
const closes = [10, 11, 12, 13, 14, 15]
const series = toBarSeries(
  closes.map((c, i) => ({
    instrumentId: inst.id,
    timeframe: '1m',
    openTime: i * M,
    closeTime: (i + 1) * M,
    open: c,
    high: c,
    low: c,
    close: c,
    volume: 1,
  })),
)

describe('strategy context', () => {
  it('updates indicators before onBar, serves history, fires timers and reports order and position events', async () => {
    const log: string[] = []
    const def = defineStrategy({
      name: 'probe',
      params: z.object({ period: z.number().int() }),
      create(ctx) {
        const sma = ctx.indicator(new Sma(ctx.params.period))
        return {
          onStart() {
            ctx.setTimer('tick', 150_000, 120_000)
          },
          onBar(bar) {
            const h = ctx.history(inst.id, '1m', 2)
            log.push(`bar ${bar.close} sma=${sma.value ?? '-'} hist=${[...h.close].join('/')}`)
            if (bar.close === 12) ctx.submit(ctx.orders.market(inst.id, 'BUY', 2))
          },
          onTimer(name, time) {
            log.push(`timer ${name} ${time / 1000}`)
          },
          onOrderEvent(e: OrderEvent) {
            log.push(`order ${e.kind}`)
          },
          onPositionChanged(p) {
            log.push(`position ${p.quantity}@${p.avgPrice}`)
          },
        }
      },
    }) as unknown as StrategyDefinition
    await runBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
      strategies: [{ definition: def, params: { period: 2 } }],
      account: { cash: 1000 },
    })
    assert.deepEqual(log, [
      'bar 10 sma=- hist=10',
      'bar 11 sma=10.5 hist=10/11',
      'timer tick 150',
      'bar 12 sma=11.5 hist=11/12',
      'order SUBMITTED',
      'order ACCEPTED',
      'order FILLED', // at the next open, before the strategy sees that bar's close
      'position 2@13',
      'bar 13 sma=12.5 hist=12/13',
      'timer tick 270',
      'bar 14 sma=13.5 hist=13/14',
      'bar 15 sma=14.5 hist=14/15',
    ])
  })

  it('gives each strategy a random stream fixed by the run seed and its id', async () => {
    const draws = async (seed: number) => {
      const out: number[] = []
      const def = defineStrategy({
        name: 'dice',
        params: z.object({}),
        create: (ctx) => ({ onStart: () => out.push(ctx.rng.uniform()) }),
      }) as unknown as StrategyDefinition
      await runBacktest({
        instruments: [inst],
        feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
        strategies: [{ definition: def }, { definition: def }],
        account: { cash: 1000 },
        seed,
      })
      return out
    }
    const a = await draws(7)
    assert.deepEqual(await draws(7), a)
    assert.notEqual(a[0], a[1])
    assert.notDeepEqual(await draws(8), a)
  })

  it('delivers quotes to onQuote and fills market orders at the ask', async () => {
    const fills: number[] = []
    const def = defineStrategy({
      name: 'quoter',
      params: z.object({}),
      create(ctx) {
        let n = 0
        return {
          onQuote(q) {
            if (n++ === 0) ctx.submit(ctx.orders.market(q.instrumentId, 'BUY', 1))
          },
          onOrderEvent(e) {
            if (e.fill) fills.push(e.fill.price, e.fill.time)
          },
        }
      },
    }) as unknown as StrategyDefinition
    const quotes = [1000, 2000, 3000].map((time, i) => ({
      instrumentId: inst.id,
      time,
      bid: 100 + i,
      ask: 100.5 + i,
      bidSize: 0,
      askSize: 0,
    }))
    await runBacktest({
      instruments: [inst],
      feeds: [{ kind: 'quotes', instrumentId: inst.id, data: [quotes] }],
      strategies: [{ definition: def }],
      account: { cash: 1000 },
    })
    assert.deepEqual(fills, [101.5, 2000])
  })
})
