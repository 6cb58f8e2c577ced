/** Validation of backtests: walk-forward, purged k-fold with embargo, CPCV, bootstrap Sharpe intervals. */
export * from './walk-forward.ts'
export * from './purged-kfold.ts'
export * from './cpcv.ts'
export * from './bootstrap.ts'
