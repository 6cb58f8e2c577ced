/**
 * The tearsheet as data: metrics plus every series and table the HTML report shows. {@link renderTearsheet}
 * renders this same object, so the JSON and the HTML never disagree.
 *
 * Dates are the session's: curve points are bar closes, drawn at their bar's open and dated by their trading day
 * (see `metrics/calendar.ts`), so a daily bar stamped at the next 00:00Z sits on its own day in every chart, table
 * and month, and no date outside the data appears.
 */
import { requireParam } from '../../core/index.ts'
import { benchmarkStats, rollingBenchmarkBeta, type BenchmarkStats } from '../metrics/benchmark.ts'
import { estimatePeriodsPerYear, type PeriodsPerYearEstimate, type SessionClock } from '../metrics/calendar.ts'
import { computeMetrics, type Metrics } from '../metrics/compute-metrics.ts'
import { drawdownCurve } from '../metrics/drawdown.ts'
import { worstDrawdowns } from '../metrics/drawdown-periods.ts'
import { returnsFromEquity } from '../metrics/returns.ts'
import type { DataWarning, EquityCurve, MetricsOptions, PerformanceInput, TradeRecord } from '../types.ts'
import { alignAsOf, instrumentRows, priceCharts, type InstrumentRow, type PriceChart } from './tearsheet-parts.ts'
import { pointLabel, tradeLabels } from './time-labels.ts'
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
  /** Epoch ms where the point is drawn: its bar's open (the session date at 00:00Z for daily bars). */
  readonly time: number[]
  readonly value: (number | null)[]
  readonly sourcePoints: number
}

/** Options of {@link tearsheetJson} and {@link renderTearsheet}. */
export interface TearsheetOptions extends Partial<MetricsOptions> {
  /** Rolling window in periods (default: half a year, ppy / 2, capped at n / 5, at least 5). */
  readonly rollingWindow?: number
  /** At most this many points per drawn curve (min/max kept per bucket); default 4000. */
  readonly maxPoints?: number
  /** At most this many bars per price chart (merged into coarser bars beyond); default 10,000. */
  readonly maxPriceBars?: number
  /** At most this many trades listed in the HTML table (the report says how many it left out); default 500. */
  readonly maxTradeRows?: number
}

/** A backtest result for the tearsheet; without `periodsPerYear` it is estimated from the time stamps. */
export interface TearsheetInput extends Omit<PerformanceInput, 'periodsPerYear'> {
  readonly periodsPerYear?: number
  /** The weights of a meta-strategy's members over time (an `ensemble`'s Hedge weights): a chart and a table. */
  readonly memberWeights?: readonly MemberWeightsInput[]
  /** The transaction costs of the execution model's parent orders, per instrument and algorithm: a table. */
  readonly tca?: readonly TcaSummaryRow[]
  /** Transaction costs of each parent order a scheduled execution model worked: a table. */
  readonly tcaParents?: readonly ParentTcaRow[]
}

/**
 * Transaction costs of one instrument's parent orders under one algorithm (or of all, `instrumentId` `all`):
 * implementation shortfall and its parts in the account currency over the parents that filled, its bps of the
 * arrival notional, and the notional-weighted slippage against arrival and the interval VWAP (bps, positive = cost).
 */
export interface TcaSummaryRow {
  readonly instrumentId: string
  readonly algo: string
  readonly parents: number
  readonly filledParents: number
  /** Arrival price × filled quantity, summed. */
  readonly notional: number
  readonly implementationShortfall: number
  readonly execution: number
  readonly opportunity: number
  readonly fees: number
  readonly bps: number
  readonly slippageVsArrivalBps: number
  readonly slippageVsVwapBps: number
}

/**
 * One parent order's transaction costs as the report lists them (from the backtest JSON's `tca`). Costs are
 * signed so that positive is worse for the order; null where the market figures are not known.
 */
export interface ParentTcaRow {
  readonly algo: string
  readonly instrumentId: string
  readonly side: 'BUY' | 'SELL'
  readonly quantity: number
  readonly filled: number
  /** Implementation shortfall, bps of the paper notional. */
  readonly shortfallBps: number | null
  readonly slippageVsArrivalBps: number | null
  readonly slippageVsVwapBps: number | null
  readonly slippageVsCloseBps: number | null
  /** Filled quantity / market volume over the parent's interval. */
  readonly participation: number | null
}

/** One meta-strategy's member weights, in columns: `weights[member][k]` at `time[k]`. */
export interface MemberWeightsInput {
  readonly strategy: string
  readonly time: ArrayLike<number>
  readonly weights: Readonly<Record<string, ArrayLike<number>>>
}

/** One meta-strategy's member weights as the report shows them: a curve per member and a few dated rows. */
export interface MemberWeightsJson {
  readonly strategy: string
  readonly members: readonly string[]
  readonly series: readonly SeriesJson[]
  /** At most 12 evenly spaced samples, the last one included: each member's weight then. */
  readonly rows: readonly { readonly label: string; readonly weights: readonly number[] }[]
}

/** One of the worst drawdowns, dated by trading day (or time of day for intraday bars). */
export interface DrawdownRow {
  readonly peak: string
  readonly trough: string
  readonly recovery: string | null
  readonly depth: number
  readonly bars: number
  readonly days: number
}

/** A trade with the dates the report shows (entry on its fill's day; an open trade's exit on its last close's day). */
export interface TradeRow extends TradeRecord {
  readonly entryLabel: string
  readonly exitLabel: string
}

/** Everything a tearsheet shows. */
export interface TearsheetData {
  readonly title: string
  /** First and last trading day (or bar close time for intraday bars) of the data. */
  readonly start: string
  readonly end: string
  readonly periodsPerYear: number
  /** How the periods per year were estimated from the data (also when the caller gave its own number). */
  readonly periodsPerYearEstimate: PeriodsPerYearEstimate
  readonly periodsPerYearGiven: boolean
  readonly clock: { readonly barMs: number; readonly timeZone: string; readonly daily: boolean }
  readonly metrics: Metrics
  readonly benchmarkName: string
  /** The benchmark's own metrics over the same periods (side by side with the strategy's). */
  readonly benchmarkMetrics?: Metrics
  readonly benchmarkStats?: BenchmarkStats
  readonly rollingWindow: number
  readonly series: {
    readonly equity: SeriesJson
    readonly benchmark?: SeriesJson
    readonly drawdown: SeriesJson
    readonly benchmarkDrawdown?: SeriesJson
    readonly rollingSharpe: SeriesJson
    readonly rollingVolatility: SeriesJson
    readonly rollingBeta?: SeriesJson
    readonly exposure?: SeriesJson
  }
  readonly monthlyReturns: MonthlyReturn[]
  readonly benchmarkMonthlyReturns?: MonthlyReturn[]
  readonly yearlyReturns: { year: number; value: number; benchmark: number | null }[]
  /** Histogram of periodic returns; `benchmarkCounts` counts the benchmark's on the same edges. */
  readonly returnHistogram: Histogram & { readonly benchmarkCounts?: number[] }
  /** Histogram of trade returns (`returnPct`, fractions). */
  readonly tradeHistogram: Histogram
  readonly worstDrawdowns: DrawdownRow[]
  readonly instruments: InstrumentRow[]
  readonly settings: [string, string | number | boolean | null][]
  /** Warnings about the data that change the results. */
  readonly warnings: readonly DataWarning[]
  readonly prices: PriceChart[]
  readonly trades: readonly TradeRow[]
  /** Member weights of the run's meta-strategies (absent when it has none). */
  readonly memberWeights?: readonly MemberWeightsJson[]
  /** Transaction costs of the parent orders (absent without a scheduled execution model). */
  readonly tca?: readonly TcaSummaryRow[]
  /** Each parent order's transaction costs (absent when the run worked none). */
  readonly tcaParents?: readonly ParentTcaRow[]
}

/** The report's form of the member weights: curves thinned to `maxPoints`, at most 12 dated rows. */
function memberWeightsJson(
  input: readonly MemberWeightsInput[],
  maxPoints: number,
  label: (t: number) => string,
): MemberWeightsJson[] {
  return input.map((m) => {
    const members = Object.keys(m.weights)
    const n = m.time.length
    const picks =
      n === 0
        ? []
        : [
            ...new Set(
              Array.from({ length: Math.min(12, n) }, (_, k) => Math.round(((n - 1) * (k + 1)) / Math.min(12, n))),
            ),
          ]
    return {
      strategy: m.strategy,
      members,
      series: members.map((name) => toJson(m.time, m.weights[name]!, maxPoints, 0)),
      rows: picks.map((i) => ({ label: label(m.time[i]!), weights: members.map((name) => m.weights[name]![i]!) })),
    }
  })
}

function toJson(time: ArrayLike<number>, value: ArrayLike<number>, maxPoints: number, shift: number): SeriesJson {
  const d = downsample(time, value, Math.max(1, Math.floor(maxPoints / 2)))
  return {
    time: Array.from(d.time, (t) => t - shift),
    value: Array.from(d.value, (v) => (Number.isFinite(v) ? v : null)),
    sourcePoints: value.length,
  }
}

function underwater(equity: EquityCurve): Float64Array {
  const dd = new Float64Array(equity.value.length)
  dd.set(drawdownCurve(returnsFromEquity(equity)), 1)
  return dd
}

/** Builds the tearsheet data of a backtest result (deterministic: the same input gives the same object). */
export function tearsheetJson(input: TearsheetInput, options: TearsheetOptions = {}): TearsheetData {
  requireParam(input.equity.value.length >= 2, 'equity.value', 'at least 2 points', input.equity.value.length)
  const clock: SessionClock = input.clock ?? {}
  const barMs = clock.barMs ?? 0
  const tz = clock.timeZone ?? 'UTC'
  const daily = barMs >= 86_400_000
  const estimate = estimatePeriodsPerYear(input.equity.time, clock)
  const given = options.periodsPerYear ?? input.periodsPerYear
  const ppy = given ?? estimate.periodsPerYear
  const metrics = computeMetrics({ ...input, periodsPerYear: ppy }, { ...options, periodsPerYear: ppy })
  const { time, value } = input.equity
  const returns = returnsFromEquity(input.equity)
  const rTime = time.subarray(1)
  const maxPoints = options.maxPoints ?? 4000
  // half a year of periods (pyfolio's 6-month window), at most a fifth of the sample so short runs get a curve
  const window = options.rollingWindow ?? Math.max(5, Math.min(Math.round(ppy / 2), Math.floor(returns.length / 5)))
  const nanCurve = () => new Float64Array(returns.length).fill(NaN)
  const rolling =
    returns.length >= window
      ? rollingSharpeAndVolatility(returns, window, ppy)
      : { sharpe: nanCurve(), volatility: nanCurve() }
  const months = monthlyReturns(input.equity, clock)
  const trades = input.trades ?? []
  const label = (t: number) => pointLabel(t, clock)

  // the benchmark on the strategy's own time axis (its last value at or before each point), over the common span
  const aligned = input.benchmark && alignAsOf(input.equity, input.benchmark)
  let bench:
    | { curve: EquityCurve; strategy: EquityCurve; metrics: Metrics; stats: BenchmarkStats; beta: Float64Array }
    | undefined
  if (aligned && aligned.value.length >= 2) {
    const k = time.length - aligned.value.length
    const strategy = { time: time.subarray(k), value: value.subarray(k) }
    const rebased = rebase(aligned, value[k]!)
    const rs = returnsFromEquity(strategy)
    const rb = returnsFromEquity(rebased, 'benchmark')
    bench = {
      curve: rebased,
      strategy,
      metrics: computeMetrics({ equity: rebased, periodsPerYear: ppy }, { ...options, periodsPerYear: ppy }),
      stats: benchmarkStats(rs, rb, ppy, options.riskFree ?? 0),
      beta: rb.length >= window ? rollingBenchmarkBeta(rs, rb, window) : new Float64Array(rb.length).fill(NaN),
    }
  }
  const benchMonths = bench && monthlyReturns(bench.curve, clock)
  const benchYears = benchMonths && yearlyReturns(benchMonths)
  const rh = histogram(Array.from(returns), 40)
  const benchReturns = bench && returnsFromEquity(bench.curve, 'benchmark')
  const benchmarkCounts = benchReturns && countOn(rh.edges, benchReturns)
  return {
    title: input.title ?? 'Backtest',
    start: label(time[0]!),
    end: label(time[time.length - 1]!),
    periodsPerYear: ppy,
    periodsPerYearEstimate: estimate,
    periodsPerYearGiven: given !== undefined,
    clock: { barMs, timeZone: tz, daily },
    metrics,
    benchmarkName: input.benchmarkName ?? 'Benchmark',
    ...(bench ? { benchmarkMetrics: bench.metrics, benchmarkStats: bench.stats } : {}),
    rollingWindow: window,
    series: {
      equity: toJson(time, value, maxPoints, barMs),
      ...(bench
        ? {
            benchmark: toJson(bench.curve.time, bench.curve.value, maxPoints, barMs),
            benchmarkDrawdown: toJson(bench.curve.time, underwater(bench.curve), maxPoints, barMs),
            rollingBeta: toJson(bench.curve.time.subarray(1), bench.beta, maxPoints, barMs),
          }
        : {}),
      drawdown: toJson(time, underwater(input.equity), maxPoints, barMs),
      rollingSharpe: toJson(rTime, rolling.sharpe, maxPoints, barMs),
      rollingVolatility: toJson(rTime, rolling.volatility, maxPoints, barMs),
      ...(input.exposure ? { exposure: toJson(input.exposure.time, input.exposure.value, maxPoints, barMs) } : {}),
    },
    monthlyReturns: months,
    ...(benchMonths ? { benchmarkMonthlyReturns: benchMonths } : {}),
    yearlyReturns: [...yearlyReturns(months)].map(([year, v]) => ({
      year,
      value: v,
      benchmark: benchYears?.get(year) ?? null,
    })),
    returnHistogram: benchmarkCounts ? { ...rh, benchmarkCounts } : rh,
    tradeHistogram: histogram(trades.map((t) => t.returnPct)),
    worstDrawdowns: worstDrawdowns(input.equity, 5).map((d) => ({
      peak: label(time[d.peak]!),
      trough: label(time[d.trough]!),
      recovery: d.recovery === undefined ? null : label(time[d.recovery]!),
      depth: d.depth,
      bars: d.bars,
      days: d.days,
    })),
    instruments: instrumentRows(trades, input.prices ?? []),
    settings: Object.entries(input.settings ?? {}),
    warnings: input.warnings ?? [],
    prices: priceCharts(input.prices ?? [], trades, clock, options.maxPriceBars ?? 10_000),
    trades: trades.map((t) => ({ ...t, ...tradeLabels(t, clock) })),
    ...(input.memberWeights?.length ? { memberWeights: memberWeightsJson(input.memberWeights, maxPoints, label) } : {}),
    ...(input.tca?.length ? { tca: input.tca } : {}),
    ...(input.tcaParents?.length ? { tcaParents: input.tcaParents } : {}),
  }
}

/** Counts `values` into the bins of `edges` (outside values go to the first or last bin). */
function countOn(edges: readonly number[], values: ArrayLike<number>): number[] {
  const k = edges.length - 1
  const counts = new Array<number>(Math.max(0, k)).fill(0)
  if (k < 1) return counts
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    let lo = 0
    let hi = k - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (edges[mid]! <= v) lo = mid
      else hi = mid - 1
    }
    counts[lo]!++
  }
  return counts
}
