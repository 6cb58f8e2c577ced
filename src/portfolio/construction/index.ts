/** Portfolio construction: turn expected returns and risk into target weights. */
export * from './linalg.ts'
export * from './qp.ts'
export * from './weights.ts'
export * from './mean-variance.ts'
export * from './hrp.ts'
export * from './risk-parity.ts'
export * from './black-litterman.ts'
export * from './rebalance.ts'
