/**
 * `kestrel backtest --config examples/strategies.yaml`: the built-in mean-reversion, momentum and breakout signal
 * sources run on the bundled 1-minute bars through the framework with no rejected order, each of them trades,
 * and on the cash account no position goes short.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const example = join(import.meta.dirname, '..', '..', '..', 'examples', 'strategies.yaml')

describe('backtest --config examples/strategies.yaml', () => {
  it('runs every built-in signal source through the framework with no rejected order', async () => {
    const r = await runCliCaptured(['backtest', '--config', example, '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.deepEqual(j.rejectedOrders, [])
    assert.equal(j.stats.riskRejected, 0)
    const fills = j.fills as { instrumentId: string; side: string; quantity: number; strategyId: string }[]
    assert.ok(fills.every((f) => f.strategyId === 'portfolio'))
    // mean reversion trades SPY, momentum BAC, breakout IBM: each of them emitted and was sized
    assert.deepEqual([...new Set(fills.map((f) => f.instrumentId))].sort(), ['BAC.SIM', 'IBM.SIM', 'SPY.SIM'])
    const pos = new Map<string, number>()
    for (const f of fills) {
      const q = (pos.get(f.instrumentId) ?? 0) + (f.side === 'BUY' ? f.quantity : -f.quantity)
      pos.set(f.instrumentId, q)
      assert.ok(q >= 0, `${f.instrumentId} went short on a cash account`)
    }
  })
})
