import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { EventBus, makeInstrument, toBarSeries, type Bar } from '../core/index.ts'
import { LimitsRiskEngine } from '../risk/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { z } from 'zod'
import { runBacktest } from './backtest-runner.ts'
import { watchRiskFile } from './risk-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-riskfile-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let tick = 0
/** Writes `text` and moves the file's time on, so a change is seen even within one clock tick. */
function write(file: string, text: string): void {
  writeFileSync(file, text)
  const t = new Date(Date.UTC(2030, 0, 1) + ++tick * 1000)
  utimesSync(file, t, t)
}

describe('watching the risk file', () => {
  it('reloads a whole risk: section on change, refuses one that drops a limit, and keeps the kill switch', () => {
    const file = join(dir, 'a.yaml')
    write(file, 'risk:\n  checks: { maxOrderQuantity: 100 }\n  controls: { dailyLoss: { maxLoss: 500 } }\n')
    const risk = new LimitsRiskEngine({ checks: { maxOrderQuantity: 100 }, controls: { dailyLoss: { maxLoss: 500 } } })
    const errors: string[] = []
    const w = watchRiskFile(file, risk, { onError: (e) => errors.push((e as Error).message) })
    try {
      assert.equal(w.poll(), false, 'nothing changed yet')
      risk.kill('desk')
      write(file, 'risk:\n  checks: { maxOrderQuantity: 50 }\n  controls: { dailyLoss: { maxLoss: 500 } }\n')
      assert.equal(w.poll(), true)
      assert.equal(risk.config.checks.maxOrderQuantity, 50)
      assert.equal(risk.isKilled, true, 'the kill switch survives the reload')
      write(file, 'risk:\n  checks: { maxOrderQuantity: 50 }\n')
      assert.equal(w.poll(), false)
      assert.match(errors[0]!, /drops a limit in force: risk\.controls\.dailyLoss/)
      assert.equal(risk.config.controls.dailyLoss?.maxLoss, 500, 'the old limits stay')
      write(file, 'risk:\n  checks: { maxOrderQuantity: 50 }\n  controls: { dailyLoss: null }\n')
      assert.equal(w.poll(), true)
      assert.equal(risk.config.controls.dailyLoss, undefined)
      assert.equal(risk.isKilled, true)
    } finally {
      w.close()
    }
  })

  it('applies a change made while a backtest runs (the runner polls between chunks of events)', async () => {
    const file = join(dir, 'b.yaml')
    write(file, 'risk:\n  checks: { maxOrderQuantity: 100 }\n')
    const inst = makeInstrument({ symbol: 'RLD', venue: 'SIM', assetClass: 'equity' })
    const n = 70_000
    const bars: Bar[] = Array.from({ length: n }, (_, i) => ({
      instrumentId: inst.id,
      timeframe: '1m',
      openTime: i * 60_000,
      closeTime: (i + 1) * 60_000,
      open: 100,
      high: 100.5,
      low: 99.5,
      close: 100,
      volume: 1e6,
    }))
    // Rewrites the file at bar 1000 (the runner looks at it every 65,536 events), then orders 60 at bar 69,000.
    const def = defineStrategy({
      name: 'editor',
      params: z.object({}),
      create(ctx) {
        let k = 0
        return {
          onBar() {
            k++
            if (k === 1000) write(file, 'risk:\n  checks: { maxOrderQuantity: 50 }\n')
            if (k === 69_000) ctx.submit(ctx.orders.market(inst.id, 'BUY', 60))
          },
        }
      },
    }) as unknown as StrategyDefinition
    const risk = new LimitsRiskEngine({ checks: { maxOrderQuantity: 100 } })
    const r = await runBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: toBarSeries(bars) }],
      strategies: [{ definition: def }],
      account: { cash: 1e6 },
      risk,
      bus: new EventBus({ historySize: 0 }),
      riskFile: file,
      record: { positions: false, trades: false },
    })
    assert.equal(risk.config.checks.maxOrderQuantity, 50)
    assert.equal(r.fills.length, 0)
    assert.match(r.orders[0]!.rejectReason!, /MAX_ORDER_QUANTITY: .*quantity 60 > limit 50/)
  })
})
