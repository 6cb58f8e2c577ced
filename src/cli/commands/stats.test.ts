import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'
import { isKestrelError } from '../../core/index.ts'
import { readReturnsColumn } from '../../app/stats.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-stats-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

/** Runs the CLI in-process and captures stdout and stderr. */
const run = (argv: string[]) => runCliCaptured(argv, { env: { ...process.env, CI: '1' } })

// empyrical's weekly_returns test vector: annual return 0.24690830513998208, volatility 0.38851569394870583
const WEEKLY_CSV =
  'date,close,returns\n' +
  [0, 1, 10, -4, 2, 3, 2, 1, -10].map((r, i) => `2024-01-0${i + 1},${100 + i},${r / 100}`).join('\n') +
  '\n'

describe('kestrel stats', () => {
  it('prints every metric as JSON, matching empyrical on its weekly test vector', async () => {
    const p = file('weekly.csv', WEEKLY_CSV)
    const { code, out } = await run(['stats', p, '--periods-per-year', '52', '--json'])
    assert.equal(code, 0)
    const j = JSON.parse(out)
    assert.equal(j.column, 'returns')
    assert.equal(j.metrics.periods, 9)
    assert.ok(Math.abs(j.metrics.annualReturn - 0.24690830513998208) < 1e-12)
    assert.ok(Math.abs(j.metrics.annualVolatility - 0.38851569394870583) < 1e-12)
    assert.ok(Math.abs(j.metrics.sortinoRatio - 1.1158901056866439) < 1e-12)
    assert.equal(j.metrics.turnover, null, 'NaN becomes null in JSON')
    for (const k of ['var95', 'cvarCornishFisher99', 'probabilisticSharpeRatio', 'minTrackRecordLength', 'ulcerIndex'])
      assert.equal(typeof j.metrics[k], 'number', k)
  })
  it('prints a readable table without --json', async () => {
    const p = file('weekly2.csv', WEEKLY_CSV)
    const { code, out } = await run(['stats', p, '--periods-per-year', '52'])
    assert.equal(code, 0)
    assert.match(out, /Annual return \(CAGR\)\s+24\.69%/)
    assert.match(out, /Max drawdown\s+-10\.00%/)
  })
  it('picks the only numeric column when none is named returns, and --column when given', () => {
    assert.equal(readReturnsColumn('day,r\nmon,0.01\ntue,-0.02\n', 'a.csv').column, 'r')
    const two = 'a,b\n0.01,0.5\n0.02,0.6\n'
    assert.deepEqual([...readReturnsColumn(two, 'b.csv', 'b').returns], [0.5, 0.6])
    assert.throws(
      () => readReturnsColumn(two, 'b.csv'),
      (e) => isKestrelError(e, 'DATA_BAD_FILE') && /--column/.test(e.message),
    )
  })
  it('reads CRLF files with a byte-order mark and quoted headers', () => {
    const c = readReturnsColumn('\uFEFF"date","Return"\r\n2024-01-02,0.01\r\n2024-01-03,-2.5e-3\r\n', 'crlf.csv')
    assert.equal(c.column, 'Return')
    assert.deepEqual([...c.returns], [0.01, -0.0025])
  })
  it('names the file, line and column of a bad cell and exits 1', async () => {
    const p = file('bad.csv', 'date,returns\n2024-01-01,0.01\n2024-01-02,0.02\n2024-01-03,abc\n')
    const { code, err } = await run(['stats', p, '--periods-per-year', '252'])
    assert.equal(code, 1)
    assert.ok(err.includes(`${p} line 4: column "returns" expected a decimal return, got "abc"`), err)
    assert.throws(
      () => readReturnsColumn('returns\n0.01\nNaN\n', 'n.csv'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && e.message.startsWith('n.csv line 3'),
    )
    assert.throws(
      () => readReturnsColumn('returns\n1.5%\n', 'p.csv'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW'),
    )
  })
  it('refuses a blank line inside the data with its line, in a one-column file as in a two-column one', async () => {
    for (const [name, text] of [
      ['one.csv', 'returns\n0.01\n\n-0.02\n0.03\n'],
      ['two.csv', 'date,returns\n2024-01-01,0.01\n\n2024-01-03,-0.02\n2024-01-04,0.03\n'],
      ['spaces.csv', 'returns\n0.01\n   \n-0.02\n0.03\n'],
    ]) {
      const p = file(name, text)
      const { code, err } = await run(['stats', p, '--periods-per-year', '252'])
      assert.equal(code, 1, name)
      assert.ok(err.includes(`${p} line 3: a blank line where a return was expected`), err)
    }
    // the line break after the last row is not a row; CRLF alike
    assert.deepEqual([...readReturnsColumn('returns\n0.01\n-0.02\n', 'a.csv').returns], [0.01, -0.02])
    assert.deepEqual([...readReturnsColumn('returns\r\n0.01\r\n-0.02\r\n', 'a.csv').returns], [0.01, -0.02])
    assert.deepEqual([...readReturnsColumn('returns\n0.01\n-0.02', 'a.csv').returns], [0.01, -0.02])
    assert.throws(
      () => readReturnsColumn('returns\n0.01\n-0.02\n\n', 'end.csv'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && e.message.startsWith('end.csv line 4: a blank line'),
    )
  })
  it('refuses a return below -1 with its line and the accepted range; -1 itself is a total loss', async () => {
    const p = file('loss.csv', 'date,returns\n2024-01-01,0.01\n2024-01-02,-1.5\n')
    const { code, err } = await run(['stats', p, '--periods-per-year', '252'])
    assert.equal(code, 1)
    assert.ok(err.includes(`${p} line 3: column "returns" return -1.5 is outside the accepted range [-1, +inf)`), err)
    assert.deepEqual([...readReturnsColumn('returns\n0.5\n-1\n', 'all.csv').returns], [0.5, -1])
    assert.throws(
      () => readReturnsColumn('returns\n1e999\n', 'inf.csv'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && e.message.startsWith('inf.csv line 2'),
    )
  })
  it('--risk-free is the threshold of Sortino and downside risk too, as of Sharpe', async () => {
    const p = file('rf.csv', WEEKLY_CSV)
    const at = async (rf: string) =>
      JSON.parse((await run(['stats', p, '--periods-per-year', '52', '--risk-free', rf, '--json'])).out).metrics
    const zero = await at('0')
    const rf = await at('0.01')
    const r = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100)
    // downside deviation below 1 % a week: sqrt(mean(min(r − 0.01, 0)²)) · √52; Sortino: mean(r − 0.01) · 52 / that
    const dd = Math.sqrt(r.reduce((a, x) => a + Math.min(x - 0.01, 0) ** 2, 0) / r.length) * Math.sqrt(52)
    const mu = (r.reduce((a, x) => a + x, 0) / r.length - 0.01) * 52
    assert.ok(Math.abs(rf.downsideRisk - dd) < 1e-12, `${rf.downsideRisk} vs ${dd}`)
    assert.ok(Math.abs(rf.sortinoRatio - mu / dd) < 1e-12, `${rf.sortinoRatio} vs ${mu / dd}`)
    assert.ok(rf.sortinoRatio < zero.sortinoRatio && rf.downsideRisk > zero.downsideRisk)
    assert.ok(Math.abs(zero.sortinoRatio - 1.1158901056866439) < 1e-12)
  })
  it('exits 2 for a missing or non-positive --periods-per-year and 1 for a missing file', async () => {
    const p = file('ok.csv', WEEKLY_CSV)
    assert.equal((await run(['stats', p])).code, 2)
    const zero = await run(['stats', p, '--periods-per-year', '0'])
    assert.equal(zero.code, 2)
    assert.match(zero.err, /--periods-per-year: expected a number > 0, got "0"/)
    const missing = await run(['stats', join(dir, 'nope.csv'), '--periods-per-year', '252'])
    assert.equal(missing.code, 1)
    assert.match(missing.err, /nope\.csv: cannot read/)
  })
})
