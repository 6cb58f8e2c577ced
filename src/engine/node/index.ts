/** The trading node: journal-first paper and live trading on the same kernel as a backtest. */
export * from './records.ts'
export * from './node-journal.ts'
export * from './guard.ts'
export * from './journaled-venue.ts'
export * from './paper.ts'
export * from './remote-venue.ts'
export * from './live.ts'
