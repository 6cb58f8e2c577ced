/**
 * Scheduled execution models in the framework: TWAP spreads a change of target over its slices, POV never
 * takes more than its cap of a bar's volume in the simulated exchange, and a moved target replaces the parent.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { makeInstrument, toBarSeries, type Bar, type SignalInput } from '../core/index.ts'
import { scheduledExecution } from '../execution/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import type { FrameworkSpec } from './framework.ts'

const M = 60_000
const inst = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })

/** Flat price 100, a volume per bar from `vol(i)`. */
function bars(n: number, vol: (i: number) => number) {
  const out: Bar[] = []
  for (let i = 0; i < n; i++)
    out.push({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: i * M,
      closeTime: (i + 1) * M,
      open: 100,
      high: 100.5,
      low: 99.5,
      close: 100,
      volume: vol(i),
    })
  return toBarSeries(out)
}

function emitter(plan: Record<number, SignalInput>): StrategyDefinition {
  return defineStrategy({
    name: 'emitter',
    params: z.object({}),
    create(ctx) {
      let k = 0
      return {
        onBar() {
          const s = plan[k++]
          if (s) ctx.emit(s)
        },
      }
    },
  }) as unknown as StrategyDefinition
}

function run(
  plan: Record<number, SignalInput>,
  framework: FrameworkSpec,
  n = 40,
  vol = (i: number) => 1000 + 37 * (i % 7),
  participation = 0,
) {
  return runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: bars(n, vol) }],
    strategies: [{ definition: emitter(plan) }],
    account: { cash: 100_000 },
    fill: { participation },
    framework,
  })
}

const long = { instrumentId: inst.id, direction: 'LONG' } as const
const eq = (cashBuffer = 0) => CONSTRUCTION_MODELS['equal-weight']({ cashBuffer, gross: 0.5 })

describe('scheduled execution in the framework', () => {
  it('TWAP: a change of 500 shares goes out as 5 children of 100 over 5 consecutive bars', async () => {
    const r = await run({ 2: long }, { construction: eq(), execution: scheduledExecution({ algo: 'twap', slices: 5 }) })
    // Half of 100,000 at 100 = 500 shares; decided at 3 min, children at the opens of bars 3..7.
    assert.deepEqual(
      r.fills.map((f) => [f.time / M, f.quantity]),
      [
        [3, 100],
        [4, 100],
        [5, 100],
        [6, 100],
        [7, 100],
      ],
    )
    const p = r.parentOrders!
    assert.equal(p.length, 1)
    assert.equal(p[0]!.quantity, 500)
    assert.equal(p[0]!.filled, 500)
    assert.equal(p[0]!.children.length, 5)
    assert.equal(p[0]!.arrivalPrice, 100)
  })

  it('POV: with the exchange capped at the same share, no fill takes more than cap × its bar volume', async () => {
    const vol = (i: number) => (i % 3 === 0 ? 200 : 1500)
    const cap = 0.1
    const r = await run(
      { 1: long },
      { construction: eq(), execution: scheduledExecution({ algo: 'pov', rate: 0.1, cap }) },
      60,
      vol,
      cap,
    )
    assert.ok(r.fills.length > 3)
    const byBar = new Map<number, number>()
    for (const f of r.fills) byBar.set(f.time, (byBar.get(f.time) ?? 0) + f.quantity)
    for (const [t, q] of byBar) assert.ok(q <= Math.floor(cap * vol(t / M)), `${q} at bar ${t / M}`)
    const total = r.fills.reduce((a, f) => a + f.quantity, 0)
    assert.equal(total, 500, 'the whole parent is done in the end')
  })

  it('a target that moves replaces the parent: its open children are canceled and a new parent starts', async () => {
    const r = await run(
      { 2: long, 4: { instrumentId: inst.id, direction: 'FLAT' } },
      { construction: eq(), execution: scheduledExecution({ algo: 'twap', slices: 10 }) },
    )
    const p = r.parentOrders!
    assert.equal(p.length, 2)
    assert.equal(p[0]!.status, 'replaced')
    assert.equal(p[1]!.side, 'SELL')
    assert.equal(p[1]!.quantity, p[0]!.filled)
    const net = r.fills.reduce((a, f) => a + (f.side === 'BUY' ? f.quantity : -f.quantity), 0)
    assert.equal(net, 0, 'flat in the end')
  })

  it('refuses a POV cap below its rate and a TWAP of no slices', () => {
    assert.throws(() => scheduledExecution({ algo: 'pov', rate: 0.2, cap: 0.1 }), /cap 0.1 must be in \[rate 0.2, 1\]/)
    assert.throws(() => scheduledExecution({ algo: 'twap', slices: 0 }), /slices must be an integer >= 1/)
  })
})
