/**
 * The tearsheet as data: metrics plus every series the HTML report draws. {@link renderTearsheet} renders this
 * same object, so the JSON and the HTML never disagree.
 */
import { isoUtc, requireParam } from '../../core/index.ts'
import { computeMetrics, type Metrics } from '../metrics/compute-metrics.ts'
import { drawdownCurve } from '../metrics/drawdown.ts'
import { returnsFromEquity } from '../metrics/returns.ts'
import type { MetricsOptions, PerformanceInput, TradeRecord } from '../types.ts'
import {
  downsample,
  histogram,
  monthlyReturns,
  rebase,
  rollingSharpeAndVolatility,
  yearlyReturns,
  type Histogram,
  type MonthlyReturn,
} from './series.ts'

/** A curve as plain arrays (JSON-friendly); `sourcePoints` > `time.length` means it was downsampled for drawing. */
export interface SeriesJson {
  readonly time: number[]
  readonly value: (number | null)[]
  readonly sourcePoints: number
}

/** Options of {@link tearsheetJson} and {@link renderTearsheet}. */
export interface TearsheetOptions extends Partial<MetricsOptions> {
  /** Rolling window in periods (default: half a year, ppy / 2, capped at n / 5, at least 5). */
  readonly rollingWindow?: number
  /** At most this many points per drawn curve (min/max kept per bucket); default 1600. */
  readonly maxPoints?: number
  /** At most this many trades listed in the HTML table (the report says how many it left out); default 500. */
  readonly maxTradeRows?: number
}

/** Everything a tearsheet shows. */
export interface TearsheetData {
  readonly title: string
  readonly start: string
  readonly end: string
  readonly periodsPerYear: number
  readonly metrics: Metrics
  readonly rollingWindow: number
  readonly series: {
    readonly equity: SeriesJson
    readonly benchmark?: SeriesJson
    readonly drawdown: SeriesJson
    readonly rollingSharpe: SeriesJson
    readonly rollingVolatility: SeriesJson
    readonly exposure?: SeriesJson
  }
  readonly monthlyReturns: MonthlyReturn[]
  readonly yearlyReturns: { year: number; value: number }[]
  /** Histogram of trade returns (`returnPct`, fractions). */
  readonly tradeHistogram: Histogram
  readonly trades: readonly TradeRecord[]
}

function toJson(time: ArrayLike<number>, value: ArrayLike<number>, maxPoints: number): SeriesJson {
  const d = downsample(time, value, Math.max(1, Math.floor(maxPoints / 2)))
  return {
    time: Array.from(d.time),
    value: Array.from(d.value, (v) => (Number.isFinite(v) ? v : null)),
    sourcePoints: value.length,
  }
}

/** Builds the tearsheet data of a backtest result (deterministic: the same input gives the same object). */
export function tearsheetJson(input: PerformanceInput, options: TearsheetOptions = {}): TearsheetData {
  const ppy = options.periodsPerYear ?? input.periodsPerYear
  requireParam(input.equity.value.length >= 2, 'equity.value', 'at least 2 points', input.equity.value.length)
  const metrics = computeMetrics(input, { ...options, periodsPerYear: ppy })
  const { time, value } = input.equity
  const returns = returnsFromEquity(input.equity)
  const rTime = time.subarray(1)
  const maxPoints = options.maxPoints ?? 1600
  // half a year of periods (pyfolio's 6-month window), at most a fifth of the sample so short runs get a curve
  const window = options.rollingWindow ?? Math.max(5, Math.min(Math.round(ppy / 2), Math.floor(returns.length / 5)))
  const rolling =
    returns.length >= window
      ? rollingSharpeAndVolatility(returns, window, ppy)
      : { sharpe: new Float64Array(returns.length).fill(NaN), volatility: new Float64Array(returns.length).fill(NaN) }
  // underwater curve on the equity's own time axis (0 at the first point)
  const dd = new Float64Array(value.length)
  dd.set(drawdownCurve(returns), 1)
  const months = monthlyReturns(input.equity)
  const trades = input.trades ?? []
  const bench = input.benchmark && rebase(input.benchmark, value[0]!, time[0]!, time[time.length - 1]!)
  return {
    title: input.title ?? 'Backtest',
    start: isoUtc(time[0]!),
    end: isoUtc(time[time.length - 1]!),
    periodsPerYear: ppy,
    metrics,
    rollingWindow: window,
    series: {
      equity: toJson(time, value, maxPoints),
      ...(bench && bench.value.length > 0 ? { benchmark: toJson(bench.time, bench.value, maxPoints) } : {}),
      drawdown: toJson(time, dd, maxPoints),
      rollingSharpe: toJson(rTime, rolling.sharpe, maxPoints),
      rollingVolatility: toJson(rTime, rolling.volatility, maxPoints),
      ...(input.exposure ? { exposure: toJson(input.exposure.time, input.exposure.value, maxPoints) } : {}),
    },
    monthlyReturns: months,
    yearlyReturns: [...yearlyReturns(months)].map(([year, v]) => ({ year, value: v })),
    tradeHistogram: histogram(trades.map((t) => t.returnPct)),
    trades,
  }
}
