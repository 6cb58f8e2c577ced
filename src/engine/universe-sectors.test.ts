/**
 * Framework sector limits read sectors from the backtest's universe when `framework.risk.sectors` is not
 * given: the bundled SPY, BAC and IBM minute bars in one universe sector are held to a 30 % sector weight
 * together, and the same run without the universe (each instrument its own sector) is not.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { frameworkSection, kestrelConfigSchema } from '../core/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { backtestFromConfig } from './setup.ts'

const bundled = join(import.meta.dirname, '..', '..', 'data', 'bundled')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-universe-sectors-'))
after(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(
  join(dir, 'u.csv'),
  'symbol,sector,added\nSPY,equities,2013-01-02\nBAC,equities,2013-01-02\nIBM,equities,2013-01-02\n',
)

async function run(universe: boolean) {
  const bt = kestrelConfigSchema.parse({
    strategies: [{ use: 'trend-signal', params: { period: 390 } }],
    account: { cash: 100_000 },
    backtest: {
      ...(universe ? { universe: 'u.csv' } : {}),
      data: ['SPY', 'BAC', 'IBM'].map((s) => ({ file: join(bundled, `${s}_1m.csv`) })),
    },
  })
  const fw = frameworkSection.parse({
    portfolio: { model: 'equal-weight', gross: 0.9 },
    risk: { maxSectorWeight: 0.3 },
  })
  const c = await backtestFromConfig(bt, dir, undefined, { framework: fw })
  return runBacktest(c.options)
}

describe('framework sectors from the universe', () => {
  it('caps the three instruments together at 30 % with the universe, not without', async () => {
    const withU = await run(true)
    const without = await run(false)
    const gross = (r: Awaited<ReturnType<typeof run>>) => {
      // Σ |weight| of the targets set at each time.
      const by = new Map<number, number>()
      for (const t of r.targets ?? []) by.set(t.time, (by.get(t.time) ?? 0) + Math.abs(t.weight ?? 0))
      return Math.max(...by.values())
    }
    assert.ok((withU.targets ?? []).some((t) => t.reason === 'maxSectorWeight'))
    // Weights come back from whole-share quantities: within 1 % of the cap.
    assert.ok(gross(withU) <= 0.3 * 1.01, String(gross(withU)))
    // Measured: 0.3017 with the universe, 0.9000 (the construction's gross) without.
    assert.ok(gross(without) > 0.6, String(gross(without)))
  })
})
