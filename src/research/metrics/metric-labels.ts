/**
 * Human labels and number formats of the {@link Metrics} fields, in reading order, for tables and reports.
 */
import type { Metrics } from './compute-metrics.ts'

/** How a metric's number reads: a percentage of a fraction, a plain ratio, a count, or a probability. */
export type MetricKind = 'pct' | 'ratio' | 'count' | 'prob'

/** One row of a metrics table. */
export interface MetricLabel {
  readonly key: Exclude<keyof Metrics, 'trades'> | `trades.${Exclude<keyof Metrics['trades'], 'basis'>}`
  readonly label: string
  readonly kind: MetricKind
  readonly group: 'Returns' | 'Risk' | 'Tail risk' | 'Sharpe inference' | 'Trades' | 'Activity'
}

/** Every metric with its label, format and group. */
export const METRIC_LABELS: readonly MetricLabel[] = [
  { key: 'totalReturn', label: 'Total return', kind: 'pct', group: 'Returns' },
  { key: 'annualReturn', label: 'Annual return (CAGR)', kind: 'pct', group: 'Returns' },
  { key: 'cagr', label: 'CAGR (calendar time)', kind: 'pct', group: 'Returns' },
  { key: 'annualVolatility', label: 'Annual volatility', kind: 'pct', group: 'Returns' },
  { key: 'sharpeRatio', label: 'Sharpe ratio', kind: 'ratio', group: 'Returns' },
  { key: 'sortinoRatio', label: 'Sortino ratio', kind: 'ratio', group: 'Returns' },
  { key: 'calmarRatio', label: 'Calmar ratio', kind: 'ratio', group: 'Returns' },
  { key: 'omegaRatio', label: 'Omega ratio', kind: 'ratio', group: 'Returns' },
  { key: 'stability', label: 'Stability (R²)', kind: 'ratio', group: 'Returns' },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'pct', group: 'Risk' },
  { key: 'maxDrawdownDuration', label: 'Max drawdown duration (periods)', kind: 'count', group: 'Risk' },
  { key: 'maxDrawdownDurationDays', label: 'Max drawdown duration (days)', kind: 'count', group: 'Risk' },
  { key: 'ulcerIndex', label: 'Ulcer index', kind: 'pct', group: 'Risk' },
  { key: 'downsideRisk', label: 'Downside risk (annual)', kind: 'pct', group: 'Risk' },
  { key: 'skew', label: 'Skew', kind: 'ratio', group: 'Risk' },
  { key: 'kurtosis', label: 'Excess kurtosis', kind: 'ratio', group: 'Risk' },
  { key: 'tailRatio', label: 'Tail ratio', kind: 'ratio', group: 'Risk' },
  { key: 'var95', label: 'VaR 95% (historical)', kind: 'pct', group: 'Tail risk' },
  { key: 'var99', label: 'VaR 99% (historical)', kind: 'pct', group: 'Tail risk' },
  { key: 'cvar95', label: 'CVaR 95% (historical)', kind: 'pct', group: 'Tail risk' },
  { key: 'cvar99', label: 'CVaR 99% (historical)', kind: 'pct', group: 'Tail risk' },
  { key: 'varParametric95', label: 'VaR 95% (normal)', kind: 'pct', group: 'Tail risk' },
  { key: 'varParametric99', label: 'VaR 99% (normal)', kind: 'pct', group: 'Tail risk' },
  { key: 'cvarParametric95', label: 'CVaR 95% (normal)', kind: 'pct', group: 'Tail risk' },
  { key: 'cvarParametric99', label: 'CVaR 99% (normal)', kind: 'pct', group: 'Tail risk' },
  { key: 'varCornishFisher95', label: 'VaR 95% (Cornish-Fisher)', kind: 'pct', group: 'Tail risk' },
  { key: 'varCornishFisher99', label: 'VaR 99% (Cornish-Fisher)', kind: 'pct', group: 'Tail risk' },
  { key: 'cvarCornishFisher95', label: 'CVaR 95% (Cornish-Fisher)', kind: 'pct', group: 'Tail risk' },
  { key: 'cvarCornishFisher99', label: 'CVaR 99% (Cornish-Fisher)', kind: 'pct', group: 'Tail risk' },
  { key: 'sharpePerPeriod', label: 'Sharpe per period', kind: 'ratio', group: 'Sharpe inference' },
  { key: 'probabilisticSharpeRatio', label: 'Probabilistic Sharpe ratio', kind: 'prob', group: 'Sharpe inference' },
  { key: 'deflatedSharpeRatio', label: 'Deflated Sharpe ratio', kind: 'prob', group: 'Sharpe inference' },
  { key: 'expectedMaxSharpe', label: 'Expected max Sharpe of trials', kind: 'ratio', group: 'Sharpe inference' },
  { key: 'trials', label: 'Trials', kind: 'count', group: 'Sharpe inference' },
  { key: 'minTrackRecordLength', label: 'Min track record (periods)', kind: 'count', group: 'Sharpe inference' },
  { key: 'minTrackRecordYears', label: 'Min track record (years)', kind: 'ratio', group: 'Sharpe inference' },
  { key: 'trades.count', label: 'Count', kind: 'count', group: 'Trades' },
  { key: 'trades.hitRate', label: 'Hit rate', kind: 'pct', group: 'Trades' },
  { key: 'trades.profitFactor', label: 'Profit factor', kind: 'ratio', group: 'Trades' },
  { key: 'trades.expectancy', label: 'Expectancy', kind: 'ratio', group: 'Trades' },
  { key: 'trades.averageWin', label: 'Average win', kind: 'ratio', group: 'Trades' },
  { key: 'trades.averageLoss', label: 'Average loss', kind: 'ratio', group: 'Trades' },
  { key: 'trades.payoffRatio', label: 'Payoff ratio', kind: 'ratio', group: 'Trades' },
  { key: 'turnover', label: 'Turnover (annual, one-way)', kind: 'ratio', group: 'Activity' },
  { key: 'exposure', label: 'Mean gross exposure', kind: 'pct', group: 'Activity' },
  { key: 'timeInMarket', label: 'Time in market', kind: 'pct', group: 'Activity' },
  { key: 'periods', label: 'Periods', kind: 'count', group: 'Activity' },
  { key: 'periodsPerYear', label: 'Periods per year', kind: 'count', group: 'Activity' },
]

/** The value of a labelled metric (`trades.x` reads the nested trade statistics). */
export function metricValue(m: Metrics, key: MetricLabel['key']): number {
  if (key.startsWith('trades.')) return m.trades[key.slice(7) as keyof Metrics['trades']] as number
  return m[key as Exclude<keyof Metrics, 'trades'>] as number
}

/** Formats a metric for people: `12.34%` (`-0.012%` when tiny), `1.234`, `1,250`; `n/a` for NaN, `∞` for Infinity. */
export function formatMetric(value: number, kind: MetricKind): string {
  if (Number.isNaN(value)) return 'n/a'
  if (value === Infinity) return '∞'
  if (value === -Infinity) return '−∞'
  switch (kind) {
    case 'pct': {
      // two decimals, or two significant digits for tiny values (per-minute VaR is a few hundredths of a percent)
      const p = value * 100
      return `${p === 0 || Math.abs(p) >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}%`
    }
    case 'count':
      return Number.isInteger(value)
        ? value.toLocaleString('en-US')
        : value.toLocaleString('en-US', { maximumFractionDigits: 1 })
    case 'prob':
      return value.toFixed(4)
    default:
      return Math.abs(value) >= 1000 ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : value.toFixed(3)
  }
}
