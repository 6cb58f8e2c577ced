/**
 * Rolling OLS hedge ratio y = α + β·x over the last `window` points, with the residual standard deviation,
 * in O(1) per update: running sums about an anchor (the window's first x and y when the sums were last
 * rebuilt, so price levels do not cancel), rebuilt from the ring every `window` updates so rounding cannot
 * build up.
 */
import { intParam } from '../common/params.ts'

/** The fit of the current window. */
export interface HedgeFit {
  readonly alpha: number
  readonly beta: number
  /** Residual standard deviation, √(ssr / (n − 2)). */
  readonly sigma: number
}

/** Streaming rolling OLS of y on x. */
export class RollingHedge {
  private readonly xs: Float64Array
  private readonly ys: Float64Array
  private head = 0
  private count = 0
  private sinceRebuild = 0
  private ax = 0
  private ay = 0
  private sx = 0
  private sy = 0
  private sxx = 0
  private sxy = 0
  private syy = 0
  constructor(readonly window: number) {
    intParam('RollingHedge(window)', window, 3)
    this.xs = new Float64Array(window)
    this.ys = new Float64Array(window)
  }
  private add(x: number, y: number, sign: number): void {
    const dx = x - this.ax
    const dy = y - this.ay
    this.sx += sign * dx
    this.sy += sign * dy
    this.sxx += sign * dx * dx
    this.sxy += sign * dx * dy
    this.syy += sign * dy * dy
  }
  private rebuild(): void {
    const w = this.window
    const first = (this.head - this.count + w) % w
    this.ax = this.xs[first]!
    this.ay = this.ys[first]!
    this.sx = this.sy = this.sxx = this.sxy = this.syy = 0
    for (let k = 0; k < this.count; k++) this.add(this.xs[(first + k) % w]!, this.ys[(first + k) % w]!, 1)
    this.sinceRebuild = 0
  }
  /** Adds a point, dropping the oldest once the window is full. */
  update(x: number, y: number): void {
    const w = this.window
    if (this.count === w) this.add(this.xs[this.head]!, this.ys[this.head]!, -1)
    else this.count++
    this.xs[this.head] = x
    this.ys[this.head] = y
    this.head = (this.head + 1) % w
    this.add(x, y, 1)
    if (++this.sinceRebuild >= w) this.rebuild()
  }
  /** True once the window is full. */
  get isStable(): boolean {
    return this.count === this.window
  }
  /** The fit of the points in the window (NaN until it holds 3 points with x not constant). */
  fit(): HedgeFit {
    const n = this.count
    const vxx = this.sxx - (this.sx * this.sx) / n
    if (n < 3 || !(vxx > 0)) return { alpha: NaN, beta: NaN, sigma: NaN }
    const vxy = this.sxy - (this.sx * this.sy) / n
    const vyy = this.syy - (this.sy * this.sy) / n
    const beta = vxy / vxx
    const alpha = this.ay + this.sy / n - beta * (this.ax + this.sx / n)
    const ssr = Math.max(0, vyy - beta * vxy)
    return { alpha, beta, sigma: Math.sqrt(ssr / (n - 2)) }
  }
}
