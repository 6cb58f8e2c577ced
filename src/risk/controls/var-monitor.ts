/**
 * VaR and ES of the live book, recomputed as positions and prices move. Returns of every instrument are
 * sampled into a ring (the scenario set); the book's values go into {@link BookRisk}, whose per-scenario P&L
 * moves in O(scenarios) when one position's value changes. Monte Carlo draws from the scenarios' covariance
 * with a fixed seed, so a run is deterministic.
 */
import { KestrelError, type Matrix } from '../../core/index.ts'
import { BookRisk, monteCarloVar, type BookRiskResult, type VarMethod } from '../var/index.ts'

/** Settings of {@link VarMonitor}. */
export interface VarMonitorOptions {
  readonly method: VarMethod
  readonly confidence: number
  readonly lookback: number
  readonly sampleEveryMs: number
  readonly recomputeEveryMs: number
  readonly paths: number
  readonly seed: number
}

/** Rolling scenario set and book risk over `n` instruments. */
export class VarMonitor {
  private readonly rows: Float64Array
  private filled = 0
  private next = 0
  private readonly prev: Float64Array
  private lastSample = -Infinity
  private lastBuild = -Infinity
  private risk: BookRisk | undefined
  private dirty = true
  private readonly values: Float64Array
  /** The latest result (undefined until enough returns were seen). */
  result: BookRiskResult | undefined

  constructor(
    readonly n: number,
    readonly opts: VarMonitorOptions,
  ) {
    this.rows = new Float64Array(opts.lookback * n)
    this.prev = new Float64Array(n).fill(NaN)
    this.values = new Float64Array(n)
  }

  /** Scenario rows held so far. */
  get scenarios(): number {
    return this.filled
  }

  /** Feeds the current prices (NaN = unknown) and position values; returns the latest VaR/ES or undefined. */
  update(time: number, prices: Float64Array, values: Float64Array): BookRiskResult | undefined {
    const n = this.n
    if (time - this.lastSample >= this.opts.sampleEveryMs) {
      let ok = true
      for (let i = 0; i < n; i++) if (!(this.prev[i]! > 0) || !(prices[i]! > 0)) ok = false
      if (ok) {
        const base = this.next * n
        for (let i = 0; i < n; i++) this.rows[base + i] = prices[i]! / this.prev[i]! - 1
        this.next = (this.next + 1) % this.opts.lookback
        if (this.filled < this.opts.lookback) this.filled++
        this.dirty = true
      }
      let all = true
      for (let i = 0; i < n; i++) {
        if (prices[i]! > 0) this.prev[i] = prices[i]!
        else all = false
      }
      if (all || ok) this.lastSample = time
    }
    if (this.filled < 20) return (this.result = undefined)
    if (this.opts.method === 'monteCarlo') {
      if (this.result === undefined || time - this.lastBuild >= this.opts.recomputeEveryMs) {
        this.lastBuild = time
        this.result = monteCarloVar(values, this.covariance(), this.opts.confidence, this.opts.paths, this.opts.seed)
      }
      return this.result
    }
    if (!this.risk || (this.dirty && time - this.lastBuild >= this.opts.recomputeEveryMs)) {
      // A view of the ring (no copy): once full, the same BookRisk re-reads the rows the ring overwrote.
      if (!this.risk || this.risk.s !== this.filled) this.risk = new BookRisk(this.rows.subarray(0, this.filled * n), n)
      this.risk.setValues(values)
      this.values.set(values)
      this.lastBuild = time
      this.dirty = false
    } else {
      for (let i = 0; i < n; i++) {
        if (values[i] !== this.values[i]) {
          this.risk.setValue(i, values[i]!)
          this.values[i] = values[i]!
        }
      }
    }
    const c = this.opts.confidence
    this.result =
      this.opts.method === 'historical'
        ? this.risk.historical(c)
        : this.opts.method === 'parametric'
          ? this.risk.parametric(c)
          : this.risk.cornishFisher(c)
    return this.result
  }

  /** Sample covariance of the held scenario rows, with a tiny ridge so Cholesky never fails on flat prices. */
  covariance(): Matrix {
    const n = this.n
    const m = this.filled
    if (m < 2) throw new KestrelError('STATE_INVALID', 'VarMonitor: fewer than 2 scenarios')
    const mu = new Float64Array(n)
    for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) mu[i]! += this.rows[k * n + i]! / m
    const cov: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0))
    for (let k = 0; k < m; k++)
      for (let i = 0; i < n; i++) {
        const di = this.rows[k * n + i]! - mu[i]!
        for (let j = 0; j <= i; j++) cov[i]![j]! += (di * (this.rows[k * n + j]! - mu[j]!)) / (m - 1)
      }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) cov[j]![i] = cov[i]![j]!
      cov[i]![i]! += 1e-14
    }
    return cov
  }
}
