import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-stats-json-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const run = (argv: string[]) => runCliCaptured(argv, { env: { ...process.env, CI: '1' } })

function file(name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

const hold = ['--data', 'data/bundled/SPY_1d.csv', '--strategy', 'buy-and-hold', '--account', 'cash', '--json']

describe('kestrel stats on a backtest JSON', () => {
  let report: string
  let doc: { metrics: Record<string, number>; returns: unknown[] }
  before(async () => {
    const r = await run(['backtest', ...hold])
    assert.equal(r.code, 0, r.err)
    report = file('bh.json', r.out)
    doc = JSON.parse(r.out)
  })

  it('gives the Sharpe ratio backtest --json gave, annualised with the report’s own periods per year', async () => {
    const r = await run(['stats', report, '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.equal(j.metrics.sharpeRatio, doc.metrics.sharpeRatio)
    assert.equal(j.metrics.periods, doc.returns.length)
    assert.equal(j.metrics.maxDrawdown, doc.metrics.maxDrawdown)
    assert.equal(j.periodsPerYear, 252)
    assert.equal(j.sample, 'day')
    const t = await run(['stats', report])
    assert.equal(t.code, 0, t.err)
    assert.match(t.out, /5848 returns from the backtest's returns \(sampled by day\), 252 periods a year/)
  })

  it('gives the Sharpe ratio of intraday bars with --sample bar', async () => {
    const r = await run(['backtest', '--data', 'data/bundled/SPY_1m.csv', '--size', '10', '--sample', 'bar', '--json'])
    assert.equal(r.code, 0, r.err)
    const bt = JSON.parse(r.out)
    const s = await run(['stats', file('m.json', r.out), '--json'])
    assert.equal(s.code, 0, s.err)
    assert.equal(JSON.parse(s.out).metrics.sharpeRatio, bt.metrics.sharpeRatio)
  })

  it('refuses a --sample it does not know (exit 2)', async () => {
    const r = await run(['backtest', ...hold, '--sample', 'week'])
    assert.equal(r.code, 2)
    assert.match(r.err, /--sample "week": expected bar or day/)
  })

  it('names the file and the place of a malformed JSON file (exit 1)', async () => {
    const cut = file('cut.json', JSON.stringify(doc, null, 2).slice(0, 5000))
    const r = await run(['stats', cut])
    assert.equal(r.code, 1)
    assert.match(r.err, /DATA_BAD_FILE.*cut\.json: not valid JSON at line \d+ column \d+/)
    const junk = file('junk.json', '{ "returns": [0.01, ')
    assert.match((await run(['stats', junk])).err, /junk\.json: not valid JSON/)
  })

  it('says what is wrong with JSON that is not a backtest report', async () => {
    const cases: [string, string, RegExp][] = [
      ['array.json', '[0.01, 0.02]', /array\.json: expected the JSON object of kestrel backtest --json, got an array/],
      ['none.json', '{"metrics": {}}', /none\.json: no "returns" array/],
      ['str.json', '{"returns": "0.01,0.02"}', /str\.json: "returns": expected an array, got string/],
      ['empty.json', '{"returns": [], "sample": {"periodsPerYear": 252}}', /empty\.json: "returns" is empty/],
      [
        'refused.json',
        '{"error": {"code": "DATA_VALIDATION_FAILED", "message": "SPY.SIM 1d: 0 bars passed"}, "quarantinedRows": 3}',
        /refused\.json: no "returns": the report is of a backtest that did not run \(DATA_VALIDATION_FAILED: SPY\.SIM 1d/,
      ],
      [
        'ppy.json',
        '{"returns": [{"return": 0.01}], "sample": {"by": "day", "periodsPerYear": -1}}',
        /ppy\.json: "sample\.periodsPerYear": expected a number > 0, got -1/,
      ],
    ]
    for (const [name, text, re] of cases) {
      const r = await run(['stats', file(name, text)])
      assert.equal(r.code, 1, name)
      assert.match(r.err, /DATA_BAD_FILE/, name)
      assert.match(r.err, re, name)
    }
  })

  it('names the entry of a return that is not a number >= -1', async () => {
    const rows = (xs: unknown[]) =>
      JSON.stringify({
        sample: { by: 'day', periodsPerYear: 252 },
        returns: xs.map((x, i) => ({ date: `2020-01-0${i + 1}`, return: x })),
      })
    const cases: [unknown[], RegExp][] = [
      [[0.01, '0.02'], /returns\[1\] \(2020-01-02\)\.return: expected a number >= -1 \(a simple return\), got "0\.02"/],
      [[0.01, null], /returns\[1\] \(2020-01-02\)\.return: expected a number >= -1.*got null/],
      [[-1.5], /returns\[0\] \(2020-01-01\)\.return: expected a number >= -1.*got -1\.5/],
    ]
    for (const [xs, re] of cases) {
      const r = await run(['stats', file('rows.json', rows(xs))])
      assert.equal(r.code, 1)
      assert.match(r.err, /DATA_BAD_ROW/)
      assert.match(r.err, re)
    }
    const missing = await run(['stats', file('miss.json', '{"returns": [{"date": "2020-01-01", "value": 0.1}]}')])
    assert.match(missing.err, /DATA_BAD_ROW.*returns\[0\] \(2020-01-01\)\.return: .*got no "return" in/)
  })

  it('asks for --periods-per-year when the report has none, and refuses --column on a JSON (exit 2)', async () => {
    const bare = await run(['stats', file('bare.json', '{"returns": [{"return": 0.01}, {"return": 0.02}]}')])
    assert.equal(bare.code, 2)
    assert.match(bare.err, /bare\.json: no "sample\.periodsPerYear" in the report; give --periods-per-year/)
    const given = await run([
      'stats',
      file('bare2.json', '{"returns": [{"return": 0.01}, {"return": 0.02}]}'),
      '--periods-per-year',
      '12',
      '--json',
    ])
    assert.equal(given.code, 0, given.err)
    assert.equal(JSON.parse(given.out).periodsPerYear, 12)
    const col = await run(['stats', report, '--column', 'pnl'])
    assert.equal(col.code, 2)
    assert.match(col.err, /--column pnl: .*bh\.json is a backtest JSON/)
  })
})
