/**
 * Rolling-window sums shared by batch kernels and their streaming twins. Both call the same `push`, so the
 * two agree bit for bit; the sums are recomputed exactly from the ring buffer once per window length, so
 * floating-point drift stays bounded on long series at amortised O(1) per update.
 */

/** A ring buffer of the last `size` values with running sum and sum of squares; NaN values are counted. */
export class RollingSum {
  readonly size: number
  private readonly buf: Float64Array
  private head = 0
  private n = 0
  private nan = 0
  private s = 0
  private s2 = 0
  private sinceExact = 0

  constructor(size: number) {
    this.size = size
    this.buf = new Float64Array(size)
  }

  /** Adds `x`, dropping the oldest value once full. */
  push(x: number): void {
    if (this.n === this.size) {
      const old = this.buf[this.head]!
      if (Number.isNaN(old)) this.nan--
      else {
        this.s -= old
        this.s2 -= old * old
      }
    } else this.n++
    this.buf[this.head] = x
    this.head = (this.head + 1) % this.size
    if (Number.isNaN(x)) this.nan++
    else {
      this.s += x
      this.s2 += x * x
    }
    if (++this.sinceExact >= this.size) this.recompute()
  }

  private recompute(): void {
    let s = 0
    let s2 = 0
    for (let i = 0; i < this.n; i++) {
      const v = this.buf[i]!
      if (!Number.isNaN(v)) {
        s += v
        s2 += v * v
      }
    }
    this.s = s
    this.s2 = s2
    this.sinceExact = 0
  }

  /** True once `size` values were pushed. */
  get full(): boolean {
    return this.n === this.size
  }
  /** Number of values held. */
  get count(): number {
    return this.n
  }
  /** Number of NaN values in the window. */
  get nanCount(): number {
    return this.nan
  }
  get sum(): number {
    return this.s
  }
  get sumSq(): number {
    return this.s2
  }
  /** Mean of the window (NaN if any value is NaN or it is not full). */
  mean(): number {
    return this.full && this.nan === 0 ? this.s / this.n : NaN
  }
  /** Variance with `ddof` (0 population, 1 sample); NaN if any value is NaN or not full. */
  variance(ddof = 1): number {
    if (!this.full || this.nan !== 0 || this.n - ddof <= 0) return NaN
    const m = this.s / this.n
    const v = (this.s2 - this.n * m * m) / (this.n - ddof)
    return v < 0 ? 0 : v
  }
  /** The i-th oldest value in the window (0 = oldest). */
  at(i: number): number {
    const start = this.n === this.size ? this.head : 0
    return this.buf[(start + i) % this.size]!
  }
  reset(): void {
    this.head = 0
    this.n = 0
    this.nan = 0
    this.s = 0
    this.s2 = 0
    this.sinceExact = 0
    this.buf.fill(0)
  }
}

/** Rolling sums of x, y, x², y², xy over paired values, for covariance, correlation and regression slopes. */
export class RollingPairs {
  private readonly xs: RollingSum
  private readonly ys: RollingSum
  private readonly xy: RollingSum

  constructor(readonly size: number) {
    this.xs = new RollingSum(size)
    this.ys = new RollingSum(size)
    this.xy = new RollingSum(size)
  }

  /** Adds the pair (x, y). */
  push(x: number, y: number): void {
    this.xs.push(x)
    this.ys.push(y)
    this.xy.push(x * y)
  }

  get full(): boolean {
    return this.xs.full
  }

  private ok(): boolean {
    return this.xs.full && this.xs.nanCount === 0 && this.ys.nanCount === 0
  }

  /** Sample covariance (n−1). */
  covariance(): number {
    if (!this.ok()) return NaN
    const n = this.size
    return (this.xy.sum - (this.xs.sum * this.ys.sum) / n) / (n - 1)
  }
  /** Sample variance of x. */
  varX(): number {
    return this.ok() ? this.xs.variance(1) : NaN
  }
  /** Sample variance of y. */
  varY(): number {
    return this.ok() ? this.ys.variance(1) : NaN
  }
  /** Slope of the OLS regression of y on x (with intercept): cov(x, y) / var(x). */
  slope(): number {
    const v = this.varX()
    return v > 0 ? this.covariance() / v : NaN
  }
  /** Pearson correlation; NaN when either variance is 0. */
  correlation(): number {
    const vx = this.varX()
    const vy = this.varY()
    return vx > 0 && vy > 0 ? this.covariance() / Math.sqrt(vx * vy) : NaN
  }
  reset(): void {
    this.xs.reset()
    this.ys.reset()
    this.xy.reset()
  }
}
