import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-risk-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const example = resolve(new URL('../../../examples/risk.yaml', import.meta.url).pathname)
const bundled = resolve(new URL('../../../data/bundled', import.meta.url).pathname)

/** Runs the CLI in-process and captures stdout and stderr. */
const run = (argv: string[]) => runCliCaptured(argv, { env: { ...process.env, CI: '1' } })

describe('kestrel risk', () => {
  it('status: dry-runs the example backtest through its limits, saves the snapshot and shows it again', async () => {
    const snap = join(dir, 'state.json')
    const r = await run(['risk', 'status', '--config', example, '--save', snap])
    assert.equal(r.code, 0, r.err)
    assert.match(
      r.out,
      /risk\.controls\.dailyLoss +maxLoss 400, dayStartHourUtc 0 → kill, cooldown 60000 ms, re-arm manual/,
    )
    assert.match(r.out, /maxPosition SPY\.SIM +\d+ +400 /)
    assert.match(r.out, /volatilityBreaker +halt .*SPY\.SIM moved/)
    const saved = JSON.parse(readFileSync(snap, 'utf8')) as { counters: Record<string, number> }
    assert.ok(saved.counters['risk.breach.volatilityBreaker']! > 0)
    const again = await run(['risk', 'status', '--state', snap, '--json'])
    assert.equal(again.code, 0, again.err)
    const j = JSON.parse(again.out) as {
      counters: Record<string, number>
      config: { checks: { maxOrderQuantity: number } }
    }
    assert.deepEqual(j.counters, saved.counters)
    assert.equal(j.config.checks.maxOrderQuantity, 1000)
  })

  it('status: a misspelt limit is an input error naming its key path', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(
      bad,
      `strategies: [{ use: buy-and-hold }]\nbacktest:\n  data: [{ file: ${bundled}/SPY_1m.csv }]\nrisk:\n  checks:\n    maxOrderQty: 5\n`,
    )
    const r = await run(['risk', 'status', '--config', bad])
    assert.equal(r.code, 1)
    assert.match(r.err, /risk\.checks\.maxOrderQty/)
  })

  it('stress: shocks and replays the example book and writes a Markdown report', async () => {
    const md = join(dir, 'stress.md')
    const r = await run(['risk', 'stress', '--config', example, '--report', md, '--json'])
    assert.equal(r.code, 0, r.err)
    const res = JSON.parse(r.out) as { scenario: string; kind: string; pnl: number; pnlPct: number }[]
    assert.deepEqual(
      res.map((x) => x.kind),
      ['index', 'volatility', 'correlation', 'liquidity', 'replay', 'replay'],
    )
    // Index −20% on a long book of betas 1 and 1.2: P&L = −0.2·(300·SPY + 1.2·400·AAPL) at the last closes.
    const spy = 396.33
    const aapl = 122.15
    const lastClose = (f: string) =>
      Number(readFileSync(join(bundled, f), 'utf8').trim().split('\n').at(-1)!.split(',')[4])
    assert.equal(lastClose('SPY_1d.csv').toFixed(2), spy.toFixed(2))
    assert.equal(lastClose('AAPL_1d.csv').toFixed(2), aapl.toFixed(2))
    assert.ok(Math.abs(res[0]!.pnl - -0.2 * (300 * spy + 1.2 * 400 * aapl)) < 1e-6)
    // Both historical windows lost money on a long equity book.
    assert.ok(res[4]!.pnl < 0 && res[5]!.pnl < 0)
    assert.match(readFileSync(md, 'utf8'), /\| Lehman, Sep-Nov 2008 \| replay \| -\d+\.\d\d \| -\d+\.\d\d% \|/)
  })
})
