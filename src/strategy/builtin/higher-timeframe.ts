/**
 * The closes of a higher timeframe as a strategy sees them, closed bars only. When the engine feeds the strategy
 * that timeframe (it is among `ctx.timeframes`), its bars are used as they arrive; otherwise the strategy's base
 * bars are aggregated into buckets of that length aligned on the epoch (a 15m bucket holds the base bars that
 * open in [k·15m, (k+1)·15m)). A bucket is closed by the base bar that ends on its boundary, or, when the data
 * has a gap there, by the first base bar of a later bucket: never before its last bar has closed.
 */
import { KestrelError, parseTimeframe, type Bar } from '../../core/index.ts'

/** Handed each closed higher-timeframe bar: its close and close time. */
export type HigherCloseHandler = (instrumentId: string, close: number, closeTime: number) => void

/** One instrument's open bucket. */
interface Bucket {
  id: number
  close: number
  closeTime: number
}

/** Routes a strategy's bars to the closes of its higher timeframe (see the module comment). */
export class HigherTimeframe {
  /** The higher timeframe in canonical form (`15m`). */
  readonly timeframe: string
  /** True when the engine feeds that timeframe, false when base bars are aggregated. */
  readonly fed: boolean
  private readonly ms: number
  private readonly open = new Map<string, Bucket>()

  constructor(
    strategy: string,
    timeframe: string,
    private readonly base: string,
    subscribed: readonly string[],
    private readonly onClose: HigherCloseHandler,
  ) {
    const tf = parseTimeframe(timeframe)
    const b = parseTimeframe(base)
    if (tf.ms <= b.ms)
      throw new KestrelError(
        'PARAM_INVALID',
        `${strategy} higherTimeframe: ${tf.text} must be longer than the base timeframe ${b.text}`,
        { strategy, higherTimeframe: tf.text, base: b.text },
      )
    if (tf.ms % b.ms !== 0)
      throw new KestrelError(
        'PARAM_INVALID',
        `${strategy} higherTimeframe: ${tf.text} must be a whole number of ${b.text} bars`,
        { strategy, higherTimeframe: tf.text, base: b.text },
      )
    this.timeframe = tf.text
    this.ms = tf.ms
    this.fed = subscribed.some((t) => parseTimeframe(t).text === tf.text)
  }

  /** Feeds one bar of any of the strategy's timeframes; true when it was a base bar (the caller decides on it). */
  onBar(bar: Bar): boolean {
    if (bar.timeframe === this.timeframe && this.fed) {
      this.onClose(bar.instrumentId, bar.close, bar.closeTime)
      return false
    }
    if (bar.timeframe !== this.base) return false
    if (this.fed) return true
    const id = Math.floor(bar.openTime / this.ms)
    const cur = this.open.get(bar.instrumentId)
    if (cur && cur.id !== id) {
      this.open.delete(bar.instrumentId)
      this.onClose(bar.instrumentId, cur.close, cur.closeTime)
    }
    if (bar.closeTime >= (id + 1) * this.ms) {
      this.open.delete(bar.instrumentId)
      this.onClose(bar.instrumentId, bar.close, bar.closeTime)
    } else this.open.set(bar.instrumentId, { id, close: bar.close, closeTime: bar.closeTime })
    return true
  }
}
