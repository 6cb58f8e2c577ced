/**
 * What a backtest run reports: the JSON contract (`finalEquity`, `fills`, `trades`, `metrics`, …), the notes
 * of its margin calls and wipe-out, and the HTML tearsheet. After a wipe-out the metrics cover only the part
 * of the run where equity was above zero (a return from an account at or below zero is undefined).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { isoUtc } from '../core/index.ts'
import type { BacktestResult } from '../engine/index.ts'
import { computeMetrics, renderTearsheet, type TearsheetInput } from '../research/index.ts'
import { moneyTotal } from './money.ts'

/**
 * The curves the metrics are computed from: the whole run, or after a wipe-out only the part where equity was
 * above zero; `through` is then its last time.
 */
export function solventCurves(result: BacktestResult): {
  equity: BacktestResult['equity']
  exposure: BacktestResult['exposure']
  through?: number
} {
  if (!result.liquidation) return { equity: result.equity, exposure: result.exposure }
  const v = result.equity.value
  let n = 0
  while (n < v.length && v[n]! > 0) n++
  const cut = (c: BacktestResult['equity']) => ({ time: c.time.subarray(0, n), value: c.value.subarray(0, n) })
  return {
    equity: cut(result.equity),
    exposure: cut(result.exposure),
    ...(n > 0 ? { through: result.equity.time[n - 1]! } : {}),
  }
}

/** The warnings of a run's margin calls and wipe-out, one line each. */
export function liquidationNotes(result: BacktestResult): string[] {
  const notes = result.marginCalls.map(
    (m) =>
      `warning: margin call at ${isoUtc(m.time)}: equity ${m.equity} below maintenance margin; the venue closed the positions`,
  )
  const l = result.liquidation
  if (l) notes.push(`warning: liquidated: equity ${l.equity} at ${isoUtc(l.time)}; the run stopped there`)
  return notes
}

/** The JSON report of one run (the contract: finalEquity, fills, trades, metrics), after the fields of `extra`. */
export function backtestReport(
  result: BacktestResult,
  ppy: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const curves = solventCurves(result)
  const metrics = computeMetrics(
    {
      equity: curves.equity,
      trades: result.trades,
      exposure: curves.exposure,
      tradedNotional: result.tradedNotional,
      periodsPerYear: ppy,
    },
    {},
  )
  const l = result.liquidation
  return {
    ...extra,
    ...(l
      ? {
          liquidation: {
            time: isoUtc(l.time),
            equity: l.equity,
            cash: l.cash,
            openPositions: l.openPositions,
            message: `equity ${l.equity} at ${isoUtc(l.time)} is at or below zero: the account is wiped out and the run stopped there`,
          },
          metricsThrough: curves.through === undefined ? null : isoUtc(curves.through),
        }
      : {}),
    marginCalls: result.marginCalls.map((m) => ({ time: isoUtc(m.time), equity: m.equity })),
    initialCash: result.initialCash,
    finalEquity: result.finalEquity,
    totalReturn: result.finalEquity / result.initialCash - 1,
    feesPaid: moneyTotal([result.feesPaid]),
    carry: moneyTotal([result.carry]),
    cashFlows: result.cashFlows.map((f) => ({ ...f, time: isoUtc(f.time) })),
    fills: result.fills.map((f) => ({
      time: isoUtc(f.time),
      instrumentId: f.instrumentId,
      side: f.side,
      quantity: f.quantity,
      price: f.price,
      fee: f.fee,
      liquidity: f.liquidity,
      orderId: f.clientOrderId,
      strategyId: f.strategyId,
    })),
    trades: result.trades.map((t) => ({
      ...t,
      entryTime: isoUtc(t.entryTime),
      exitTime: isoUtc(t.exitTime),
    })),
    stats: Number.isFinite(result.stats.firstTime)
      ? { ...result.stats, firstTime: isoUtc(result.stats.firstTime), lastTime: isoUtc(result.stats.lastTime) }
      : result.stats,
    metrics,
  }
}

/**
 * Writes the tearsheet of `result` (with an optional benchmark run) to `path`; returns the absolute path. Without
 * `ppy` the tearsheet counts the periods per year of the data; `extra` adds prices, settings and the clock.
 */
export async function writeTearsheet(
  path: string,
  result: BacktestResult,
  ppy: number | undefined,
  title: string,
  benchmark?: BacktestResult,
  extra: Partial<TearsheetInput> = {},
): Promise<string> {
  const curves = solventCurves(result)
  const html = renderTearsheet({
    equity: curves.equity,
    trades: result.trades,
    exposure: curves.exposure,
    tradedNotional: result.tradedNotional,
    periodsPerYear: ppy,
    title,
    ...(benchmark ? { benchmark: solventCurves(benchmark).equity } : {}),
    ...extra,
  })
  const abs = resolve(path)
  await mkdir(dirname(abs), { recursive: true })
  await writeFile(abs, html)
  return abs
}
