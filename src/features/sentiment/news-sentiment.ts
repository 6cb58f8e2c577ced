/**
 * Bar-aligned news sentiment. No look-ahead: an item published at t counts only for bars whose close is at
 * or after t (a bar is seen at its close, so news up to and including that instant is known).
 *
 * At each bar close c the feature gives
 * - `score`: the exponentially decayed mean Σ wᵢ sᵢ / Σ wᵢ over every item with tᵢ ≤ c, with
 *   wᵢ = 2^(−(c − tᵢ)/halfLife) (NaN before the first item);
 * - `count`: the items published since the previous bar's close (for the first bar: since its open), up to c;
 * - `weight`: Σ wᵢ, the decayed number of items, which says how fresh the score is.
 * Each update is O(items in the bar): sums are decayed from the previous close instead of recomputed.
 */
import { KestrelError, type EpochMs, type NewsItem } from '../../core/index.ts'
import { newsSentiment } from './vader.ts'

/** Scored news times, sorted by time: what the feature reads. */
export interface NewsTimeline {
  readonly time: Float64Array
  readonly score: Float64Array
}

/** Sorts items by time and scores each with `score` (default {@link newsSentiment}). */
export function newsTimeline(
  items: readonly NewsItem[],
  score: (item: NewsItem) => number = newsSentiment,
): NewsTimeline {
  const sorted = [...items].sort((a, b) => a.time - b.time)
  const time = new Float64Array(sorted.length)
  const s = new Float64Array(sorted.length)
  sorted.forEach((it, i) => {
    const v = score(it)
    if (!(Number.isFinite(it.time) && Number.isFinite(v)))
      throw new KestrelError(
        'DATA_BAD_ROW',
        `news item ${it.source}/${it.id}: time ${it.time} or score ${v} is not a number`,
        {
          id: it.id,
          source: it.source,
        },
      )
    time[i] = it.time
    s[i] = v
  })
  return { time, score: s }
}

/** Streaming news sentiment over bars (see the file header). */
export class NewsSentiment {
  private next = 0
  private num = 0
  private den = 0
  private last = NaN
  private readonly out = new Float64Array(3)

  constructor(
    private readonly news: NewsTimeline,
    private readonly halfLifeMs: number,
  ) {
    if (!(halfLifeMs > 0))
      throw new KestrelError('PARAM_INVALID', `sentiment: half-life must be > 0 ms, got ${halfLifeMs}`, { halfLifeMs })
  }

  /** Adds the bar opening at `open` and closing at `close`; returns [score, count, weight] (a reused array). */
  update(open: EpochMs, close: EpochMs): Float64Array {
    if (close < this.last)
      throw new KestrelError(
        'PARAM_INVALID',
        `sentiment: bar close ${close} is before the previous close ${this.last}`,
        { close },
      )
    const lower = Number.isNaN(this.last) ? open : this.last
    if (!Number.isNaN(this.last)) {
      const f = 2 ** (-(close - this.last) / this.halfLifeMs)
      this.num *= f
      this.den *= f
    }
    let count = 0
    const { time, score } = this.news
    while (this.next < time.length && time[this.next]! <= close) {
      const t = time[this.next]!
      const w = 2 ** (-(close - t) / this.halfLifeMs)
      this.num += w * score[this.next]!
      this.den += w
      if (t > lower) count++
      this.next++
    }
    this.last = close
    this.out[0] = this.den > 0 ? this.num / this.den : NaN
    this.out[1] = count
    this.out[2] = this.den
    return this.out
  }
}
