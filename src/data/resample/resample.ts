/**
 * Batch resampling of bars (typically 1-minute) to a higher, session-aligned timeframe in one pass over
 * typed arrays. OHLCV: first open, max high, min low, last close, summed volume. A bar is built only from the
 * input bars that exist; `count` says how many minutes were present and `expected` how many the interval
 * spans, so gaps stay visible. Input bars outside every session are not aggregated: they are counted in
 * `outsideSession` (or rejected with `outside: 'error'`).
 */
import { KestrelError, MS, parseTimeframe } from '../../core/index.ts'
import type { AnyTimeframe, BarSeries } from '../../core/index.ts'
import { SessionBucketer } from './session-bucketer.ts'
import type { CalendarLike } from './session-bucketer.ts'

/** A resampled series: bars plus the coverage of each. */
export interface ResampledSeries extends BarSeries {
  /** Minutes of input present in each bar. */
  readonly count: Uint32Array
  /**
   * Session minutes the bar's interval spans ((closeTime − openTime) / 1m within a session; the sum of its
   * sessions' minutes for `1w` and `1mo`); `count < expected` marks a gap.
   */
  readonly expected: Uint32Array
  /** Input bars that fell outside every session and were left out (e.g. pre-market bars with `NYSE`). */
  readonly outsideSession: number
}

/** Options of {@link resample}. */
export interface ResampleOptions {
  /**
   * Target timeframe, a multiple of the input's: `5m`, `15m`, `1h`, `4h`, `1d` (one bar per session), `1w`
   * (the sessions of an ISO week), `1mo` (the sessions of a calendar month).
   */
  readonly to: string | AnyTimeframe
  /** Calendar whose sessions align the bars. */
  readonly calendar: CalendarLike
  /** What to do with input bars outside every session: leave them out and count them (default), or throw. */
  readonly outside?: 'skip' | 'error'
}

/** Input of {@link resample}: any bar series; a resampled one carries its own `count`. */
export type ResampleInput = BarSeries & { readonly count?: Uint32Array }

/** Minutes one input bar stands for, from its timeframe (1 for `1m`; a month is refused: it is no input). */
export function inputMinutes(timeframe: string): number {
  const tf = parseTimeframe(timeframe)
  return Math.max(1, Math.round(tf.ms / 60_000))
}

/**
 * Checks that `to` is a whole multiple of the input timeframe (always true for per-session `1d`; `1w` and
 * `1mo` need daily or finer input).
 */
export function checkMultiple(from: string, b: SessionBucketer): void {
  const f = parseTimeframe(from)
  if (b.span === 'week' || b.span === 'month') {
    if (f.ms > MS.day)
      throw new KestrelError(
        'PARAM_INVALID',
        `resample ${from} → ${b.timeframe.text}: the input must be daily or finer (1d, 1h, 1m …)`,
        { from, to: b.timeframe.text },
      )
    return
  }
  if (b.perSession) return
  const to = b.timeframe.ms ?? NaN
  if (to % f.ms !== 0 || to < f.ms) {
    throw new KestrelError(
      'PARAM_INVALID',
      `resample ${from} → ${b.timeframe.text}: target must be a multiple of ${from}`,
      {
        from,
        to: b.timeframe.text,
      },
    )
  }
}

/** Resamples `input` to `opts.to` aligned to `opts.calendar`'s sessions. */
export function resample(input: ResampleInput, opts: ResampleOptions): ResampledSeries {
  const b = new SessionBucketer(opts.calendar, opts.to, input.timeframe)
  checkMultiple(input.timeframe, b)
  const perBar = inputMinutes(input.timeframe)
  const strict = opts.outside === 'error'
  const { openTime, open, high, low, close, volume } = input
  const inCount = input.count
  const n = openTime.length

  let cap = Math.max(16, Math.ceil((n * perBar * 60_000) / b.nominalMs) + 64)
  let oT = new Float64Array(cap)
  let cT = new Float64Array(cap)
  let oO = new Float64Array(cap)
  let oH = new Float64Array(cap)
  let oL = new Float64Array(cap)
  let oC = new Float64Array(cap)
  let oV = new Float64Array(cap)
  let oN = new Uint32Array(cap)
  let oE = new Uint32Array(cap)

  let k = -1
  let curStart = NaN
  let fastFrom = NaN
  let fastTo = NaN
  let prevT = -Infinity
  let outside = 0
  for (let i = 0; i < n; i++) {
    const t = openTime[i]!
    if (!(t > prevT)) {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${input.instrumentId || 'series'} bar ${i}: open time ${new Date(t).toISOString()} is not after the previous bar's`,
        { index: i, openTime: t, previous: prevT },
      )
    }
    prevT = t
    if (t < fastTo && t >= fastFrom) {
      // Fast path: still inside the current bucket, in the same session.
      const m = inCount ? inCount[i]! : perBar
      const h = high[i]!
      const l = low[i]!
      if (h > oH[k]!) oH[k] = h
      if (l < oL[k]!) oL[k] = l
      oC[k] = close[i]!
      oV[k] += volume[i]!
      oN[k] += m
      continue
    }
    if (!b.locate(t)) {
      if (strict) {
        throw new KestrelError(
          'DATA_BAD_ROW',
          `${input.instrumentId || 'series'} bar ${i}: ${new Date(t).toISOString()} is outside the ${b.calendar.id} sessions`,
          { index: i, openTime: t, calendar: b.calendar.id },
        )
      }
      outside++
      continue
    }
    const m = inCount ? inCount[i]! : b.byDate ? b.sessionMinutes : perBar
    if (!b.byDate) {
      fastFrom = b.fastFrom
      fastTo = b.fastTo
    }
    if (k >= 0 && b.start === curStart) {
      // Another session of the current (week or month) bucket.
      const h = high[i]!
      const l = low[i]!
      if (h > oH[k]!) oH[k] = h
      if (l < oL[k]!) oL[k] = l
      oC[k] = close[i]!
      oV[k] += volume[i]!
      oN[k] += m
      continue
    }
    // A new bucket (bars are in time order, so a bucket never reopens).
    k++
    if (k === cap) {
      cap *= 2
      oT = grow(oT, cap)
      cT = grow(cT, cap)
      oO = grow(oO, cap)
      oH = grow(oH, cap)
      oL = grow(oL, cap)
      oC = grow(oC, cap)
      oV = grow(oV, cap)
      oN = growU32(oN, cap)
      oE = growU32(oE, cap)
    }
    curStart = b.start
    oT[k] = curStart
    cT[k] = b.end
    oO[k] = open[i]!
    oH[k] = high[i]!
    oL[k] = low[i]!
    oC[k] = close[i]!
    oV[k] = volume[i]!
    oN[k] = m
    oE[k] = b.expected
  }
  const len = k + 1
  // Trim to length: a view when the estimate was close (no copy), else a copy that frees the slack.
  const tight = len >= cap * 0.75
  const fit = <A extends Float64Array | Uint32Array>(a: A): A => (tight ? a.subarray(0, len) : a.slice(0, len)) as A
  return {
    instrumentId: input.instrumentId,
    timeframe: b.timeframe.text,
    openTime: fit(oT),
    closeTime: fit(cT),
    open: fit(oO),
    high: fit(oH),
    low: fit(oL),
    close: fit(oC),
    volume: fit(oV),
    count: fit(oN),
    expected: fit(oE),
    outsideSession: outside,
  }
}

function growU32(a: Uint32Array, cap: number): Uint32Array<ArrayBuffer> {
  const g = new Uint32Array(cap)
  g.set(a)
  return g
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const g = new Float64Array(cap)
  g.set(a)
  return g
}
