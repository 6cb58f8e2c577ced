/**
 * EWMA volatility, RiskMetrics (J.P. Morgan/Reuters, Technical Document 1996, §5.2.1):
 * σ²_t = λ σ²_{t−1} + (1 − λ) r_t², λ = 0.94 for daily data. Seeded with the first return squared.
 * Input is a return series (e.g. `logReturns(close, 1)`). A NaN return gives NaN at that bar and leaves the
 * state unchanged, so leading NaN (the first return) only delays the seed.
 */
import { numParam } from '../common/params.ts'

/** Options of {@link ewmaVol}. */
export interface EwmaOptions {
  /** Decay factor λ in (0, 1). Default 0.94 (RiskMetrics). */
  readonly lambda?: number
  /** σ is multiplied by √periodsPerYear. Default 1. */
  readonly periodsPerYear?: number
}

/** Streaming twin of {@link ewmaVol}: O(1) per update. */
export class EwmaVol {
  readonly lambda: number
  private readonly scale: number
  private v = NaN
  private last = NaN

  constructor(opts: EwmaOptions = {}) {
    this.lambda = numParam('ewmaVol(lambda)', opts.lambda ?? 0.94, 0, 1)
    numParam('ewmaVol(lambda)', this.lambda, Number.MIN_VALUE, 1 - Number.EPSILON)
    this.scale = Math.sqrt(numParam('ewmaVol(periodsPerYear)', opts.periodsPerYear ?? 1, Number.MIN_VALUE))
  }

  /** Adds one return; returns σ_t. */
  update(r: number): number {
    if (Number.isNaN(r)) return (this.last = NaN)
    this.v = Number.isNaN(this.v) ? r * r : this.lambda * this.v + (1 - this.lambda) * r * r
    return (this.last = Math.sqrt(this.v) * this.scale)
  }
  get value(): number {
    return this.last
  }
  get isStable(): boolean {
    return !Number.isNaN(this.v)
  }
  reset(): void {
    this.v = NaN
    this.last = NaN
  }
}

/** EWMA σ of a return series (RiskMetrics); same length as the input. */
export function ewmaVol(returns: Float64Array, opts: EwmaOptions = {}, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(returns.length)
  const s = new EwmaVol(opts)
  for (let i = 0; i < returns.length; i++) res[i] = s.update(returns[i]!)
  return res
}
