/**
 * Batch resampling of a stream that arrives in chunks (e.g. from the synthetic generator or a chunked file
 * reader): each chunk goes through {@link resample}; the last bar of a chunk is held back and merged with the
 * first bar of the next when they share a bucket, so the concatenated output equals one `resample` over all
 * the data while only one chunk is in memory.
 */
import { resample } from './resample.ts'
import type { ResampledSeries, ResampleInput, ResampleOptions } from './resample.ts'

interface Carry {
  openTime: number
  closeTime: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  count: number
  expected: number
}

/** Resamples chunk by chunk; `push` returns the bars completed so far, `flush` the one held back. */
export class ChunkedResampler {
  /** Input bars outside every session, over all chunks. */
  outsideSession = 0
  private carry: Carry | undefined
  private instrumentId = ''
  private timeframe = ''

  constructor(private readonly opts: ResampleOptions) {}

  /** Resamples one chunk (in time order after the previous ones); returns the bars now known to be whole. */
  push(chunk: ResampleInput): ResampledSeries {
    const r = resample(chunk, this.opts)
    this.outsideSession += r.outsideSession
    this.instrumentId = r.instrumentId
    this.timeframe = r.timeframe
    const n = r.openTime.length
    if (n === 0) return this.series([], undefined, 0, 0, r.outsideSession)
    let lead: Carry | undefined
    if (this.carry && this.carry.openTime === r.openTime[0]) {
      const c = this.carry
      r.open[0] = c.open
      if (c.high > r.high[0]!) r.high[0] = c.high
      if (c.low < r.low[0]!) r.low[0] = c.low
      r.volume[0] += c.volume
      r.count[0] += c.count
    } else lead = this.carry
    this.carry = {
      openTime: r.openTime[n - 1]!,
      closeTime: r.closeTime[n - 1]!,
      open: r.open[n - 1]!,
      high: r.high[n - 1]!,
      low: r.low[n - 1]!,
      close: r.close[n - 1]!,
      volume: r.volume[n - 1]!,
      count: r.count[n - 1]!,
      expected: r.expected[n - 1]!,
    }
    return this.series(lead ? [lead] : [], r, 0, n - 1, r.outsideSession)
  }

  /** Emits the bar held back (end of the stream). */
  flush(): ResampledSeries {
    const c = this.carry
    this.carry = undefined
    return this.series(c ? [c] : [], undefined, 0, 0, 0)
  }

  private series(
    head: Carry[],
    r: ResampledSeries | undefined,
    from: number,
    to: number,
    outside: number,
  ): ResampledSeries {
    const len = head.length + (to - from)
    const out: ResampledSeries = {
      instrumentId: this.instrumentId,
      timeframe: this.timeframe,
      openTime: new Float64Array(len),
      closeTime: new Float64Array(len),
      open: new Float64Array(len),
      high: new Float64Array(len),
      low: new Float64Array(len),
      close: new Float64Array(len),
      volume: new Float64Array(len),
      count: new Uint32Array(len),
      expected: new Uint32Array(len),
      outsideSession: outside,
    }
    const h = head.length
    head.forEach((c, i) => {
      out.openTime[i] = c.openTime
      out.closeTime[i] = c.closeTime
      out.open[i] = c.open
      out.high[i] = c.high
      out.low[i] = c.low
      out.close[i] = c.close
      out.volume[i] = c.volume
      out.count[i] = c.count
      out.expected[i] = c.expected
    })
    if (r) {
      for (const k of [
        'openTime',
        'closeTime',
        'open',
        'high',
        'low',
        'close',
        'volume',
        'count',
        'expected',
      ] as const) {
        ;(out[k] as Float64Array).set((r[k] as Float64Array).subarray(from, to), h)
      }
    }
    return out
  }
}
