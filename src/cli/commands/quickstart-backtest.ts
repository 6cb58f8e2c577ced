/**
 * Main job, part 2: backtest the reference strategies (`sma-cross`, `buy-and-hold`) on the bundled data the
 * first part stored, streaming bars from the DuckDB store in chunks through the event-driven engine (whose feed
 * validation checks the stored bars again, chunk by chunk), print a summary table and write the HTML tearsheet
 * of SPY daily sma-cross against buy-and-hold.
 */
import { join } from 'node:path'
import { isoUtc, parseTimeframe } from '../../core/index.ts'
import type { Instrument } from '../../core/index.ts'
import { DuckDbStore } from '../../data/index.ts'
import { periodsPerYear, runBacktest, type BacktestResult } from '../../engine/index.ts'
import { computeMetrics, sessionClockFor } from '../../research/index.ts'
import { buyAndHold, smaCross, type StrategyDefinition } from '../../strategy/index.ts'
import { stdout, table } from '../util.ts'
import { warnQuarantine, writeReport } from './backtest.ts'
import type { QuickstartOptions } from './quickstart.ts'

/**
 * The reference runs: instrument, timeframe and the crossover's periods. AAPL_1d is left out: the data layer
 * flags suspected unadjusted splits in it, which would show as crashes no strategy could trade.
 */
const RUNS = [
  { id: 'SPY.ARCA', timeframe: '1d', fast: 20, slow: 50 },
  { id: 'BTC-USD.COINBASE', timeframe: '1m', fast: 10, slow: 30 },
  { id: 'ETH-USD.COINBASE', timeframe: '1m', fast: 10, slow: 30 },
  { id: 'SPY.ARCA', timeframe: '1m', fast: 10, slow: 30 },
] as const

const CASH = 100_000
const FEE = 0.001

/** One line of the summary. */
export interface QuickstartBacktestRow {
  readonly strategy: string
  readonly instrumentId: string
  readonly timeframe: string
  readonly bars: number
  readonly from: string
  readonly to: string
  readonly fills: number
  readonly trades: number
  readonly finalEquity: number
  readonly totalReturn: number
  readonly annualReturn: number
  readonly sharpe: number
  readonly maxDrawdown: number
  readonly fees: number
  /** Stored bars the feed's validation set aside (stored bars passed the import's checks, so normally 0). */
  readonly quarantinedRows: number
}

async function backtest(
  store: DuckDbStore,
  inst: Instrument,
  timeframe: string,
  def: StrategyDefinition,
  params: object,
) {
  return runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe, data: store.streamBars(inst.id, timeframe, undefined, 2048) }],
    strategies: [{ definition: def, params }],
    account: { cash: CASH },
    fees: { type: 'percent', takerRate: FEE, makerRate: FEE },
  })
}

/** Main job, part 2; with `--json`, returns the JSON part instead of printing. */
export async function quickstartBacktest(opts: QuickstartOptions): Promise<unknown> {
  const store = new DuckDbStore(opts.db)
  const rows: QuickstartBacktestRow[] = []
  let tearsheet: string | undefined
  try {
    await store.init()
    for (const run of RUNS) {
      const inst = await store.getInstrument(run.id)
      if (!inst) continue
      const ppy = periodsPerYear(run.timeframe, inst.assetClass)
      const results: [string, BacktestResult][] = []
      for (const [def, params] of [
        [smaCross, { fast: run.fast, slow: run.slow }],
        [buyAndHold, {}],
      ] as const) {
        const r = await backtest(store, inst, run.timeframe, def as unknown as StrategyDefinition, params)
        const quarantined = r.data.flatMap((d) => d.quarantine)
        if (def === smaCross) warnQuarantine(quarantined)
        results.push([def.name, r])
        const m = computeMetrics({
          equity: r.equity,
          trades: r.trades,
          exposure: r.exposure,
          tradedNotional: r.tradedNotional,
          periodsPerYear: ppy,
        })
        rows.push({
          strategy: def.name === 'sma-cross' ? `sma-cross ${run.fast}/${run.slow}` : def.name,
          instrumentId: inst.id,
          timeframe: run.timeframe,
          bars: r.stats.bars,
          from: isoUtc(r.stats.firstTime),
          to: isoUtc(r.stats.lastTime),
          fills: r.fills.length,
          trades: r.trades.length,
          finalEquity: r.finalEquity,
          totalReturn: m.totalReturn,
          annualReturn: m.annualReturn,
          sharpe: m.sharpeRatio,
          maxDrawdown: m.maxDrawdown,
          fees: r.feesPaid,
          quarantinedRows: quarantined.length,
        })
      }
      if (!tearsheet && run.timeframe === '1d') {
        tearsheet = await writeReport(
          join(opts.out, `backtest-${inst.symbol}-${run.timeframe}.html`),
          results[0]![1],
          undefined, // the tearsheet counts the periods per year of the data
          `sma-cross ${run.fast}/${run.slow} on ${inst.symbol} ${run.timeframe} (benchmark: buy-and-hold)`,
          results[1]![1],
          {
            benchmarkName: `buy-and-hold ${inst.symbol}`,
            clock: sessionClockFor(parseTimeframe(run.timeframe).ms, inst.calendar, inst.assetClass),
          },
        )
      }
    }
  } finally {
    await store.close()
  }
  if (opts.json) {
    return { backtests: rows, tearsheet }
  }
  const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '')
  const w = stdout()
  w.write(
    `\nBacktests (event-driven engine, $${CASH.toLocaleString('en-US')} cash, ${FEE * 1e4} bps fees, fills at the next open)\n\n`,
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
  return undefined
}
