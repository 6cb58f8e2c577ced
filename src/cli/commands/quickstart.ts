/**
 * `kestrel quickstart` (what `npm start` runs): imports and validates the bundled data, prints one row per
 * series (rows, date range, rows quarantined and why, warnings), then backtests the reference strategies on
 * it and prints their summary and the tearsheet's path; then runs the AI Trader pipeline (examples/ai-trader.yaml:
 * scan, features of the flagged instruments, an ensemble backtest with TWAP execution and its report), its stages'
 * progress on stderr. `--json`: one object with the three parts.
 */
import { isAbsolute, relative } from 'node:path'
import {
  QUICKSTART_CASH,
  QUICKSTART_FEE,
  importBundled,
  quickstartAiTrader,
  quickstartBacktests,
  type QuickstartAiTrader,
  type QuickstartBacktestRow,
  type QuickstartDataRow,
} from '../../app/quickstart.ts'
import { isoUtc, parseTimeframe } from '../../core/index.ts'
import { envVars, formatReasons, printJson, progress, stderr, stdout, table, warnQuarantine } from '../util.ts'

interface QuickstartFlags {
  /** DuckDB file the bundled data is imported into. */
  db: string
  /** Folder for reports (tearsheets). */
  out: string
  json: boolean
}

function printData(db: string, rows: QuickstartDataRow[], verdict: string): void {
  const w = stdout()
  w.write(`Bundled market data (data/bundled, see SOURCES.md), validated and stored\n\n`)
  w.write(
    table(
      rows.map((r) => ({
        symbol: r.symbol,
        timeframe: r.timeframe,
        rows: r.rows,
        'first → last': `${r.first} → ${r.last}`,
        quarantined: r.quarantined,
        'quarantined because': formatReasons(r.quarantineReasons),
      })),
    ),
  )
  w.write(`\nWarnings (rows kept):\n`)
  w.write(table(rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe, warnings: formatReasons(r.warnings) }))))
  w.write(`\n${verdict}\n`)
}

function printBacktests(rows: QuickstartBacktestRow[], tearsheet: string | undefined): void {
  const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '')
  const w = stdout()
  w.write(
    `\nBacktests (event-driven engine, $${QUICKSTART_CASH.toLocaleString('en-US')} cash, ${QUICKSTART_FEE * 1e4} bps fees, fills at the next open)\n\n`,
  )
  w.write(
    table(
      rows.map((r) => ({
        strategy: r.strategy,
        instrument: r.instrumentId,
        tf: r.timeframe,
        bars: r.bars,
        // The engine's times are when bars were seen (their close); show the first and last bar's open.
        'first → last bar': `${isoUtc(Date.parse(r.from) - parseTimeframe(r.timeframe).ms).slice(0, 10)} → ${isoUtc(Date.parse(r.to) - parseTimeframe(r.timeframe).ms).slice(0, 10)}`,
        trades: r.trades,
        'final equity': Math.round(r.finalEquity * 100) / 100,
        return: pct(r.totalReturn),
        // Annualising a run of a few days says nothing (−19% in 3 days is −100% a year): leave it blank.
        annual: Date.parse(r.to) - Date.parse(r.from) >= 30 * 86_400_000 ? pct(r.annualReturn) : '',
        sharpe: Number.isFinite(r.sharpe) ? r.sharpe.toFixed(2) : '',
        'max drawdown': pct(r.maxDrawdown),
      })),
    ),
  )
  if (tearsheet) w.write(`\ntearsheet: ${tearsheet}\n`)
}

export async function run(o: QuickstartFlags): Promise<void> {
  const bar = progress('bundled data')
  let rows
  try {
    rows = await importBundled(o.db, (done, total) => (done === 0 ? bar.start(total) : bar.update(done)))
  } finally {
    bar.stop()
  }
  const added = rows.reduce((a, r) => a + r.added, 0)
  const skipped = rows.filter((r) => r.skipped).length
  const verdict =
    skipped === rows.length
      ? `all ${rows.length} bundled files were already imported into ${o.db}: nothing added`
      : `imported ${added} new bars from ${rows.length - skipped} files into ${o.db}` +
        (skipped ? `; ${skipped} already imported, nothing added from them` : '')
  if (!o.json) printData(o.db, rows, verdict)
  const bt = await quickstartBacktests(o.db, o.out, (q) => warnQuarantine(q))
  if (!o.json) printBacktests(bt.rows, bt.tearsheet)
  const started = performance.now()
  const ai = await quickstartAiTrader(o.out, envVars(), (stage, message) =>
    stderr().write(`[ai-trader ${((performance.now() - started) / 1000).toFixed(1)}s] ${stage}: ${message}\n`),
  )
  if (o.json)
    printJson({
      data: { db: o.db, added, skipped, datasets: rows },
      backtests: bt.rows,
      tearsheet: bt.tearsheet,
      aiTrader: ai,
    })
  else printAiTrader(ai)
}

/** A path as the user typed it: relative to the working directory when inside it. */
function shown(path: string | undefined): string {
  if (path === undefined) return ''
  const r = relative(process.cwd(), path)
  return r.startsWith('..') || isAbsolute(r) ? path : r
}

function printAiTrader(ai: QuickstartAiTrader): void {
  const w = stdout()
  w.write(`\nAI Trader pipeline (examples/ai-trader.yaml): scan, features of what it flags, ensemble backtest\n\n`)
  w.write(
    table(
      ai.universe.map((id) => ({
        instrument: id,
        flagged: ai.flagged.includes(id) ? 'yes' : 'no',
        features: shown(ai.features.find((f) => f.instrumentId === id)?.file),
      })),
    ),
  )
  if (ai.message) {
    w.write(`\n${ai.message}\n`)
    return
  }
  const weights = Object.entries(ai.ensembleWeights ?? {})
    .map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`)
    .join(', ')
  w.write(
    `\n${ai.fills} fills, ${ai.trades} trades, final equity ${ai.finalEquity.toFixed(2)} (${(ai.totalReturn * 100).toFixed(2)}%)\n` +
      (weights ? `ensemble weights at the end: ${weights}\n` : '') +
      `TCA: ${ai.tca.parents} TWAP parents (${ai.tca.filledParents} filled), implementation shortfall ${ai.tca.implementationShortfall.toFixed(2)} (${ai.tca.bps.toFixed(1)} bps incl. fees)\n` +
      (ai.report ? `report: ${shown(ai.report)}\n` : ''),
  )
}
