/**
 * A backtest of an `ensemble` from a config: the JSON report lists its member weights over time, one entry per
 * close after the warm-up, and the tearsheet draws them.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { backtest } from './backtest.ts'

const root = join(import.meta.dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-ensemble-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('the ensemble in a backtest report', () => {
  it('lists the member weights over time in the JSON and draws them in the tearsheet', async () => {
    const report = join(dir, 'ensemble.html')
    const run = await backtest({ config: join(root, 'examples', 'ensemble.yaml'), env: {} }, { report })
    const weights = run.report.ensembleWeights as { time: string; weights: Record<string, number> }[]
    // One update per close after the first return and the 10 returns of the volatility's warm-up.
    assert.equal(weights.length, run.result.stats.bars - 11)
    assert.deepEqual(Object.keys(weights[0]!.weights), ['fast', 'slow'])
    for (const w of weights) {
      assert.ok(Math.abs(w.weights.fast! + w.weights.slow! - 1) < 1e-12)
      assert.ok(Math.min(w.weights.fast!, w.weights.slow!) >= 0.005 - 1e-15)
    }
    assert.ok(
      weights.some((w) => Math.abs(w.weights.fast! - 0.5) > 0.01),
      'the weights move',
    )
    assert.ok(run.result.fills.length > 0)
    assert.deepEqual(run.rejected, [], 'a margin account: the short signals fill')
    const html = readFileSync(report, 'utf8')
    assert.match(html, /<section id="member-weights-ensemble"><h2>Member weights of ensemble<\/h2>/)
    const last = weights.at(-1)!.weights
    assert.ok(
      html.includes(
        `<td class="num">${last.fast!.toFixed(3)}</td><td class="num">${last.slow!.toFixed(3)}</td></tr></tbody>`,
      ),
    )
  })
})
