/**
 * Input shapes of the research layer. They are structural on purpose: the engine's results (or anything else
 * with the right fields) fit without the engine importing research, and research never needs engine internals.
 */
import type { SessionClock } from './metrics/calendar.ts'

/** A value over time: `time[i]` (epoch ms, ascending) and `value[i]` (e.g. equity in account currency). */
export interface EquityCurve {
  readonly time: Float64Array
  readonly value: Float64Array
}

/**
 * Gross exposure over time, as a fraction of equity (|long| + |short| notional / equity; 0 = flat, 1 = fully
 * invested, 2 = 2x levered). Same time axis as the equity curve, or any subset of it.
 */
export type ExposureCurve = EquityCurve

/** One round-trip trade (entry to exit) as the engine reports it. */
export interface TradeRecord {
  readonly instrumentId: string
  readonly side: 'LONG' | 'SHORT'
  /** Epoch ms of the entry fill. */
  readonly entryTime: number
  /** Epoch ms of the exit fill (or of the last mark when the trade is still open at the end). */
  readonly exitTime: number
  readonly entryPrice: number
  readonly exitPrice: number
  /** Positive quantity; `side` carries the direction. */
  readonly quantity: number
  /** Net P&L in account currency, after fees. */
  readonly pnl: number
  /** Net return on the entry notional, as a fraction (0.01 = 1%). */
  readonly returnPct: number
  /** Fees paid on entry and exit (non-negative). */
  readonly fees: number
  /** Still open at the end: `exitTime` / `exitPrice` are then the last mark (a bar close), not a fill. */
  readonly open?: boolean
}

/** One instrument's bars for drawing its trades on a price chart; `time[i]` is bar i's close (epoch ms). */
export interface PriceSeries {
  readonly instrumentId: string
  readonly time: ArrayLike<number>
  readonly open: ArrayLike<number>
  readonly high: ArrayLike<number>
  readonly low: ArrayLike<number>
  readonly close: ArrayLike<number>
}

/** A run's settings as a reader sees them (strategy, parameters, fees, account …), shown in the report. */
export type RunSettings = Readonly<Record<string, string | number | boolean | null>>

/** A warning about the data a run used that changes its results (a suspected unadjusted split), one report row. */
export interface DataWarning {
  /** Stable code: `SUSPECTED_UNADJUSTED_SPLIT`. */
  readonly code: string
  readonly instrument: string
  /** Session date, `YYYY-MM-DD`. */
  readonly date: string
  /** The nearest split ratio (`7:1`), for a suspected split. */
  readonly ratio?: string
  /** What was found, with the file and line. */
  readonly message: string
  /** How to fix the input. */
  readonly fix?: string
}

/** Options of {@link computeMetrics} and friends. */
export interface MetricsOptions {
  /** Periods per year used to annualise (252 daily bars, 52 weekly, 12 monthly, 98_280 for 6.5 h × 252 of 1m). */
  readonly periodsPerYear: number
  /** Constant risk-free return per period (empyrical's `risk_free`), default 0. */
  readonly riskFree?: number
  /**
   * Minimum acceptable return per period for Sortino and downside risk (empyrical's `required_return`); defaults to
   * `riskFree`, so both measure the shortfall below the risk-free return.
   */
  readonly requiredReturn?: number
  /** Benchmark Sharpe (per period, not annualised) for the probabilistic Sharpe ratio, default 0. */
  readonly sharpeBenchmark?: number
  /** Number of independent strategy trials behind this result, for the deflated Sharpe ratio; default 1. */
  readonly trials?: number
  /** Variance across the trials of their (per-period) Sharpe ratios, for the deflated Sharpe ratio. */
  readonly trialSharpeVariance?: number
  /** Target probability for the minimum track record length, default 0.95. */
  readonly confidence?: number
}

/**
 * Everything a tearsheet or the metrics need from a backtest. `equity` is required; the rest enriches the report.
 * A backtest result from the engine fits this shape as it is.
 */
export interface PerformanceInput {
  readonly equity: EquityCurve
  readonly trades?: readonly TradeRecord[]
  readonly exposure?: ExposureCurve
  /** A benchmark's value over the same period (e.g. buy-and-hold equity); rescaled to the start of `equity`. */
  readonly benchmark?: EquityCurve
  readonly periodsPerYear: number
  /** Total traded notional (sum of |price × quantity| over every fill); derived from `trades` when absent. */
  readonly tradedNotional?: number
  /** A title for reports, e.g. `sma-cross on SPY_1m`. */
  readonly title?: string
  /** What the benchmark is, e.g. `buy-and-hold SPY` (default `Benchmark`). */
  readonly benchmarkName?: string
  /**
   * How to read the time stamps: the bar length (curve points are bar closes, so a daily bar's 00:00Z close stamp
   * belongs to the day before), the exchange's time zone, and whether it trades every day. Without it, a time
   * stamp is its own instant in UTC.
   */
  readonly clock?: SessionClock
  /** The run's settings, shown as a table. */
  readonly settings?: RunSettings
  /** The instruments' bars, for drawing the trades on prices. */
  readonly prices?: readonly PriceSeries[]
  /** Warnings about the data that change the results, shown first. */
  readonly warnings?: readonly DataWarning[]
}
