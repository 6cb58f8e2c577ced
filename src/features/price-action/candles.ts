/**
 * Candle shape features, one bar at a time (O(1) streaming twins):
 * - range = H − L; rangePct = (H − L) / C; trueRangeNorm = TR / C_{t−1} with TR = max(H, C_{t−1}) − min(L, C_{t−1})
 *   (NaN on the first bar, which has no previous close).
 * - wicks as fractions of the range: upper = (H − max(O, C)) / (H − L), lower = (min(O, C) − L) / (H − L),
 *   body = (C − O) / (H − L) (signed). A bar with H = L has no wick and no body: all three are 0.
 * - gap = ln(O_t / C_{t−1}) (NaN on the first bar).
 */
import { sameLength } from '../common/params.ts'

/** Outputs of {@link CandleFeatures}, in this order. */
export const CANDLE_OUTPUTS = ['range', 'rangePct', 'trueRangeNorm', 'upperWick', 'lowerWick', 'body', 'gap'] as const
/** One of {@link CANDLE_OUTPUTS}. */
export type CandleOutput = (typeof CANDLE_OUTPUTS)[number]

/** Streaming candle features: `update` returns the values in {@link CANDLE_OUTPUTS} order (reused array). */
export class CandleFeatures {
  private prevClose = NaN
  private readonly out = new Float64Array(CANDLE_OUTPUTS.length)

  /** Adds one bar. The returned array is reused by the next call. */
  update(open: number, high: number, low: number, close: number): Float64Array {
    const pc = this.prevClose
    const r = high - low
    const o = this.out
    o[0] = r
    o[1] = r / close
    o[2] = Number.isNaN(pc) ? NaN : (Math.max(high, pc) - Math.min(low, pc)) / pc
    if (r > 0) {
      o[3] = (high - Math.max(open, close)) / r
      o[4] = (Math.min(open, close) - low) / r
      o[5] = (close - open) / r
    } else {
      o[3] = r === 0 ? 0 : NaN
      o[4] = o[3]
      o[5] = o[3]
    }
    o[6] = Math.log(open / pc)
    this.prevClose = close
    return o
  }
  reset(): void {
    this.prevClose = NaN
  }
}

/** Batch candle features over OHLC columns, one array per output. */
export function candleFeatures(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
): Record<CandleOutput, Float64Array> {
  const n = sameLength('candleFeatures', open, high, low, close)
  const cols = CANDLE_OUTPUTS.map(() => new Float64Array(n))
  const s = new CandleFeatures()
  for (let i = 0; i < n; i++) {
    const v = s.update(open[i]!, high[i]!, low[i]!, close[i]!)
    for (let k = 0; k < cols.length; k++) cols[k]![i] = v[k]!
  }
  return Object.fromEntries(CANDLE_OUTPUTS.map((name, k) => [name, cols[k]!])) as Record<CandleOutput, Float64Array>
}
