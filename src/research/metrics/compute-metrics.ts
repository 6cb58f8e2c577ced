/**
 * Every performance metric of a return series (or a backtest result) in one flat, JSON-friendly record.
 * Non-finite results stay as NaN / ±Infinity in the record (documented per metric) and become `null` in JSON.
 */
import { excessKurtosis, mean, requireParam, skewness, sorted, std } from '../../core/index.ts'
import type { EquityCurve, MetricsOptions, PerformanceInput } from '../types.ts'
import { cagr, maxDrawdownDurationDays } from './calendar.ts'
import { maxDrawdown, maxDrawdownDuration, ulcerIndex } from './drawdown.ts'
import {
  annualReturn,
  annualVolatility,
  calmarRatio,
  downsideRisk,
  omegaRatio,
  sharpeRatio,
  sortinoRatio,
  stabilityOfTimeseries,
  tailRatioSorted,
} from './empyrical.ts'
import { checkPeriodsPerYear, checkReturns, returnsFromEquity, totalReturn } from './returns.ts'
import {
  deflatedSharpeRatio,
  expectedMaxSharpe,
  minTrackRecordLength,
  probabilisticSharpeRatio,
} from './sharpe-inference.ts'
import {
  conditionalValueAtRiskSorted,
  cornishFisherConditionalValueAtRisk,
  cornishFisherValueAtRisk,
  parametricConditionalValueAtRisk,
  parametricValueAtRisk,
  valueAtRiskSorted,
} from './tail-risk.ts'
import { outcomeStats, tradedNotional, tradeStats, type TradeStats } from './trade-stats.ts'

/** All metrics. Ratios and returns are fractions (0.1 = 10%); VaR/CVaR are left-tail returns (negative = loss). */
export interface Metrics {
  /** Number of periodic returns the metrics were computed from. */
  readonly periods: number
  readonly periodsPerYear: number
  readonly totalReturn: number
  /** empyrical `annual_return`: `(1 + total)^(ppy / periods) − 1`, i.e. years counted in periods. */
  readonly annualReturn: number
  /** CAGR over calendar time: `(last / first)^(1 / years) − 1`, years elapsed between the curve's first and last point. NaN from returns alone. */
  readonly cagr: number
  readonly annualVolatility: number
  readonly sharpeRatio: number
  readonly sortinoRatio: number
  readonly downsideRisk: number
  readonly calmarRatio: number
  readonly omegaRatio: number
  /** Negative fraction: −0.25 is a 25% peak-to-trough loss. */
  readonly maxDrawdown: number
  /** Longest stretch under water, in periods. */
  readonly maxDrawdownDuration: number
  /** Longest stretch under water in calendar days, peak to recovery (or to the end). NaN from returns alone. */
  readonly maxDrawdownDurationDays: number
  readonly ulcerIndex: number
  readonly stability: number
  readonly tailRatio: number
  /** scipy.stats.skew (biased). */
  readonly skew: number
  /** scipy.stats.kurtosis: Fisher's excess kurtosis, biased (normal ≈ 0). */
  readonly kurtosis: number
  readonly var95: number
  readonly var99: number
  readonly cvar95: number
  readonly cvar99: number
  readonly varParametric95: number
  readonly varParametric99: number
  readonly cvarParametric95: number
  readonly cvarParametric99: number
  readonly varCornishFisher95: number
  readonly varCornishFisher99: number
  readonly cvarCornishFisher95: number
  readonly cvarCornishFisher99: number
  /** Per-period (not annualised) Sharpe ratio used by the inference metrics below. */
  readonly sharpePerPeriod: number
  /** P(true Sharpe > sharpeBenchmark). */
  readonly probabilisticSharpeRatio: number
  /** PSR against the expected maximum Sharpe of `trials` trials. */
  readonly deflatedSharpeRatio: number
  /** Expected maximum per-period Sharpe of `trials` zero-skill trials (0 for one trial). */
  readonly expectedMaxSharpe: number
  readonly trials: number
  /** Periods needed for PSR to reach `confidence` (Infinity when the Sharpe does not beat the benchmark). */
  readonly minTrackRecordLength: number
  readonly minTrackRecordYears: number
  /** Outcome statistics over trades (when given) or periods. */
  readonly trades: TradeStats
  /** One-way annual turnover: traded notional / 2 / mean equity / years. NaN without trades or notional. */
  readonly turnover: number
  /** Mean gross exposure as a fraction of equity. NaN without an exposure curve. */
  readonly exposure: number
  /** Fraction of exposure observations with a non-zero position. NaN without an exposure curve. */
  readonly timeInMarket: number
}

/** Extra inputs of {@link computeReturnMetrics} beyond the returns. */
export interface ReturnMetricsExtras {
  /** Outcomes for the trade statistics; periodic returns are used when absent. */
  readonly tradeOutcomes?: TradeStats
  readonly turnover?: number
  readonly exposure?: ArrayLike<number>
  /** The equity curve the returns came from, for the calendar-time metrics (CAGR, drawdown days). */
  readonly equity?: EquityCurve
}

function exposureStats(exposure: ArrayLike<number> | undefined): { exposure: number; timeInMarket: number } {
  if (!exposure || exposure.length === 0) return { exposure: NaN, timeInMarket: NaN }
  checkReturns(exposure, 'exposure.value')
  let s = 0
  let inMarket = 0
  for (let i = 0; i < exposure.length; i++) {
    const e = Math.abs(exposure[i]!)
    s += e
    if (e > 0) inMarket++
  }
  return { exposure: s / exposure.length, timeInMarket: inMarket / exposure.length }
}

/**
 * Computes every metric from periodic simple returns. Throws PARAM_INVALID on a non-finite return (naming its
 * index) or `periodsPerYear` ≤ 0; too few returns give NaN metrics, never a made-up number.
 */
export function computeReturnMetrics(
  returns: ArrayLike<number>,
  options: MetricsOptions,
  extras: ReturnMetricsExtras = {},
): Metrics {
  const ppy = options.periodsPerYear
  checkPeriodsPerYear(ppy)
  checkReturns(returns)
  const rf = options.riskFree ?? 0
  const req = options.requiredReturn ?? rf
  const srBench = options.sharpeBenchmark ?? 0
  const trials = options.trials ?? 1
  const confidence = options.confidence ?? 0.95
  requireParam(
    trials === 1 || options.trialSharpeVariance !== undefined,
    'trialSharpeVariance',
    'a variance of the trials’ Sharpe ratios when trials > 1',
    options.trialSharpeVariance,
  )
  const n = returns.length
  const asc = sorted(returns)
  const excess = Float64Array.from(returns, (r) => r - rf)
  const sd = std(excess, 1)
  const srp = n >= 2 && sd > 0 ? mean(excess) / sd : NaN
  const sk = skewness(returns)
  const exk = excessKurtosis(returns)
  const rawKurt = exk + 3
  const emax = expectedMaxSharpe(trials, options.trialSharpeVariance ?? 0)
  const mtrl = minTrackRecordLength(srp, sk, rawKurt, srBench, confidence)
  return {
    periods: n,
    periodsPerYear: ppy,
    totalReturn: totalReturn(returns),
    annualReturn: annualReturn(returns, ppy),
    cagr: extras.equity ? cagr(extras.equity) : NaN,
    annualVolatility: annualVolatility(returns, ppy),
    sharpeRatio: sharpeRatio(returns, ppy, rf),
    sortinoRatio: sortinoRatio(returns, ppy, req),
    downsideRisk: downsideRisk(returns, ppy, req),
    calmarRatio: calmarRatio(returns, ppy),
    omegaRatio: omegaRatio(returns, rf, 0, ppy),
    maxDrawdown: maxDrawdown(returns),
    maxDrawdownDuration: maxDrawdownDuration(returns),
    maxDrawdownDurationDays: extras.equity ? maxDrawdownDurationDays(extras.equity) : NaN,
    ulcerIndex: ulcerIndex(returns),
    stability: stabilityOfTimeseries(returns),
    tailRatio: tailRatioSorted(asc),
    skew: sk,
    kurtosis: exk,
    var95: valueAtRiskSorted(asc, 0.05),
    var99: valueAtRiskSorted(asc, 0.01),
    cvar95: conditionalValueAtRiskSorted(asc, 0.05),
    cvar99: conditionalValueAtRiskSorted(asc, 0.01),
    varParametric95: parametricValueAtRisk(returns, 0.05),
    varParametric99: parametricValueAtRisk(returns, 0.01),
    cvarParametric95: parametricConditionalValueAtRisk(returns, 0.05),
    cvarParametric99: parametricConditionalValueAtRisk(returns, 0.01),
    varCornishFisher95: cornishFisherValueAtRisk(returns, 0.05),
    varCornishFisher99: cornishFisherValueAtRisk(returns, 0.01),
    cvarCornishFisher95: cornishFisherConditionalValueAtRisk(returns, 0.05),
    cvarCornishFisher99: cornishFisherConditionalValueAtRisk(returns, 0.01),
    sharpePerPeriod: srp,
    probabilisticSharpeRatio: probabilisticSharpeRatio(srp, n, sk, rawKurt, srBench),
    deflatedSharpeRatio: deflatedSharpeRatio(srp, n, sk, rawKurt, trials, options.trialSharpeVariance ?? 0),
    expectedMaxSharpe: emax,
    trials,
    minTrackRecordLength: mtrl,
    minTrackRecordYears: mtrl / ppy,
    trades: extras.tradeOutcomes ?? outcomeStats(returns, 'periods'),
    turnover: extras.turnover ?? NaN,
    ...exposureStats(extras.exposure),
  }
}

/**
 * Computes every metric of a backtest result: returns from its equity curve, trade statistics from its round
 * trips, turnover from traded notional, exposure from its exposure curve. `options` override its periods per year.
 */
export function computeMetrics(input: PerformanceInput, options: Partial<MetricsOptions> = {}): Metrics {
  const ppy = options.periodsPerYear ?? input.periodsPerYear
  checkPeriodsPerYear(ppy)
  const returns = returnsFromEquity(input.equity)
  const notional = input.tradedNotional ?? (input.trades ? tradedNotional(input.trades) : undefined)
  const years = returns.length / ppy
  const meanEquity = mean(input.equity.value)
  const turnover = notional !== undefined && years > 0 ? notional / 2 / meanEquity / years : NaN
  return computeReturnMetrics(
    returns,
    { ...options, periodsPerYear: ppy },
    {
      tradeOutcomes: input.trades ? tradeStats(input.trades) : undefined,
      turnover,
      exposure: input.exposure?.value,
      equity: input.equity,
    },
  )
}
