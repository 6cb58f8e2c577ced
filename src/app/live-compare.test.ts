import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { AAPL, startTestVenue } from '../adapters/alpaca/testing.ts'
import type { Bar } from '../core/index.ts'
import { randomBars } from '../engine/index.ts'
import { live } from './live.ts'
import { liveCompare } from './live-compare.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-compare-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function bars(n: number): Bar[] {
  const s = randomBars(5, n, AAPL.id, Date.parse('2024-01-02T14:30:00Z'))
  return Array.from({ length: n }, (_, i) => ({
    instrumentId: AAPL.id,
    timeframe: '1m',
    openTime: s.openTime[i]!,
    closeTime: s.closeTime[i]!,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close: s.close[i]!,
    volume: s.volume[i]!,
  }))
}

/** Trades the config's sma-cross at a local venue over `n` bars, advanced one at a time; returns the config. */
async function trade(name: string, n: number, participation: number): Promise<string> {
  const venue = await startTestVenue({ bars: bars(n), participation })
  const config = join(dir, `${name}.yaml`)
  writeFileSync(
    config,
    [
      'strategies: [{ use: sma-cross, params: { fast: 3, slow: 8, size: 50 } }]',
      'account: { cash: 100000 }',
      'live:',
      '  nodeId: L1',
      `  journal: ${join(dir, `${name}.journal`)}`,
      `  venue: { protocol: alpaca, url: '${venue.url}', keyId: kestrel, secretKey: kestrel }`,
      '  instruments: [{ symbol: AAPL, timeframe: 1m }]',
      '  reconcileEveryMs: 0',
      '',
    ].join('\n'),
  )
  const abort = new AbortController()
  try {
    await live({
      config,
      env: {},
      signal: abort.signal,
      onReady: async (control) => {
        for (let i = 0; i < n; i++) {
          const before = control.status().journal.records
          await venue.admin('advance', { bars: 1 })
          const t0 = performance.now()
          while (control.status().journal.records === before && performance.now() - t0 < 2000)
            await new Promise((r) => setTimeout(r, 2))
          await new Promise((r) => setTimeout(r, 5))
        }
        abort.abort()
      },
    })
  } finally {
    await venue.stop()
  }
  return config
}

describe('kestrel live compare', () => {
  it('finds no drift when the venue fills as the backtest does', async () => {
    const config = await trade('same', 120, 1)
    const r = await liveCompare({ config, env: {} })
    assert.equal(r.bars, 120)
    assert.ok(r.live.orders >= 6, `${r.live.orders} orders`)
    assert.deepEqual(r.differences, [])
    assert.equal(r.matched, r.live.orders)
    assert.equal(r.live.fills, r.backtest.fills)
    assert.ok(r.slippage.every((s) => s.bps === 0))
    assert.ok(Math.abs(r.live.pnl - r.backtest.pnl) < 1e-6, `${r.live.pnl} vs ${r.backtest.pnl}`)
  })

  it('reports where a venue that fills in parts parts from the backtest, with each fill slippage', async () => {
    const config = await trade('partial', 120, 0.004)
    const r = await liveCompare({ config, env: {} })
    assert.ok(r.firstDifference !== undefined, 'a difference is found')
    assert.ok(r.differences.length > 0)
    assert.ok(
      r.differences.some((d) => d.kind === 'fill-differs') || r.slippage.some((s) => s.bps !== 0),
      JSON.stringify(r.differences.slice(0, 3)),
    )
    assert.notEqual(r.live.pnl, r.backtest.pnl)
  })
})
