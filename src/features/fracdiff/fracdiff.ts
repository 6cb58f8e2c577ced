/**
 * Fractional differentiation with a fixed-width window (FFD), López de Prado, "Advances in Financial Machine
 * Learning" (AFML) ch. 5, snippets 5.2–5.3: weights w_0 = 1, w_k = −w_{k−1} (d − k + 1) / k, kept while
 * |w_k| ≥ `threshold`; x̃_t = Σ_{k=0}^{W} w_k x_{t−k}, NaN for the first W bars (no look-ahead).
 */
import { requireParam } from '../../core/index.ts'
import { intParam, numParam } from '../common/params.ts'

/** Options of {@link fracDiff}. */
export interface FracDiffOptions {
  /** Order of differentiation d (0 = the series, 1 = first difference). */
  readonly d: number
  /** Smallest |weight| kept. Default 1e-4. */
  readonly threshold?: number
  /** Hard cap on the number of weights (small d needs many). Default 2000; more throws PARAM_INVALID. */
  readonly maxWidth?: number
}

/** FFD weights w_0 … w_W (w_0 applies to the latest value). */
export function ffdWeights(d: number, threshold = 1e-4, maxWidth = 2000): Float64Array {
  numParam('fracDiff(d)', d, 0, 5)
  numParam('fracDiff(threshold)', threshold, Number.MIN_VALUE, 1)
  intParam('fracDiff(maxWidth)', maxWidth, 1)
  const w = [1]
  for (let k = 1; ; k++) {
    const next = (-w[k - 1]! * (d - k + 1)) / k
    if (Math.abs(next) < threshold) break
    w.push(next)
    requireParam(
      w.length <= maxWidth,
      'fracDiff(threshold)',
      `a threshold that keeps at most ${maxWidth} weights for d=${d}`,
      threshold,
    )
  }
  return Float64Array.from(w)
}

/** Streaming twin of {@link fracDiff}: O(W) per update over a ring buffer of the last W+1 values. */
export class FracDiff {
  readonly weights: Float64Array
  private readonly buf: Float64Array
  private n = 0
  private last = NaN

  constructor(opts: FracDiffOptions) {
    this.weights = ffdWeights(opts.d, opts.threshold, opts.maxWidth)
    this.buf = new Float64Array(this.weights.length)
  }

  /** Adds one value; returns x̃_t (NaN until W+1 values were seen). */
  update(x: number): number {
    const m = this.buf.length
    this.buf[this.n % m] = x
    this.n++
    if (this.n < m) return (this.last = NaN)
    let s = 0
    for (let k = 0; k < m; k++) s += this.weights[k]! * this.buf[(this.n - 1 - k) % m]!
    return (this.last = s)
  }
  get value(): number {
    return this.last
  }
  get isStable(): boolean {
    return this.n >= this.buf.length
  }
  reset(): void {
    this.n = 0
    this.last = NaN
  }
}

/** Fixed-width fractional differentiation of `x`. */
export function fracDiff(x: Float64Array, opts: FracDiffOptions, out?: Float64Array): Float64Array {
  const w = ffdWeights(opts.d, opts.threshold, opts.maxWidth)
  const W = w.length - 1
  const res = out ?? new Float64Array(x.length)
  for (let t = 0; t < x.length; t++) {
    if (t < W) {
      res[t] = NaN
      continue
    }
    let s = 0
    for (let k = 0; k <= W; k++) s += w[k]! * x[t - k]!
    res[t] = s
  }
  return res
}
