/**
 * `kestrel backtest --config` with a `pipeline:` section (examples/ai-trader.yaml): the scan flags instruments,
 * features are written for exactly those, the ensemble backtest trades only them through TWAP, and the JSON
 * carries the scan, the features, fills, the ensemble weights and the TCA. Nothing flagged exits 0 and says so.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const root = join(import.meta.dirname, '..', '..', '..')
const example = join(root, 'examples', 'ai-trader.yaml')
const bundled = join(root, 'data', 'bundled')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-pipeline-'))
after(() => rmSync(dir, { recursive: true, force: true }))

interface Alert {
  instrumentId: string
}

/** A pipeline config over the bundled SPY, BAC and IBM files with the given layer-1.5 and backtest data. */
function config(name: string, layer15: string, backtestFiles: readonly string[]): string {
  const file = join(dir, name)
  const data = (files: readonly string[]) => files.map((f) => `    - file: ${join(bundled, f)}`).join('\n')
  writeFileSync(
    file,
    [
      'pipeline:',
      `  features: ${join(root, 'examples', 'ai-trader.features.yaml')}`,
      'scan:',
      '  data:',
      data(['SPY_1m.csv', 'BAC_1m.csv', 'IBM_1m.csv']),
      `  layer1_5: ${layer15}`,
      'strategies:',
      '  - use: trend-signal',
      'backtest:',
      '  data:',
      data(backtestFiles),
      'framework:',
      '  execution: { model: twap, slices: 5 }',
      '',
    ].join('\n'),
  )
  return file
}

describe('backtest --config with pipeline:', () => {
  it('runs the AI Trader example: features and trades for the flagged instruments only', async () => {
    const out = join(dir, 'ai')
    const r = await runCliCaptured(['backtest', '--config', example, '--out', out, '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.deepEqual(
      j.scan.universe.map((u: { instrumentId: string; flagged: boolean }) => [u.instrumentId, u.flagged]),
      [
        ['SPY.SIM', true],
        ['BAC.SIM', false],
        ['IBM.SIM', true],
      ],
    )
    assert.deepEqual(j.flagged, ['IBM.SIM', 'SPY.SIM'])
    assert.ok(j.scan.layer1 > 0 && j.scan.layer1_5.length > 0 && j.scan.layer2.length > 0)
    for (const a of [...j.scan.layer1_5, ...j.scan.layer2] as Alert[]) assert.ok(j.flagged.includes(a.instrumentId))
    // One request per flagged instrument, one per batch (batchSize 1), best priority first.
    const feats = j.features as { instrumentId: string; batch: number; priority: number; bars: number; file: string }[]
    assert.deepEqual(
      feats.map((f) => [f.instrumentId, f.batch]),
      [
        ['IBM.SIM', 1],
        ['SPY.SIM', 2],
      ],
    )
    assert.ok(feats[0]!.priority >= feats[1]!.priority)
    for (const f of feats) {
      const lines = readFileSync(f.file, 'utf8').trimEnd().split('\n')
      assert.equal(lines[0], 'timestamp,ret,ret30,vol,yz,rsi,rsiz,amihud,trend.label,trend.tStat')
      assert.equal(lines.length - 1, f.bars)
    }
    assert.deepEqual(
      feats.map((f) => f.bars),
      [2566, 4839],
    )
    assert.equal(existsSync(join(out, 'features', 'BAC.SIM.csv')), false)
    // The backtest: only flagged instruments, orders worked by TWAP in at most 5 children each.
    const fills = j.fills as { instrumentId: string }[]
    assert.ok(fills.length > 100, `${fills.length} fills`)
    assert.deepEqual([...new Set(fills.map((f) => f.instrumentId))].sort(), ['IBM.SIM', 'SPY.SIM'])
    assert.deepEqual(
      j.instruments.map((i: { id: string }) => i.id),
      ['SPY.SIM', 'IBM.SIM'],
    )
    const tca = j.tca as { algo: string; children: number; status: string; quantity: number; filled: number }[]
    assert.ok(tca.length > 0)
    for (const t of tca) assert.ok(t.algo === 'twap' && t.children <= 5, JSON.stringify(t))
    // A parent worked to the end fills its whole quantity; one replaced by a new target fills at most that.
    for (const t of tca) assert.ok(t.status === 'done' ? t.filled === t.quantity : t.filled <= t.quantity)
    assert.ok(tca.some((t) => t.status === 'done' && t.children === 5))
    const weights = j.ensembleWeights as { weights: Record<string, number> }[]
    assert.ok(weights.length > 0)
    for (const w of weights) {
      assert.deepEqual(Object.keys(w.weights), ['trend', 'reversion', 'momentum', 'breakout'])
      assert.ok(Math.abs(Object.values(w.weights).reduce((a, b) => a + b, 0) - 1) < 1e-9)
    }
    assert.equal(j.report, join(out, 'report.html'))
    const html = readFileSync(j.report, 'utf8')
    assert.match(html, /<section id="member-weights-ensemble">/)
    // The tearsheet's TCA table ends with the total over every parent of the JSON's tca.
    assert.match(
      html,
      new RegExp(`<section id="tca">.*<th>all</th><td>twap</td><td class="num">${tca.length}</td>`, 's'),
    )
    // Progress: one line per step on stderr, stage by stage.
    const stages = [...r.err.matchAll(/^\[\d+\.\ds\] (\w+):/gm)].map((m) => m[1])
    assert.deepEqual(stages, ['scan', 'scan', 'features', 'features', 'backtest', 'report'])
  })

  it('exits 0 and says so when the scan flags nothing', async () => {
    const cfg = config('none.yaml', '{ minDollarVolume: 1.0e+15 }', ['SPY_1m.csv'])
    const r = await runCliCaptured(['backtest', '--config', cfg, '--out', join(dir, 'none'), '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.deepEqual(j.flagged, [])
    assert.deepEqual(j.features, [])
    assert.equal(j.message, 'the scan flagged no instrument: nothing to backtest')
    assert.equal(j.fills, undefined)
    const text = await runCliCaptured(['backtest', '--config', cfg, '--out', join(dir, 'none')])
    assert.equal(text.code, 0, text.err)
    assert.match(text.out, /the scan flagged no instrument: nothing to backtest/)
  })

  it('refuses a backtest.data entry the scan does not cover, naming it', async () => {
    const cfg = config('outside.yaml', '{ maxSize: 1 }', ['SPY_1m.csv', 'AAPL_1m.csv'])
    const r = await runCliCaptured(['backtest', '--config', cfg, '--out', join(dir, 'outside')])
    assert.equal(r.code, 1)
    assert.match(r.err, /backtest\.data\[1\] is not in scan\.data/)
  })
})
