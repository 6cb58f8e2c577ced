/**
 * Merging two sorted bar streams into one: the `first` stream wins when both have a bar at the same open
 * time, the output is sorted and unique, and it comes in full chunks of `chunkSize` (the last may be short).
 */
import { allocBarSeries, seriesLength } from '../../../core/index.ts'
import type { BarSeries } from '../../../core/index.ts'

const COLS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const

/** A pull cursor over an async iterable of sorted series. */
class Cursor {
  private it: AsyncIterator<BarSeries>
  private cur: BarSeries | undefined
  private i = 0
  done = false

  constructor(src: AsyncIterable<BarSeries>) {
    this.it = src[Symbol.asyncIterator]()
  }

  /** Loads a non-empty chunk if needed; false when exhausted. */
  async ready(): Promise<boolean> {
    while (!this.done && (!this.cur || this.i >= seriesLength(this.cur))) {
      const r = await this.it.next()
      if (r.done) this.done = true
      else {
        this.cur = r.value
        this.i = 0
      }
    }
    return !this.done
  }

  get time(): number {
    return this.cur!.openTime[this.i]!
  }

  copyTo(out: BarSeries, j: number): void {
    for (const k of COLS) out[k][j] = this.cur![k][this.i]!
    this.i++
  }

  skip(): void {
    this.i++
  }

  async close(): Promise<void> {
    await this.it.return?.()
  }
}

/** Merges two sorted streams (`first` wins ties) into sorted, unique chunks of at most `chunkSize` bars. */
export async function* mergeSorted(
  instrumentId: string,
  timeframe: string,
  first: AsyncIterable<BarSeries>,
  second: AsyncIterable<BarSeries>,
  chunkSize: number,
): AsyncIterable<BarSeries> {
  const a = new Cursor(first)
  const b = new Cursor(second)
  let out = allocBarSeries(instrumentId, timeframe, chunkSize)
  let n = 0
  let last = -Infinity
  try {
    while (true) {
      const ha = await a.ready()
      const hb = await b.ready()
      if (!ha && !hb) break
      let src: Cursor
      if (ha && hb) {
        if (a.time <= b.time) {
          if (a.time === b.time) b.skip()
          src = a
        } else src = b
      } else src = ha ? a : b
      if (src.time === last) {
        src.skip() // a duplicate inside one stream
        continue
      }
      last = src.time
      src.copyTo(out, n++)
      if (n === chunkSize) {
        yield out
        out = allocBarSeries(instrumentId, timeframe, chunkSize)
        n = 0
      }
    }
    if (n > 0) {
      const tail = allocBarSeries(instrumentId, timeframe, n)
      for (const k of COLS) tail[k].set(out[k].subarray(0, n))
      yield tail
    }
  } finally {
    await a.close()
    await b.close()
  }
}

/** Open times of `needles` (sorted stream) that `haystack` (sorted stream) lacks, up to `limit` of them. */
export async function missingFrom(
  needles: AsyncIterable<BarSeries>,
  haystack: AsyncIterable<BarSeries>,
  limit = 10,
): Promise<{ count: number; examples: number[] }> {
  const h = new Cursor(haystack)
  const examples: number[] = []
  let count = 0
  try {
    for await (const s of needles) {
      for (const t of s.openTime) {
        while ((await h.ready()) && h.time < t) h.skip()
        if (!(await h.ready()) || h.time !== t) {
          count++
          if (examples.length < limit) examples.push(t)
        }
      }
    }
  } finally {
    await h.close()
  }
  return { count, examples }
}
