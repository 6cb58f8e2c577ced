import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKestrelError } from '../core/index.ts'
import { backtest } from './backtest.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-app-bt-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('backtest use case', () => {
  it('runs bar files with a strategy and returns the result and its JSON report, printing nothing', async () => {
    const writes: string[] = []
    const ow = process.stdout.write.bind(process.stdout)
    // Text only: the test runner reports to its parent through stdout in binary chunks.
    process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) =>
      typeof s === 'string' ? (writes.push(s), true) : ow(s, ...rest)) as typeof ow
    let run
    try {
      run = await backtest({
        data: ['data/bundled/SPY_1d.csv'],
        strategy: 'sma-cross',
        params: { fast: 10, slow: 30, size: 100 },
        cash: 100_000,
        feeRate: 0.001,
      })
    } finally {
      process.stdout.write = ow
    }
    assert.deepEqual(writes, [])
    assert.equal(run.title, 'sma-cross on SPY')
    assert.equal(run.periodsPerYear, 252)
    assert.equal(run.report.finalEquity, run.result.finalEquity)
    assert.equal(run.report.currency, 'USD')
    assert.equal((run.report.fills as unknown[]).length, run.result.fills.length)
    assert.ok(run.result.fills.length > 0)
    assert.equal(run.reportPath, undefined)
  })

  it('with a report path, runs the buy-and-hold benchmark and writes the tearsheet', async () => {
    const path = join(dir, 'r', 'tearsheet.html')
    const run = await backtest(
      { data: ['data/bundled/SPY_1d.csv'], strategy: 'sma-cross', params: { fast: 10, slow: 30 }, cash: 100_000 },
      { report: path },
    )
    assert.equal(run.reportPath, path)
    assert.equal(run.report.report, path)
    assert.ok(existsSync(path))
  })

  it('names the timeframe setting as the caller calls it when the bars contradict it', async () => {
    await assert.rejects(
      backtest({
        data: ['data/bundled/SPY_1m.csv'],
        strategy: 'sma-cross',
        cash: 1000,
        timeframe: '1h',
        timeframeName: 'timeframe',
      }),
      (e) => isKestrelError(e, 'USAGE') && /^timeframe /.test(e.message),
    )
  })
})
