/** Pairs statistics: Engle-Granger cointegration, Kalman hedge ratio, half-life, pair selection over a universe. */
export * from './engle-granger.ts'
export * from './half-life.ts'
export * from './kalman-hedge.ts'
export * from './pair-selection.ts'
export * from './rolling-hedge.ts'
