/**
 * Equal-risk-contribution (risk parity) weights: each asset contributes wᵢ(Σw)ᵢ = σ_p²/n.
 * Solved by the cyclical coordinate method of Griveau-Billion, Richard & Roncalli (2013), which converges for
 * any positive definite Σ, then normalised to sum to 1.
 */
import { KestrelError, assertCovariance, matVec, type Matrix, type Vector } from '../../core/index.ts'

/** Risk contribution of each asset: wᵢ(Σw)ᵢ (they sum to the portfolio variance). */
export function riskContributions(w: Vector, cov: Matrix): Vector {
  const sw = matVec(cov, w)
  return w.map((x, i) => x * sw[i]!)
}

/** Weights with equal (or `budgets`-proportional) risk contributions. */
export function riskParity(cov: Matrix, budgets?: Vector, tol = 1e-12, maxIter = 10_000): Vector {
  const n = cov.length
  assertCovariance(cov, n)
  const b = budgets ?? new Array<number>(n).fill(1 / n)
  if (b.length !== n || b.some((x) => !(x > 0)))
    throw new KestrelError('PARAM_INVALID', 'riskParity(budgets): expected n positive values')
  let w = cov.map((r, i) => 1 / Math.sqrt(r[i]!))
  for (let it = 0; it < maxIter; it++) {
    let change = 0
    for (let i = 0; i < n; i++) {
      // Solve Σᵢᵢ wᵢ² + (Σⱼ≠ᵢ Σᵢⱼ wⱼ) wᵢ − bᵢ·σ(w) = 0 for wᵢ > 0, with σ(w) from the current weights.
      let cross = 0
      for (let j = 0; j < n; j++) if (j !== i) cross += cov[i]![j]! * w[j]!
      const sigma = Math.sqrt(w.reduce((s, wi, k) => s + wi * matVecRow(cov, w, k), 0))
      const a = cov[i]![i]!
      const wi = (-cross + Math.sqrt(cross * cross + 4 * a * b[i]! * sigma)) / (2 * a)
      change = Math.max(change, Math.abs(wi - w[i]!))
      w[i] = wi
    }
    if (change < tol) break
  }
  const s = w.reduce((x, y) => x + y, 0)
  w = w.map((x) => x / s)
  return w
}

function matVecRow(m: Matrix, v: Vector, i: number): number {
  let s = 0
  const r = m[i]!
  for (let j = 0; j < v.length; j++) s += r[j]! * v[j]!
  return s
}
