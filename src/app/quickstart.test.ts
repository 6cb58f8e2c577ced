import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { AI_TRADER_CONFIG, importBundled, quickstartAiTrader } from './quickstart.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-qs-data-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('quickstart data import', () => {
  it('imports every bundled file with its known problems quarantined, then adds nothing on a second run', async () => {
    const db = join(dir, 'k.duckdb')
    const first = await importBundled(db)
    const by = (s: string, tf: string) => first.find((r) => r.symbol === s && r.timeframe === tf)!
    assert.equal(first.length, 8)
    assert.deepEqual(
      first.map((r) => [r.instrumentId, r.timeframe, r.rows, r.quarantined]),
      [
        ['BTC-USD.COINBASE', '1m', 3887, 0],
        ['ETH-USD.COINBASE', '1m', 2449, 0],
        ['SPY.ARCA', '1m', 4839, 0],
        ['IBM.NYSE', '1m', 2566, 0],
        ['BAC.NYSE', '1m', 3466, 0],
        ['AAPL.NASDAQ', '1m', 2302, 1],
        ['SPY.ARCA', '1d', 5849, 0],
        ['AAPL.NASDAQ', '1d', 5846, 3],
      ],
    )
    assert.deepEqual(by('AAPL', '1d').quarantineReasons, { OUTLIER_RANGE: 3 })
    assert.equal(by('AAPL', '1d').warnings.SUSPECTED_UNADJUSTED_SPLIT, 4)
    assert.equal(by('BTC-USD', '1m').warnings.GAP, 433)
    assert.equal(by('IBM', '1m').warnings.GAP, 2)
    assert.equal(by('SPY', '1d').first, '1998-01-02T00:00:00Z')
    const second = await importBundled(db)
    assert.ok(second.every((r) => r.skipped && r.added === 0))
    assert.deepEqual(
      second.map((r) => r.rows),
      first.map((r) => r.rows),
    )
  })
})

describe('quickstart AI Trader run', () => {
  it('backtests the flagged instruments of examples/ai-trader.yaml and sums the TCA of the filled parents', async () => {
    const stages: string[] = []
    const ai = await quickstartAiTrader(join(dir, 'out'), {}, (stage) => stages.push(stage))
    assert.equal(ai.config, AI_TRADER_CONFIG)
    assert.deepEqual(ai.universe, ['SPY.SIM', 'BAC.SIM', 'IBM.SIM'])
    assert.deepEqual(ai.flagged, ['IBM.SIM', 'SPY.SIM'])
    assert.deepEqual(
      ai.features.map((f) => [f.instrumentId, f.columns, f.file]),
      [
        ['IBM.SIM', 9, join(dir, 'out', 'ai-trader', 'features', 'IBM.SIM.csv')],
        ['SPY.SIM', 9, join(dir, 'out', 'ai-trader', 'features', 'SPY.SIM.csv')],
      ],
    )
    assert.deepEqual([...new Set(stages)], ['scan', 'features', 'backtest', 'report'])
    assert.ok(ai.fills > 0 && ai.trades > 0)
    assert.ok(ai.tca.filledParents > 0 && ai.tca.filledParents <= ai.tca.parents)
    assert.ok(Number.isFinite(ai.tca.bps) && Number.isFinite(ai.tca.implementationShortfall))
    const w = Object.values(ai.ensembleWeights ?? {})
    assert.equal(w.length, 4)
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-9)
    assert.equal(ai.report, join(dir, 'out', 'ai-trader', 'report.html'))
  })
})
