/**
 * `kestrel stats <returns.csv> --periods-per-year <n>` or `kestrel stats <backtest.json>`: every performance metric
 * of a column of returns, or of a backtest report's `returns` series.
 */
import { metricsTableRows, returnStats } from '../../app/stats.ts'
import { numberFlag } from '../flags.ts'
import { printJson, stdout, table } from '../util.ts'

interface StatsFlags {
  periodsPerYear?: string
  column?: string
  riskFree: string
  trials: string
  trialSharpeVariance?: string
  json?: boolean
}

export function run(file: string, o: StatsFlags): void {
  const got = { form: 'got' } as const
  const s = returnStats(file, {
    periodsPerYear: numberFlag(o.periodsPerYear, '--periods-per-year', { ...got, min: 0, minExclusive: true }),
    riskFree: numberFlag(o.riskFree, '--risk-free', { ...got, expected: 'a number' }),
    trials: numberFlag(o.trials, '--trials', { ...got, integer: true, min: 1 }),
    trialSharpeVariance: numberFlag(o.trialSharpeVariance, '--trial-sharpe-variance', { ...got, min: 0 }),
    column: o.column,
  })
  if (o.json)
    return printJson({
      file,
      column: s.column,
      ...(s.sample !== undefined ? { sample: s.sample } : {}),
      periodsPerYear: s.periodsPerYear,
      metrics: s.metrics,
    })
  const from = s.format === 'csv' ? `column "${s.column}"` : `the backtest's returns (sampled by ${s.sample})`
  stdout().write(`${file}: ${s.periods} returns from ${from}, ${s.periodsPerYear} periods a year\n\n`)
  stdout().write(table(metricsTableRows(s.metrics), ['group', 'metric', 'value']))
  stdout().write(
    '\nVaR/CVaR are per-period returns at the left tail; trade statistics run over periods (no trades given).\n',
  )
}
