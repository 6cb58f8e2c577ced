/** `kestrel live compare --config <yaml> [--journal <file>]`: the backtest-versus-live drift report of a node's journal. */
import { liveCompare } from '../../app/live-compare.ts'
import { KestrelError } from '../../core/index.ts'
import { envVars, printJson, stdout, table } from '../util.ts'

export async function run(o: { config?: string; journal?: string; json: boolean }): Promise<void> {
  if (o.config === undefined) throw new KestrelError('USAGE', 'live compare: give --config <yaml> (its live: section)')
  const r = await liveCompare({
    config: o.config,
    env: envVars(),
    ...(o.journal !== undefined ? { journal: o.journal } : {}),
  })
  if (o.json) return printJson(r)
  const w = stdout()
  w.write(
    table([
      { run: 'live', bars: r.bars, orders: r.live.orders, fills: r.live.fills, pnl: r.live.pnl.toFixed(2) },
      {
        run: 'backtest',
        bars: r.bars,
        orders: r.backtest.orders,
        fills: r.backtest.fills,
        pnl: r.backtest.pnl.toFixed(2),
      },
    ]),
  )
  w.write(`\n${r.matched} orders match; ${r.differences.length} differences\n`)
  if (r.firstDifference) w.write(`first difference: ${r.firstDifference.clientOrderId}: ${r.firstDifference.message}\n`)
  if (r.slippage.length > 0) {
    const bps = r.slippage.map((s) => s.bps).sort((a, b) => a - b)
    const mean = bps.reduce((a, b) => a + b, 0) / bps.length
    w.write(
      `slippage of live fills against the simulated ones: mean ${mean.toFixed(2)} bps, median ${bps[Math.floor(bps.length / 2)]!.toFixed(2)} bps over ${bps.length} orders\n`,
    )
  }
  if (r.liveEvents.length > 0)
    w.write(`${r.liveEvents.length} live-only events (control actions, reconciled reports): --json lists them\n`)
}
