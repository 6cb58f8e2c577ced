import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-backtest-errors-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Bars `stepMs` apart from 2024-01-02, open = previous close. */
function barsCsv(name: string, closes: readonly number[], stepMs: number): string {
  const path = join(dir, name)
  const t0 = Date.UTC(2024, 0, 2, 14, 30)
  const rows = closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!
    return `${new Date(t0 + i * stepMs).toISOString()},${o},${Math.max(o, c)},${Math.min(o, c)},${c},1000`
  })
  writeFileSync(path, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`)
  return path
}

const minutes = barsCsv(
  'TOY_1m.csv',
  Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 2),
  60_000,
)
const days = barsCsv(
  'TOY_1d.csv',
  Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i / 3) * 5),
  86_400_000,
)

const backtest = (...flags: string[]) =>
  runCliCaptured(['backtest', '--data', minutes, '--size', '10', ...flags, '--json'])

/** Exit 2 and one line naming the flag and the accepted range; nothing on stdout, no stack trace. */
function assertUsage(r: { code: number; out: string; err: string }, flag: string, range: RegExp): void {
  assert.equal(r.code, 2, r.err)
  assert.equal(r.out, '')
  assert.match(r.err, /^error \[USAGE\]: /)
  assert.ok(r.err.includes(flag), r.err)
  assert.match(r.err, range)
  assert.doesNotMatch(r.err, /\n\s+at /)
}

describe('kestrel backtest refuses flag values that would give wrong numbers', () => {
  it('refuses negative slippage and spread with the flag and the range', async () => {
    assertUsage(await backtest('--slippage-bps', '-5'), '--slippage-bps', />= 0/)
    assertUsage(await backtest('--slippage-bps', '10000'), '--slippage-bps', /< 10000/)
    assertUsage(await backtest('--spread-bps', '-1'), '--spread-bps', />= 0/)
  })

  it('refuses a fee rate of 1 or more, or below 0', async () => {
    assertUsage(await backtest('--fee-rate', '1'), '--fee-rate', /0 <= r < 1|>= 0 and < 1/)
    assertUsage(await backtest('--fee-rate', '1.5'), '--fee-rate', />= 0 and < 1/)
    assertUsage(await backtest('--fee-rate', '-0.001'), '--fee-rate', />= 0 and < 1/)
    const ok = await backtest('--fee-rate', '0.999')
    assert.equal(ok.code, 0, ok.err)
  })

  it('refuses --cash 0 (and other non-positive or non-finite amounts) as a usage error', async () => {
    assertUsage(await backtest('--cash', '0'), '--cash', /> 0/)
    assertUsage(await backtest('--cash', '-5'), '--cash', /> 0/)
    assertUsage(await backtest('--cash', 'Infinity'), '--cash', /> 0/)
    assertUsage(await backtest('--leverage', '0.5'), '--leverage', />= 1/)
    assertUsage(await backtest('--latency-ms', '-1'), '--latency-ms', />= 0/)
  })

  it('refuses a --timeframe that contradicts the spacing of the bars, naming both; equal is fine', async () => {
    const r = await backtest('--timeframe', '1h')
    assertUsage(r, '--timeframe 1h', /1m/)
    assert.ok(r.err.includes('TOY_1m.csv'), r.err)
    const d = await runCliCaptured(['backtest', '--data', days, '--timeframe', '1h', '--json'])
    assertUsage(d, '--timeframe 1h', /1d/)
    const eq = await backtest('--timeframe', '1m')
    assert.equal(eq.code, 0, eq.err)
    assert.equal(JSON.parse(eq.out).periodsPerYear, 252 * 6.5 * 60)
  })
})

describe('kestrel backtest --config refuses the same values as CONFIG_INVALID naming the key path', () => {
  const config = (name: string, body: string, top = '') => {
    const path = join(dir, name)
    writeFileSync(
      path,
      `${top}strategies:\n  - use: sma-cross\n    params: { size: 10 }\nbacktest:\n  data:\n    - file: ${minutes}\n${body}`,
    )
    return path
  }
  const assertConfig = async (file: string, key: string, range: RegExp) => {
    const r = await runCliCaptured(['backtest', '--config', file, '--json'])
    assert.equal(r.code, 1, r.err)
    assert.match(r.err, /^error \[CONFIG_INVALID\]: /)
    assert.ok(r.err.includes(key), r.err)
    assert.match(r.err, range)
  }

  it('refuses negative slippage', async () => {
    const f = config('slip.yaml', '  fill:\n    slippage: { type: percent, bps: -5 }\n')
    await assertConfig(f, 'backtest.fill.slippage.bps', />=\s*0/)
  })

  it('refuses a fee rate of 1 or more', async () => {
    const f = config('fee.yaml', '  fees: { type: percent, takerRate: 1 }\n')
    await assertConfig(f, 'backtest.fees.takerRate', /<\s*1/)
    const v = config(
      'venue.yaml',
      '  venues:\n    SIM:\n      fees: { type: percent, takerRate: 0.001, makerRate: 1.2 }\n',
    )
    await assertConfig(v, 'backtest.venues.SIM.fees.makerRate', /<\s*1/)
  })

  it('refuses cash 0', async () => {
    await assertConfig(config('cash.yaml', '', 'account: { cash: 0 }\n'), 'account.cash', />\s*0/)
  })

  it('refuses a timeframe that contradicts the data', async () => {
    const f = join(dir, 'tf.yaml')
    writeFileSync(
      f,
      `strategies:\n  - use: sma-cross\n    params: { size: 10 }\nbacktest:\n  data:\n    - file: ${minutes}\n      timeframe: 1h\n`,
    )
    await assertConfig(f, 'backtest.data[0].timeframe', /1m/)
  })

  it("refuses a strategy's bad params with their key paths, before reading any data", async () => {
    const f = join(dir, 'params.yaml')
    writeFileSync(
      f,
      `strategies:\n  - use: sma-cross\n    params: { size: .inf, slow: true }\nbacktest:\n  data:\n    - file: ${join(dir, 'missing.csv')}\n`,
    )
    await assertConfig(f, 'strategies[0].params.size', /expected number/)
    await assertConfig(f, 'strategies[0].params.slow', /received boolean/)
  })
})
