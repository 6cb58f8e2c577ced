/**
 * Black-Litterman (Black & Litterman 1992; He & Litterman 1999): blend the market's implied returns
 * π = δΣw_mkt with views P·μ = Q ± Ω into the posterior
 *   μ_BL = [(τΣ)⁻¹ + PᵀΩ⁻¹P]⁻¹ [(τΣ)⁻¹π + PᵀΩ⁻¹Q].
 */
import {
  KestrelError,
  assertCovariance,
  inverse,
  matMul,
  matVec,
  transpose,
  type Matrix,
  type Vector,
} from '../../core/index.ts'

/** π = δ Σ w_mkt (reverse optimisation). */
export function impliedReturns(cov: Matrix, marketWeights: Vector, riskAversion: number): Vector {
  return matVec(cov, marketWeights).map((v) => riskAversion * v)
}

/** Inputs of {@link blackLitterman}: the covariance, the equilibrium returns and the views with their uncertainty. */
export interface BlackLittermanInput {
  cov: Matrix
  /** Equilibrium returns π (or use {@link impliedReturns}). */
  pi: Vector
  /** k×n pick matrix: one row per view. */
  p: Matrix
  /** k view returns. */
  q: Vector
  /** k×k view uncertainty; default He & Litterman's diag(P τΣ Pᵀ). */
  omega?: Matrix
  /** Scale of the prior's uncertainty (default 0.05). */
  tau?: number
}

/** Posterior expected returns and covariance of the mean. */
export function blackLitterman(input: BlackLittermanInput): { mu: Vector; covMu: Matrix } {
  const n = input.pi.length
  assertCovariance(input.cov, n)
  const k = input.q.length
  if (input.p.length !== k || input.p.some((r) => r.length !== n)) {
    throw new KestrelError('PARAM_INVALID', `blackLitterman: P must be ${k}×${n} (one row per view)`)
  }
  const tau = input.tau ?? 0.05
  const tauSigma = input.cov.map((r) => r.map((v) => tau * v))
  const pt = transpose(input.p)
  const omega =
    input.omega ??
    (() => {
      const m = matMul(matMul(input.p, tauSigma), pt)
      return m.map((r, i) => r.map((v, j) => (i === j ? v : 0)))
    })()
  const tsInv = inverse(tauSigma)
  const omInv = inverse(omega)
  const ptOmInv = matMul(pt, omInv)
  const a = add(tsInv, matMul(ptOmInv, input.p))
  const covMu = inverse(a)
  const rhs = matVec(tsInv, input.pi).map((v, i) => v + matVec(ptOmInv, input.q)[i]!)
  return { mu: matVec(covMu, rhs), covMu }
}

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((r, i) => r.map((v, j) => v + b[i]![j]!))
}
