/**
 * Mean-variance optimisation (Markowitz) with long-only and weight caps, solved exactly by the active-set QP.
 */
import { KestrelError, assertCovariance, type Matrix, type Vector } from '../../core/index.ts'
import { solveBoxQp } from './qp.ts'

/** Options of {@link meanVariance} and {@link minVariance}: risk aversion, weight bounds and budget. */
export interface MeanVarianceOptions {
  /** Risk aversion λ in max μᵀw − λ/2 wᵀΣw. Ignored for `minVariance`. Default 1. */
  riskAversion?: number
  /** Lower bound per weight (default 0: long-only). Use a negative number to allow shorts. */
  minWeight?: number | Vector
  /** Upper bound per weight (default 1). */
  maxWeight?: number | Vector
  /** Sum of weights (default 1, fully invested). */
  budget?: number
}

/** Weights maximising μᵀw − (λ/2)·wᵀΣw subject to Σw = budget and the bounds. */
export function meanVariance(mu: Vector, cov: Matrix, opts: MeanVarianceOptions = {}): Vector {
  const n = mu.length
  assertCovariance(cov, n)
  mu.forEach((m, i) => {
    if (!Number.isFinite(m)) throw new KestrelError('PARAM_INVALID', `meanVariance: mu[${i}] is ${m}`)
  })
  const lambda = opts.riskAversion ?? 1
  if (!(lambda > 0)) throw new KestrelError('PARAM_INVALID', `meanVariance(riskAversion): expected > 0, got ${lambda}`)
  const q = cov.map((r) => r.map((v) => lambda * v))
  return solveBoxQp({
    q,
    c: mu.slice(),
    lower: bounds(opts.minWeight ?? 0, n),
    upper: bounds(opts.maxWeight ?? 1, n),
    budget: opts.budget ?? 1,
  }).x
}

/** The minimum-variance portfolio under the same constraints. */
export function minVariance(cov: Matrix, opts: Omit<MeanVarianceOptions, 'riskAversion'> = {}): Vector {
  const n = cov.length
  assertCovariance(cov, n)
  return solveBoxQp({
    q: cov,
    c: new Array<number>(n).fill(0),
    lower: bounds(opts.minWeight ?? 0, n),
    upper: bounds(opts.maxWeight ?? 1, n),
    budget: opts.budget ?? 1,
  }).x
}

function bounds(b: number | Vector, n: number): Vector {
  if (typeof b === 'number') return new Array<number>(n).fill(b)
  if (b.length !== n) throw new KestrelError('PARAM_INVALID', `bounds: expected ${n} values, got ${b.length}`)
  return b.slice()
}
