/** Kestrel engine: the kernel, the data engine, the backtest runner and the live runner. */
export * from './results.ts'
export * from './feed.ts'
export * from './kernel.ts'
export * from './strategy-runtime.ts'
export * from './data-engine.ts'
export * from './backtest-runner.ts'
export * from './setup.ts'
export * from './testing.ts'
