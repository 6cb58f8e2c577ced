/**
 * VaR and ES of a book of positions, recomputed cheaply as positions and prices move.
 * Scenario P&L is kept per scenario, so changing one position's value costs O(scenarios), not O(n·scenarios).
 */
import {
  KestrelError,
  Rng,
  cholesky,
  type Matrix,
  excessKurtosis,
  mean,
  normPdf,
  normPpf,
  quantileSorted,
  skewness,
  std,
} from '../../core/index.ts'
import { cornishFisherEs, cornishFisherVar } from './var.ts'

/** How VaR and ES are estimated: historical scenarios, normal, Cornish-Fisher (skew and kurtosis) or Monte Carlo. */
export type VarMethod = 'historical' | 'parametric' | 'cornishFisher' | 'monteCarlo'

/** A book's VaR and expected shortfall at a confidence, by one method. */
export interface BookRiskResult {
  readonly method: VarMethod
  readonly confidence: number
  /** Loss in currency (positive). */
  readonly var: number
  readonly es: number
}

/**
 * A book's exposure to a fixed set of scenarios. `scenarios` is row-major: scenario s, asset i at
 * `scenarios[s * n + i]`, each a simple return. Values are signed position values in currency.
 */
export class BookRisk {
  readonly n: number
  readonly s: number
  private readonly values: Float64Array
  private readonly pnl: Float64Array
  private readonly sorted: Float64Array

  constructor(
    private readonly scenarios: Float64Array,
    assets: number,
  ) {
    if (assets <= 0 || scenarios.length % assets !== 0) {
      throw new KestrelError(
        'PARAM_INVALID',
        `BookRisk: ${scenarios.length} scenario values is not a multiple of ${assets} assets`,
      )
    }
    this.n = assets
    this.s = scenarios.length / assets
    this.values = new Float64Array(assets)
    this.pnl = new Float64Array(this.s)
    this.sorted = new Float64Array(this.s)
  }

  /** Sets the value of position `i`; updates every scenario's P&L in O(scenarios). */
  setValue(i: number, value: number): void {
    if (!Number.isFinite(value))
      throw new KestrelError('PARAM_INVALID', `BookRisk.setValue: position ${i} value is ${value}`)
    const d = value - this.values[i]!
    if (d === 0) return
    this.values[i] = value
    const n = this.n
    const sc = this.scenarios
    const pnl = this.pnl
    for (let k = 0, j = i; k < this.s; k++, j += n) pnl[k]! += d * sc[j]!
  }

  /** Sets every position value at once (O(n·scenarios)). */
  setValues(values: ArrayLike<number>): void {
    this.values.set(values)
    const n = this.n
    this.pnl.fill(0)
    for (let k = 0; k < this.s; k++) {
      let acc = 0
      const base = k * n
      for (let i = 0; i < n; i++) acc += this.values[i]! * this.scenarios[base + i]!
      this.pnl[k] = acc
    }
  }

  /** Scenario P&L (a view; do not modify). */
  get scenarioPnl(): Float64Array {
    return this.pnl
  }

  /** Historical-simulation VaR and ES of the book. */
  historical(confidence: number): BookRiskResult {
    this.sorted.set(this.pnl)
    this.sorted.sort()
    const q = quantileSorted(this.sorted, 1 - confidence)
    let sum = 0
    let m = 0
    for (let k = 0; k < this.s && this.sorted[k]! <= q; k++) {
      sum += this.sorted[k]!
      m++
    }
    return { method: 'historical', confidence, var: -q, es: -(sum / m) }
  }

  /** Gaussian VaR/ES from the scenario P&L's mean and standard deviation. */
  parametric(confidence: number): BookRiskResult {
    const mu = mean(this.pnl)
    const sd = std(this.pnl)
    const z = normPpf(confidence)
    return { method: 'parametric', confidence, var: z * sd - mu, es: (sd * normPdf(z)) / (1 - confidence) - mu }
  }

  /** Cornish-Fisher VaR and ES from the scenario P&L's first four moments (ES in core's exact closed form). */
  cornishFisher(confidence: number): BookRiskResult {
    const mu = mean(this.pnl)
    const sd = std(this.pnl)
    const sk = skewness(this.pnl)
    const ku = excessKurtosis(this.pnl)
    return {
      method: 'cornishFisher',
      confidence,
      var: cornishFisherVar(mu, sd, sk, ku, confidence),
      es: cornishFisherEs(mu, sd, sk, ku, confidence),
    }
  }
}

/**
 * Monte Carlo VaR/ES of a book with position values `values` and return covariance `cov`, from `paths`
 * multivariate normal draws (Cholesky), seeded for determinism.
 */
export function monteCarloVar(
  values: ArrayLike<number>,
  cov: Matrix,
  confidence: number,
  paths: number,
  seed: number,
): BookRiskResult {
  const n = values.length
  const l = cholesky(cov)
  const rng = new Rng(seed)
  const pnl = new Float64Array(paths)
  const z = new Float64Array(n)
  // P&L = vᵀ L z; precompute u = Lᵀ v so each path costs O(n).
  const u = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    let s = 0
    for (let i = j; i < n; i++) s += l[i]![j]! * values[i]!
    u[j] = s
  }
  for (let p = 0; p < paths; p++) {
    let acc = 0
    for (let j = 0; j < n; j++) {
      z[j] = rng.normal()
      acc += u[j]! * z[j]!
    }
    pnl[p] = acc
  }
  pnl.sort()
  const q = quantileSorted(pnl, 1 - confidence)
  let sum = 0
  let m = 0
  for (let k = 0; k < paths && pnl[k]! <= q; k++) {
    sum += pnl[k]!
    m++
  }
  return { method: 'monteCarlo', confidence, var: -q, es: -(sum / m) }
}
