/**
 * `kestrel backtest --config` with a `framework:` section: the bundled example runs with no rejected order,
 * every order is the framework's, the targets respect the section's limits, and a signal strategy without a
 * framework is a clear input error.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const root = join(import.meta.dirname, '..', '..', '..')
const example = join(root, 'examples', 'framework.yaml')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-framework-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('backtest --config with framework:', () => {
  it('runs the example: only framework orders, none rejected, positions within 40 % of equity', async () => {
    const r = await runCliCaptured(['backtest', '--config', example, '--json', '--sample', 'bar'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.deepEqual(j.rejectedOrders, [])
    assert.ok(j.fills.length > 10, `${j.fills.length} fills`)
    assert.ok(j.fills.every((f: { strategyId: string }) => f.strategyId === 'portfolio'))
    assert.deepEqual(j.settings.framework, {
      portfolio: 'hrp',
      risk: 'limits',
      execution: 'immediate',
      rebalance: 'signals',
    })
    // Rebuild each position from the fills and check it against 40 % of the equity at that time (+ a lot).
    const eq: { time: string; equity: number }[] = j.equity
    const pos = new Map<string, number>()
    let k = 0
    for (const f of j.fills as {
      instrumentId: string
      side: string
      quantity: number
      price: number
      time: string
    }[]) {
      const q = (pos.get(f.instrumentId) ?? 0) + (f.side === 'BUY' ? f.quantity : -f.quantity)
      pos.set(f.instrumentId, q)
      assert.ok(q >= 0, 'a cash account never goes short')
      while (k + 1 < eq.length && eq[k + 1]!.time <= f.time) k++
      assert.ok(
        q * f.price <= 0.4 * eq[k]!.equity * 1.01 + f.price,
        `${f.instrumentId} ${q} at ${f.time}: ${q * f.price} of ${eq[k]!.equity}`,
      )
    }
  })

  it('a strategy that emits signals in a run without framework: is an input error saying what to add', async () => {
    const cfg = join(dir, 'no-framework.yaml')
    writeFileSync(
      cfg,
      `strategies:\n  - use: trend-signal\n    params: { period: 30 }\naccount: { cash: 100000 }\nbacktest:\n  data:\n    - file: ${join(root, 'data', 'bundled', 'SPY_1m.csv')}\n`,
    )
    const r = await runCliCaptured(['backtest', '--config', cfg])
    assert.equal(r.code, 1, r.err)
    assert.match(r.err, /no framework to turn signals into orders \(configure framework:/)
  })

  it('TWAP execution records its parents and their transaction costs in the JSON', async () => {
    const cfg = join(dir, 'twap.yaml')
    const text = readFileSync(example, 'utf8')
      .replaceAll('../data/bundled/', `${join(root, 'data', 'bundled')}/`)
      .replace('model: immediate', 'model: twap\n    slices: 5')
    writeFileSync(cfg, text)
    const r = await runCliCaptured(['backtest', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    assert.equal(j.settings.framework.execution, 'twap')
    assert.ok(j.tca.length > 0)
    const done = j.tca.filter((t: { status: string }) => t.status === 'done')
    assert.ok(done.length > 0)
    for (const t of done) {
      assert.equal(t.filled, t.quantity)
      assert.ok(t.children >= 1 && t.children <= 5, `${t.children} children`)
      const c = t.costs
      // Shortfall parts add up; participation is the filled share of the interval's volume.
      const is = c.implementationShortfall
      assert.ok(
        Math.abs(is.delay + is.execution + is.opportunity + is.fees - is.total) <
          1e-6 * Math.max(1, Math.abs(is.total)),
      )
      // Without a participation cap in the fill model a child may take more than its bar traded: TCA says so.
      assert.equal(c.participation, t.filled / c.marketVolume)
    }
  })

  it('a misspelt framework key names its path', async () => {
    const cfg = join(dir, 'bad.yaml')
    writeFileSync(
      cfg,
      `strategies:\n  - use: trend-signal\naccount: { cash: 100000 }\nbacktest:\n  data:\n    - file: ${join(root, 'data', 'bundled', 'SPY_1m.csv')}\nframework:\n  portfolio: { model: hrpp }\n`,
    )
    const r = await runCliCaptured(['backtest', '--config', cfg])
    assert.equal(r.code, 1, r.err)
    assert.match(r.err, /framework\.portfolio\.model/)
  })
})
