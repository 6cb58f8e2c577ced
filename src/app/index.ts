/**
 * Kestrel use cases: plain typed functions (options in, results out; no printing, no exit, no argv or process
 * env) that the command line and the HTTP server both call. A long-lived caller (the server) imports them
 * here; the command line imports each use-case module on its own, when its command runs, so a command loads
 * only what it needs.
 */
export * from './types.ts'
export * from './choices.ts'
export * from './backtest.ts'
export * from './backtest-defaults.ts'
export * from './order-rejects.ts'
export * from './backtest-report.ts'
export * from './backtest-result.ts'
export * from './money.ts'
export * from './config.ts'
export * from './csv-text.ts'
export * from './data.ts'
export * from './data-fetch.ts'
export * from './data-lake.ts'
export * from './data-resample.ts'
export * from './execution.ts'
export * from './features.ts'
export * from './indicators.ts'
export * from './quickstart.ts'
export * from './risk.ts'
export * from './stats.ts'
export * from './strategy.ts'
export * from './store.ts'
export * from './scan.ts'
export * from './pipeline.ts'
