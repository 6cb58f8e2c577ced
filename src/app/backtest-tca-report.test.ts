/**
 * A backtest whose framework works parent orders (VWAP here) puts their transaction costs in the tearsheet: a
 * `tca` section with one row per entry of the JSON's `tca`, the same figures.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { backtest } from './backtest.ts'
import type { ParentTcaJson } from './backtest-result.ts'

const bundled = join(import.meta.dirname, '..', '..', 'data', 'bundled')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-tca-report-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('TCA in the tearsheet', () => {
  it('lists every parent of a VWAP run in the tca section, with the JSON’s shortfall', async () => {
    const cfg = join(dir, 'vwap.yaml')
    writeFileSync(
      cfg,
      [
        'account:',
        '  cash: 100000',
        'strategies:',
        '  - use: trend-signal',
        '    params: { period: 120 }',
        'backtest:',
        '  data:',
        `    - file: ${join(bundled, 'SPY_1m.csv')}`,
        'framework:',
        '  execution:',
        '    model: vwap',
        `    profile: { file: ${join(bundled, 'SPY_1m.csv')}, buckets: 13 }`,
        '',
      ].join('\n'),
    )
    const report = join(dir, 'report.html')
    const run = await backtest({ config: cfg, env: {} }, { report })
    const tca = run.report.tca as ParentTcaJson[]
    assert.ok(tca.length >= 2, `${tca.length} parents`)
    assert.ok(tca.every((t) => t.algo === 'vwap'))
    const html = readFileSync(report, 'utf8')
    const sec = /<section id="tca-parents">([\s\S]*?)<\/section>/.exec(html)?.[1]
    assert.ok(sec, 'the tca section is there')
    const rows = [...sec.matchAll(/<tr><td>/g)].length
    assert.equal(rows, tca.length)
    const first = tca.find((t) => t.costs !== null)!
    assert.ok(sec.includes(`<td class="num">${first.costs!.implementationShortfall.bps.toFixed(1)}</td>`))
  })
})
