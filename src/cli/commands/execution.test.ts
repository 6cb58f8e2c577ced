import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-execution-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const cli = (argv: string[]) => runCliCaptured(argv)

/** The worked example of Almgren & Chriss (2000). */
const PAPER = [
  '--quantity',
  '1e6',
  '--periods',
  '5',
  '--horizon',
  '5',
  '--sigma',
  '0.95',
  '--eta',
  '2.5e-6',
  '--gamma',
  '2.5e-7',
  '--epsilon',
  '0.0625',
]

interface PlanJson {
  trajectory: number[]
  trades: number[]
  expectedCost: number
  variance: number
}

async function plan(args: string[]): Promise<PlanJson> {
  const r = await cli(['execution', 'plan', ...args, '--json'])
  assert.equal(r.code, 0, r.err)
  return JSON.parse(r.out) as PlanJson
}

describe('kestrel execution plan', () => {
  it("prints the JSON contract, and with λ = 0 the paper's TWAP: E = $662,500", async () => {
    for (const algo of ['twap', 'almgren-chriss']) {
      const j = await plan(['--algo', algo, ...PAPER, '--lambda', '0'])
      assert.deepEqual(Object.keys(j), ['trajectory', 'trades', 'expectedCost', 'variance'])
      assert.ok(Math.abs(j.expectedCost - 662_500) < 1e-6, `${algo}: ${j.expectedCost}`)
      assert.ok(Math.abs(j.variance - 1.083e12) < 1)
      j.trades.forEach((n) => assert.ok(Math.abs(n - 2e5) < 1e-6))
      assert.equal(j.trajectory.length, 6)
    }
  })

  it('trades sooner with λ > 0: lower variance for a higher expected cost than TWAP', async () => {
    const j = await plan(['--algo', 'almgren-chriss', ...PAPER, '--lambda', '1e-6'])
    const kappa = Math.acosh(1 + (1e-6 * 0.95 ** 2) / (2.5e-6 - 1.25e-7) / 2)
    j.trajectory.forEach((x, k) =>
      assert.ok(Math.abs(x - (Math.sinh(kappa * (5 - k)) / Math.sinh(kappa * 5)) * 1e6) < 1e-6),
    )
    assert.ok(j.variance < 1.083e12 && j.expectedCost > 662_500)
  })

  it('plans VWAP from the profile of the bundled SPY minutes, each slice within 2 pp of it', async () => {
    const args = ['--algo', 'vwap', '--profile', 'data/bundled/SPY_1m.csv', '--quantity', '10000', '--periods', '13']
    const j = await plan([...args, '--lot', '100'])
    assert.equal(
      j.trades.reduce((a, b) => a + b, 0),
      10_000,
    )
    assert.ok(j.trades.every((n) => n % 100 === 0))
    const exact = await plan(args)
    j.trades.forEach((n, k) => assert.ok(Math.abs(n - exact.trades[k]!) / 10_000 <= 0.02))
    const table = await cli(['execution', 'plan', ...args])
    assert.equal(table.code, 0, table.err)
    assert.match(table.out, /profile: data\/bundled\/SPY_1m\.csv, 6 NYSE session\(s\)/)
  })

  it('learns the VWAP profile from a stored range', async () => {
    const db = join(dir, 'k.duckdb')
    const imp = await cli(['data', 'import', 'data/bundled/SPY_1m.csv', '--venue', 'ARCA', '--db', db])
    assert.equal(imp.code, 0, imp.err)
    const base = ['--algo', 'vwap', '--quantity', '10000', '--periods', '13', '--db', db, '--timeframe', '1m']
    const all = await plan([...base, '--profile', 'SPY'])
    const csv = await plan([
      '--algo',
      'vwap',
      '--quantity',
      '10000',
      '--periods',
      '13',
      '--profile',
      'data/bundled/SPY_1m.csv',
    ])
    all.trades.forEach((n, k) => assert.ok(Math.abs(n - csv.trades[k]!) < 1e-6))
    const two = await cli([
      'execution',
      'plan',
      ...base,
      '--profile',
      'SPY',
      '--from',
      '2013-10-10',
      '--to',
      '2013-10-11',
    ])
    assert.equal(two.code, 0, two.err)
    assert.match(two.out, /2 NYSE session\(s\)/)
  })

  it("prints what the README's example shows", async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
    const block = /```\n\$ (kestrel execution plan [\s\S]*?)\n```/.exec(readme)![1]!
    const [command, ...shown] = block.replace(/\\\n\s*/g, ' ').split('\n')
    assert.equal(shown.length, 10)
    const r = await cli(command!.split(/\s+/).slice(1))
    assert.equal(r.code, 0, r.err)
    const lines = r.out.trimEnd().split('\n')
    assert.deepEqual(
      lines.filter((l) => !/^[- ]+$/.test(l)),
      shown.map((l) => l.trimEnd()),
    )
  })

  it('says what is wrong: usage errors exit 2, a model without an optimum exits 1', async () => {
    const missing = await cli(['execution', 'plan', '--algo', 'twap', '--periods', '5', '--horizon', '1'])
    assert.equal(missing.code, 2)
    assert.match(missing.err, /--quantity is required/)
    const algo = await cli(['execution', 'plan', '--algo', 'pov', ...PAPER])
    assert.equal(algo.code, 2)
    assert.match(algo.err, /--algo "pov": expected one of almgren-chriss\|twap\|vwap/)
    const noProfile = await cli(['execution', 'plan', '--algo', 'vwap', '--quantity', '1', '--periods', '13'])
    assert.equal(noProfile.code, 2)
    assert.match(noProfile.err, /vwap needs --profile/)
    const model = await cli(['execution', 'plan', '--algo', 'almgren-chriss', ...PAPER.slice(0, 6)])
    assert.equal(model.code, 2)
    assert.match(model.err, /almgren-chriss needs --sigma and --eta/)
    const eta = await cli(['execution', 'plan', '--algo', 'almgren-chriss', ...PAPER, '--gamma', '1e-3'])
    assert.equal(eta.code, 1)
    assert.match(eta.err, /η̃ = η − γτ\/2/)
  })
})
