/**
 * The framework end to end through the public engine API: strategies emit signals, construction turns them
 * into targets, risk trims them, the execution model's orders go through the same risk gate and fill no
 * earlier than a strategy's own order would.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import {
  KestrelError,
  makeInstrument,
  toBarSeries,
  type Bar,
  type Instrument,
  type SignalInput,
} from '../core/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import { LimitsRiskEngine, targetLimits } from '../risk/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { FRAMEWORK_STRATEGY_ID, type FrameworkSpec } from './framework.ts'
import { runBacktest } from './backtest-runner.ts'

const M = 60_000
const insts = ['AAA', 'BBB', 'CCC'].map((symbol) => makeInstrument({ symbol, venue: 'SIM', assetClass: 'equity' }))

/** n one-minute bars per instrument, closes base + i, opens half a point below. */
function bars(inst: Instrument, base: number, n: number) {
  const out: Bar[] = []
  for (let i = 0; i < n; i++) {
    const c = base + i
    out.push({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: i * M,
      closeTime: (i + 1) * M,
      open: c - 0.5,
      high: c + 1,
      low: c - 1,
      close: c,
      volume: 1000,
    })
  }
  return toBarSeries(out)
}

/** A strategy that emits `plan[k]` (a list of signals) at its k-th bar of the first instrument. */
function emitter(plan: Record<number, readonly SignalInput[]>): StrategyDefinition {
  return defineStrategy({
    name: 'emitter',
    params: z.object({}),
    create(ctx) {
      let k = 0
      return {
        onBar(bar) {
          if (bar.instrumentId !== ctx.instruments[0]!.id) return
          for (const s of plan[k] ?? []) ctx.emit(s)
          k++
        },
      }
    },
  }) as unknown as StrategyDefinition
}

function run(plan: Record<number, readonly SignalInput[]>, framework: FrameworkSpec | undefined, extra = {}) {
  return runBacktest({
    instruments: insts,
    feeds: insts.map((i, k) => ({ instrumentId: i.id, timeframe: '1m', data: bars(i, 100 * (k + 1), 20) })),
    strategies: [{ definition: emitter(plan), id: 'alpha' }],
    account: { cash: 100_000 },
    ...(framework ? { framework } : {}),
    ...extra,
  })
}

const long = (i: Instrument, more: Partial<SignalInput> = {}): SignalInput => ({
  instrumentId: i.id,
  direction: 'LONG',
  ...more,
})
const qty = (r: Awaited<ReturnType<typeof run>>, id: string) =>
  r.fills.filter((f) => f.instrumentId === id).reduce((a, f) => a + (f.side === 'BUY' ? f.quantity : -f.quantity), 0)

describe('the framework', () => {
  it('equal weight: each signalled instrument gets a third of equity at the decision close, filled at the next open', async () => {
    const r = await run({ 2: insts.map((i) => long(i)) }, { construction: CONSTRUCTION_MODELS['equal-weight']() })
    // Decided at the close of bar 2 (closes 102, 202, 302) with equity 100,000 less the 0.25 % cash buffer.
    const third = (100_000 * 0.9975) / 3
    const expected = [Math.floor(third / 102), Math.floor(third / 202), Math.floor(third / 302)]
    insts.forEach((inst, k) => {
      const fs = r.fills.filter((f) => f.instrumentId === inst.id)
      assert.equal(fs.length, 1)
      assert.equal(fs[0]!.quantity, expected[k])
      assert.equal(fs[0]!.time, 3 * M, 'the open of the bar after the decision at 3 min')
      assert.equal(fs[0]!.price, 100 * (k + 1) + 3 - 0.5, 'the next bar open')
      assert.equal(fs[0]!.strategyId, FRAMEWORK_STRATEGY_ID)
    })
    assert.equal(r.targets!.length, 3)
    assert.equal(r.targets![0]!.time, 3 * M)
    assert.deepEqual(
      r.targets!.map((t) => [t.quantity, t.proposed]),
      expected.map((q) => [q, q]),
    )
  })

  it('fills where a strategy sending the same order from its onBar would (no look-ahead)', async () => {
    const direct = defineStrategy({
      name: 'direct',
      params: z.object({}),
      create(ctx) {
        let k = 0
        return {
          onBar(bar) {
            if (bar.instrumentId === insts[0]!.id && k++ === 2)
              ctx.submit(ctx.orders.market(insts[0]!.id, 'BUY', Math.floor(99_750 / 102)))
          },
        }
      },
    }) as unknown as StrategyDefinition
    const a = await runBacktest({
      instruments: insts,
      feeds: insts.map((i, k) => ({ instrumentId: i.id, timeframe: '1m', data: bars(i, 100 * (k + 1), 20) })),
      strategies: [{ definition: direct }],
      account: { cash: 100_000 },
    })
    const b = await run({ 2: [long(insts[0]!)] }, { construction: CONSTRUCTION_MODELS['equal-weight']() })
    assert.deepEqual(
      a.fills.map((f) => [f.time, f.price, f.quantity]),
      b.fills.map((f) => [f.time, f.price, f.quantity]),
    )
  })

  it('closes a position when its signal expires or turns FLAT', async () => {
    const eq = { construction: CONSTRUCTION_MODELS['equal-weight']() }
    const expiring = await run({ 1: [long(insts[0]!, { horizonMs: 5 * M })] }, eq)
    const fs = expiring.fills
    assert.equal(fs.length, 2)
    assert.equal(fs[0]!.side, 'BUY')
    assert.equal(fs[1]!.side, 'SELL')
    assert.equal(fs[1]!.quantity, fs[0]!.quantity)
    // Emitted at 2 min, active while t < 7 min: the 7-minute rebalance closes it at the next bar's open.
    assert.equal(fs[1]!.time, 7 * M)
    const flat = await run({ 1: [long(insts[0]!)], 4: [{ instrumentId: insts[0]!.id, direction: 'FLAT' }] }, eq)
    assert.equal(qty(flat, insts[0]!.id), 0)
    assert.equal(flat.fills[1]!.time, 5 * M)
  })

  it('risk on targets: 10 % of equity per position, 30 % per sector', async () => {
    const r = await run(
      { 2: insts.map((i) => long(i)) },
      {
        construction: CONSTRUCTION_MODELS['equal-weight'](),
        risk: targetLimits({
          maxPositionFraction: 0.1,
          maxSectorWeight: 0.15,
          sectors: { [insts[0]!.id]: 'tech', [insts[1]!.id]: 'tech' },
        }),
      },
    )
    // Decided at closes 102, 202, 302: AAA and BBB share a 15 % sector, CCC alone is capped at 10 %. Each
    // stage rounds down to the lot, so a position is at most its cap and within a few shares of it.
    const value = (k: number) => qty(r, insts[k]!.id) * (100 * (k + 1) + 2)
    assert.ok(value(0) + value(1) <= 15_000 && value(0) + value(1) > 15_000 - 3 * 302, `${value(0) + value(1)}`)
    assert.ok(value(0) > 0 && value(1) > 0)
    assert.ok(value(2) <= 10_000 && value(2) > 10_000 - 302, `${value(2)}`)
    const reasons = new Set(r.targets!.map((t) => t.reason))
    assert.ok(reasons.has('maxSectorWeight') && reasons.has('maxPosition'))
  })

  it('risk on targets: at most N positions per market, minimum hold and cooldown', async () => {
    const two = await run(
      { 2: insts.map((i) => long(i)) },
      { construction: CONSTRUCTION_MODELS['equal-weight'](), risk: targetLimits({ maxPositionsPerMarket: 2 }) },
    )
    assert.equal(new Set(two.fills.map((f) => f.instrumentId)).size, 2)
    const a = insts[0]!
    const plan = {
      1: [long(a)], // at 2 min: bought at the next open (2 min), the position opened then
      2: [{ instrumentId: a.id, direction: 'FLAT' as const }], // at 3 min: inside the 5-minute hold, kept until 7
      8: [long(a)], // at 9 min: inside the cooldown after the exit at 7 (until 12), deferred until then
    }
    const r = await run(plan, {
      construction: CONSTRUCTION_MODELS['equal-weight'](),
      risk: targetLimits({ minHoldMs: 5 * M, cooldownMs: 5 * M }),
    })
    const sides = r.fills.map((f) => [f.side, f.time / M])
    assert.deepEqual(sides, [
      ['BUY', 2],
      ['SELL', 7],
      ['BUY', 12],
    ])
  })

  it('the per-order checks still see every framework order', async () => {
    const risk = new LimitsRiskEngine({ checks: { maxOrderQuantity: 50 } })
    const r = await run({ 2: [long(insts[0]!)] }, { construction: CONSTRUCTION_MODELS['equal-weight']() }, { risk })
    assert.equal(r.fills.length, 0, 'a 980-share order is refused by the 50-share limit')
    assert.ok(r.stats.riskRejected > 0)
  })

  it('refuses a signal without a framework, on another instrument, or out of range, with the reason', async () => {
    await assert.rejects(run({ 1: [long(insts[0]!)] }, undefined), (e: KestrelError) => {
      assert.equal(e.code, 'STRATEGY_INVALID')
      assert.match(e.message, /no framework/)
      return true
    })
    await assert.rejects(
      run({ 1: [long(insts[0]!, { confidence: 1.5 })] }, { construction: CONSTRUCTION_MODELS['equal-weight']() }),
      /confidence must be a number in \[0, 1\]/,
    )
    const one = defineStrategy({
      name: 'one',
      params: z.object({}),
      create: (ctx) => ({ onBar: () => void ctx.emit(long(insts[1]!)) }),
    }) as unknown as StrategyDefinition
    await assert.rejects(
      runBacktest({
        instruments: insts,
        feeds: insts.map((i, k) => ({ instrumentId: i.id, timeframe: '1m', data: bars(i, 100 * (k + 1), 5) })),
        strategies: [{ definition: one, instruments: [insts[0]!.id] }],
        account: { cash: 100_000 },
        framework: { construction: CONSTRUCTION_MODELS['equal-weight']() },
      }),
      /not one of its instruments/,
    )
  })

  it('refuses a strategy that takes the framework id', async () => {
    await assert.rejects(
      runBacktest({
        instruments: insts,
        feeds: [{ instrumentId: insts[0]!.id, timeframe: '1m', data: bars(insts[0]!, 100, 3) }],
        strategies: [{ definition: emitter({}), id: FRAMEWORK_STRATEGY_ID }],
        account: { cash: 100_000 },
      }),
      /framework's own/,
    )
  })
})
