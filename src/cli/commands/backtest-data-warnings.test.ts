/**
 * `kestrel backtest` on data that carries a suspected unadjusted split: the bundled AAPL 1-minute file is raw and
 * spans the 7:1 split of 2014-06-09 (645.7 → 92.46 overnight). The run says so in its summary, its JSON and its
 * tearsheet, with the fix; `--strict-data` refuses it; the split in the actions file removes the warning. The
 * other bundled series carry no such warning.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const BUNDLED = join(import.meta.dirname, '..', '..', '..', 'data', 'bundled')
const AAPL_1M = join(BUNDLED, 'AAPL_1m.csv')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-warn-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const actions = join(dir, 'actions.csv')
writeFileSync(actions, 'symbol,date,type,value\nAAPL,2014-06-09,split,7\n')
const base = ['backtest', '--data', AAPL_1M, '--strategy', 'sma-cross', '--fee-rate', '0']

describe('backtest: data warnings that change the results', () => {
  it('prints a WARN row with the date, the ratio and how to adjust', async () => {
    const r = await runCliCaptured(base)
    assert.equal(r.code, 0, r.err)
    const row = r.out.split('\n').find((l) => l.startsWith('WARN'))
    assert.ok(row, r.out)
    assert.deepEqual(row.split(/\s{2,}/), [
      'WARN',
      'SUSPECTED_UNADJUSTED_SPLIT',
      'AAPL.SIM',
      '2014-06-09',
      '≈ 7:1',
      '-85.7%',
    ])
    assert.match(r.out, /line 1472: open 92\.46 after close 645\.7 is a 7:1 jump/)
    assert.match(r.out, /adjust: pass --actions actions\.csv holding the row AAPL,2014-06-09,split,7 /)
  })

  it('lists the warning in the JSON with code, instrument, date and ratio', async () => {
    const r = await runCliCaptured([...base, '--json'])
    assert.equal(r.code, 0, r.err)
    const w = JSON.parse(r.out).warnings
    assert.equal(w.length, 1)
    assert.deepEqual(
      { code: w[0].code, instrument: w[0].instrument, date: w[0].date, ratio: w[0].ratio, time: w[0].time },
      {
        code: 'SUSPECTED_UNADJUSTED_SPLIT',
        instrument: 'AAPL.SIM',
        date: '2014-06-09',
        ratio: '7:1',
        time: '2014-06-09T08:01:00Z',
      },
    )
    assert.equal(w[0].factor, 92.46 / 645.7)
    assert.match(r.err, /warning: AAPL\.SIM 2014-06-09: suspected unadjusted split ≈ 7:1/)
  })

  it('shows the warning first in the HTML report', async () => {
    const report = join(dir, 'aapl.html')
    const r = await runCliCaptured([...base, '--report', report])
    assert.equal(r.code, 0, r.err)
    const html = readFileSync(report, 'utf8')
    const section = /<section id="data-warnings">(.*?)<\/section>/s.exec(html)?.[1]
    assert.ok(section, 'no data-warnings section')
    assert.match(
      section,
      /<td class="warn">WARN<\/td><td>SUSPECTED_UNADJUSTED_SPLIT<\/td><td>AAPL\.SIM<\/td><td>2014-06-09<\/td><td>≈ 7:1<\/td>/,
    )
    assert.match(section, /AAPL,2014-06-09,split,7/)
    assert.ok(html.indexOf('id="data-warnings"') < html.indexOf('id="equity"'))
  })

  it('--strict-data exits 1 with the warning and its fix, before running', async () => {
    const r = await runCliCaptured([...base, '--strict-data'])
    assert.equal(r.code, 1)
    assert.equal(r.out, '')
    assert.match(r.err, /DATA_VALIDATION_FAILED/)
    assert.match(
      r.err,
      /strict data: a warning changes the results: AAPL\.SIM 2014-06-09: suspected unadjusted split ≈ 7:1/,
    )
    assert.match(r.err, /--actions actions\.csv holding the row AAPL,2014-06-09,split,7/)
    const j = await runCliCaptured([...base, '--strict-data', '--json'])
    assert.equal(j.code, 1)
    assert.deepEqual(
      JSON.parse(j.out).warnings.map((w: { date: string; ratio: string }) => [w.date, w.ratio]),
      [['2014-06-09', '7:1']],
    )
  })

  it('the split in the actions file removes the warning, also with --strict-data', async () => {
    const r = await runCliCaptured([...base, '--actions', actions, '--strict-data', '--json'])
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(JSON.parse(r.out).warnings, [])
    const table = await runCliCaptured([...base, '--actions', actions])
    assert.doesNotMatch(table.out, /WARN/)
  })

  it('an actions file with another ratio leaves the warning, and says to add the row to that file', async () => {
    const wrong = join(dir, 'wrong.csv')
    writeFileSync(wrong, 'symbol,date,type,value\nAAPL,2014-06-09,split,2\n')
    const r = await runCliCaptured([...base, '--actions', wrong, '--json'])
    assert.equal(r.code, 0, r.err)
    const w = JSON.parse(r.out).warnings
    assert.equal(w.length, 1)
    assert.match(
      w[0].fix,
      new RegExp(`add the row AAPL,2014-06-09,split,7 to ${wrong.replace(/[.\\/]/g, '\\$&')} \\(--actions\\)`),
    )
  })

  it('a config names backtest.corporateActions in the fix, and its split removes the warning', async () => {
    const cfg = join(dir, 'bt.yaml')
    const write = (extra: string) =>
      writeFileSync(
        cfg,
        `strategies:\n  - use: sma-cross\nbacktest:\n  data: [{ file: ${JSON.stringify(AAPL_1M)} }]\n${extra}`,
      )
    write('')
    const r = await runCliCaptured(['backtest', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    const w = JSON.parse(r.out).warnings
    assert.deepEqual(
      w.map((x: { date: string; ratio: string }) => [x.date, x.ratio]),
      [['2014-06-09', '7:1']],
    )
    assert.match(w[0].fix, /set backtest\.corporateActions: actions\.csv holding the row AAPL,2014-06-09,split,7/)
    assert.equal((await runCliCaptured(['backtest', '--config', cfg, '--strict-data'])).code, 1)
    write(`  corporateActions: actions.csv\n`)
    const fixed = await runCliCaptured(['backtest', '--config', cfg, '--strict-data', '--json'])
    assert.equal(fixed.code, 0, fixed.err)
    assert.deepEqual(JSON.parse(fixed.out).warnings, [])
  })

  for (const file of ['SPY_1d.csv', 'SPY_1m.csv', 'IBM_1m.csv', 'BAC_1m.csv', 'BTC-USD_1m.csv', 'ETH-USD_1m.csv'])
    it(`no warning on ${file}`, async () => {
      const r = await runCliCaptured(['backtest', '--data', join(BUNDLED, file), '--strict-data', '--json'])
      assert.equal(r.code, 0, r.err)
      assert.deepEqual(JSON.parse(r.out).warnings, [])
    })
})
