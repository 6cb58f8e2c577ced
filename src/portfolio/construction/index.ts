/** Portfolio construction: turn expected returns and risk into target weights. */
// The linear algebra lives in core (risk and synthetic data use it too); portfolio keeps exporting it.
export {
  assertCovariance,
  cholesky,
  clone,
  covToCorr,
  dot,
  inverse,
  matMul,
  matVec,
  sampleCovariance,
  solve,
  transpose,
} from '../../core/index.ts'
export type { Matrix, Vector } from '../../core/index.ts'
export * from './qp.ts'
export * from './weights.ts'
export * from './mean-variance.ts'
export * from './hrp.ts'
export * from './risk-parity.ts'
export * from './black-litterman.ts'
export * from './rebalance.ts'
export * from './models.ts'
