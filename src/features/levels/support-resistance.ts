/**
 * Support and resistance from fractal pivots clustered by kernel density. At each bar the pivots confirmed
 * so far (pivot bar within the last `lookback` bars) are clustered into levels ({@link kdeLevels}); the
 * features are the distance from the close to the nearest level above and below, as a fraction of the close,
 * and those levels' strengths. NaN when there is no level on that side. Levels are recomputed only when the
 * pivot set changes, so the cost is O(pivots · grid) per change and O(levels) otherwise.
 */
import { intParam, numParam, sameLength } from '../common/params.ts'
import { kdeLevels, type Level } from './kde.ts'
import { FractalPivots, type Pivot } from './pivots.ts'

/** Options of {@link supportResistance}. */
export interface SupportResistanceOptions {
  /** Bars each side of a pivot. Default 2. */
  readonly n?: number
  /** Pivots older than this many bars are forgotten. Default 500. */
  readonly lookback?: number
  /** Bandwidth as a fraction of the last close; default Silverman's rule over the pivot prices. */
  readonly bandwidthPct?: number
  /** KDE grid size. Default 64. */
  readonly gridSize?: number
}

/** Output names of {@link SupportResistance}, in order. */
export const SR_OUTPUTS = ['distAbove', 'distBelow', 'strengthAbove', 'strengthBelow'] as const

/** Streaming support/resistance features. */
export class SupportResistance {
  readonly n: number
  readonly lookback: number
  private readonly pivots: FractalPivots
  private readonly live: Pivot[] = []
  private levels: Level[] = []
  private t = -1
  private readonly out = new Float64Array(4)

  constructor(private readonly opts: SupportResistanceOptions = {}) {
    this.n = intParam('supportResistance(n)', opts.n ?? 2, 1)
    this.lookback = intParam('supportResistance(lookback)', opts.lookback ?? 500, 2 * this.n + 1)
    if (opts.bandwidthPct !== undefined) numParam('supportResistance(bandwidthPct)', opts.bandwidthPct, 1e-9, 1)
    this.pivots = new FractalPivots(this.n)
  }

  /** Adds a bar; returns [distAbove, distBelow, strengthAbove, strengthBelow] (reused array). */
  update(high: number, low: number, close: number): Float64Array {
    this.t++
    let changed = false
    for (const p of this.pivots.update(high, low)) {
      this.live.push(p)
      changed = true
    }
    while (this.live.length > 0 && this.live[0]!.index <= this.t - this.lookback) {
      this.live.shift()
      changed = true
    }
    if (changed) {
      const prices = this.live.map((p) => p.price)
      const bw = this.opts.bandwidthPct
      this.levels = kdeLevels(prices, {
        bandwidth: bw === undefined ? undefined : bw * close,
        gridSize: this.opts.gridSize,
      })
    }
    let above: Level | undefined
    let below: Level | undefined
    for (const l of this.levels) {
      if (l.price > close) {
        if (above === undefined || l.price < above.price) above = l
      } else if (below === undefined || l.price > below.price) below = l
    }
    const o = this.out
    o[0] = above ? (above.price - close) / close : NaN
    o[1] = below ? (close - below.price) / close : NaN
    o[2] = above ? above.strength : NaN
    o[3] = below ? below.strength : NaN
    return o
  }

  /** The current levels, sorted by price. */
  currentLevels(): readonly Level[] {
    return this.levels
  }
  /** The pivots in the lookback. */
  currentPivots(): readonly Pivot[] {
    return this.live
  }
  reset(): void {
    this.pivots.reset()
    this.live.length = 0
    this.levels = []
    this.t = -1
  }
}

/** Batch support/resistance features over HLC columns. */
export function supportResistance(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  opts: SupportResistanceOptions = {},
): Record<(typeof SR_OUTPUTS)[number], Float64Array> {
  const n = sameLength('supportResistance', high, low, close)
  const s = new SupportResistance(opts)
  const cols = SR_OUTPUTS.map(() => new Float64Array(n))
  for (let i = 0; i < n; i++) {
    const v = s.update(high[i]!, low[i]!, close[i]!)
    for (let k = 0; k < 4; k++) cols[k]![i] = v[k]!
  }
  return { distAbove: cols[0]!, distBelow: cols[1]!, strengthAbove: cols[2]!, strengthBelow: cols[3]! }
}
