/**
 * Kelly sizing. The full Kelly fraction maximises expected log growth; traders use a fraction of it
 * (half-Kelly is common) and a hard cap, because the inputs are estimates.
 */
import { KestrelError, requireParam } from '../../core/index.ts'
import { solve, type Matrix, type Vector } from '../construction/index.ts'

/**
 * Discrete Kelly for a bet won with probability `p` paying `b` per unit risked (lost with 1−p):
 * f* = p − (1 − p)/b. E.g. p = 0.53 at 1:1 → 0.06. Negative means "do not bet"; returned as is.
 */
export function kellyDiscrete(p: number, b: number): number {
  requireParam(p >= 0 && p <= 1, 'kellyDiscrete(p)', 'a probability in [0, 1]', p)
  requireParam(b > 0 && Number.isFinite(b), 'kellyDiscrete(b)', 'payoff odds > 0', b)
  return p - (1 - p) / b
}

/** Continuous Kelly for one asset with excess drift μ and variance σ²: f* = μ/σ² (a leverage). */
export function kellyContinuous(mu: number, variance: number): number {
  requireParam(variance > 0 && Number.isFinite(variance), 'kellyContinuous(variance)', '> 0', variance)
  requireParam(Number.isFinite(mu), 'kellyContinuous(mu)', 'a finite number', mu)
  return mu / variance
}

/** Multi-asset continuous Kelly: f* = Σ⁻¹μ (leverage per asset). */
export function kellyMulti(mu: Vector, cov: Matrix): Vector {
  if (cov.length !== mu.length)
    throw new KestrelError('PARAM_INVALID', `kellyMulti: Σ is ${cov.length}×${cov.length}, μ has ${mu.length}`)
  return solve(cov, mu)
}

/** Options of {@link fractionalKelly}: the fraction of full Kelly and the caps on each and on all positions. */
export interface FractionalKellyOptions {
  /** Fraction of full Kelly (default 0.5, half-Kelly). */
  fraction?: number
  /** Cap on the absolute size of each position (default 1 = no leverage). */
  cap?: number
  /** Cap on the sum of absolute sizes (gross leverage); scales all down together. Default: none. */
  grossCap?: number
}

/** Scales full-Kelly sizes by a fraction, then caps each and the gross. */
export function fractionalKelly(full: Vector | number, opts: FractionalKellyOptions = {}): Vector {
  const fraction = opts.fraction ?? 0.5
  requireParam(fraction > 0 && fraction <= 1, 'fractionalKelly(fraction)', 'in (0, 1]', fraction)
  const cap = opts.cap ?? 1
  requireParam(cap > 0, 'fractionalKelly(cap)', '> 0', cap)
  const v = (typeof full === 'number' ? [full] : full).map((f) => Math.max(-cap, Math.min(cap, f * fraction)))
  if (opts.grossCap !== undefined) {
    const gross = v.reduce((s, x) => s + Math.abs(x), 0)
    if (gross > opts.grossCap) return v.map((x) => (x * opts.grossCap!) / gross)
  }
  return v
}
