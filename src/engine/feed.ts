/**
 * Per (instrument, timeframe) state inside the kernel: the history ring, the indicators registered on it and
 * the strategies subscribed to it. Resolved once, so the hot path does no map lookups.
 */
import { KestrelError, allocBarSeries, isoUtc } from '../core/index.ts'
import type { Bar, BarSeries, EpochMs, Instrument } from '../core/index.ts'
import type { StreamingIndicator, BarInput } from '../features/index.ts'
import type { IndicatorInput, StrategyHandlers } from '../strategy/index.ts'
import type { InstrumentBook } from '../portfolio/index.ts'
import type { SimulatedVenue } from '../execution/index.ts'
import { strategyError } from './strategy-errors.ts'

const EMPTY: Float64Array = new Float64Array(0)

/** An indicator bound to a feed. */
export interface BoundIndicator {
  readonly indicator: StreamingIndicator<number, unknown> | StreamingIndicator<BarInput, unknown>
  readonly input: IndicatorInput
  /** The strategy that registered it: an exception in its update names that strategy and the user's line. */
  readonly strategyId?: string
}

/** One instrument × timeframe stream of bars. */
export class FeedState {
  readonly indicators: BoundIndicator[] = []
  readonly handlers: StrategyHandlers[] = []
  /** True when the venue matches this instrument on this timeframe. */
  execution = false
  /**
   * True when this feed's closes mark the instrument (its finest bar feed). A coarser feed of the same
   * instrument is data for strategies only: it neither marks the portfolio nor adds a sample to the curves.
   */
  marks = false
  /** The simulated venue of the instrument, when it has one (resolved once). */
  venue: SimulatedVenue | undefined
  /**
   * The bar delivered from columns: one object per feed, rewritten for each bar (every field, before anyone
   * reads it), so a columnar run allocates nothing per bar.
   */
  readonly bar: { -readonly [K in keyof Bar]: Bar[K] }
  /**
   * The history, one column per field (open time, close time, open, high, low, close, volume), slot
   * `count % capacity` holding bar number `count`. Written inline rather than on core's `Ring`: seven
   * `Ring.push` calls (each keeping its undo state) doubled the CPU time of the bar path.
   */
  private readonly ring: Float64Array[]
  private count = 0

  constructor(
    readonly instrument: Instrument,
    readonly timeframe: string,
    readonly book: InstrumentBook,
    readonly capacity: number,
  ) {
    this.ring = Array.from({ length: 7 }, () => new Float64Array(Math.max(1, capacity)))
    this.bar = {
      instrumentId: instrument.id,
      timeframe,
      openTime: NaN,
      closeTime: NaN,
      open: NaN,
      high: NaN,
      low: NaN,
      close: NaN,
      volume: NaN,
    }
  }

  /** {@link bar} set to bar `i` of `s`, closing at `closeTime`. */
  barAt(s: BarSeries, i: number, closeTime: EpochMs): Bar {
    // The chunk's columns are looked up once per chunk: series objects come in several shapes.
    if (s !== this.chunk) this.load(s)
    const b = this.bar
    b.instrumentId = this.instrument.id
    b.timeframe = this.timeframe
    b.openTime = this.cOpenTime[i]!
    b.closeTime = closeTime
    b.open = this.cOpen[i]!
    b.high = this.cHigh[i]!
    b.low = this.cLow[i]!
    b.close = this.cClose[i]!
    b.volume = this.cVolume[i]!
    return b
  }

  private chunk: BarSeries | undefined
  private cOpenTime = EMPTY
  private cOpen = EMPTY
  private cHigh = EMPTY
  private cLow = EMPTY
  private cClose = EMPTY
  private cVolume = EMPTY

  private load(s: BarSeries): void {
    this.chunk = s
    this.cOpenTime = s.openTime
    this.cOpen = s.open
    this.cHigh = s.high
    this.cLow = s.low
    this.cClose = s.close
    this.cVolume = s.volume
  }

  /** Remembers a bar in the history ring. */
  push(bar: Bar): void {
    const i = this.count % this.capacity
    const r = this.ring
    r[0]![i] = bar.openTime
    r[1]![i] = bar.closeTime
    r[2]![i] = bar.open
    r[3]![i] = bar.high
    r[4]![i] = bar.low
    r[5]![i] = bar.close
    r[6]![i] = bar.volume
    this.count++
  }

  /** Feeds every registered indicator (before any strategy sees the bar). */
  updateIndicators(bar: Bar): void {
    const ind = this.indicators
    let k = 0
    try {
      for (; k < ind.length; k++) this.updateOne(ind[k]!, bar)
    } catch (e) {
      // A strategy's own indicator (or input function) threw: say whose, which indicator, at which bar, where.
      const b = ind[k]!
      const name = (b.indicator as { constructor?: { name?: string } }).constructor?.name || 'indicator'
      const when = `on the ${bar.instrumentId} ${bar.timeframe} bar closing ${isoUtc(bar.closeTime)}`
      throw strategyError(b.strategyId ?? 'unknown', `indicator ${name}.update`, when, e)
    }
  }

  private updateOne(b: BoundIndicator, bar: Bar): void {
    const inp = b.input
    if (inp === 'close') (b.indicator as StreamingIndicator<number, unknown>).update(bar.close)
    else if (inp === 'bar')
      (b.indicator as StreamingIndicator<BarInput, unknown>).update({
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        time: bar.openTime,
      })
    else (b.indicator as StreamingIndicator<number, unknown>).update(typeof inp === 'function' ? inp(bar) : bar[inp])
  }

  /** Volume of the last bar pushed (NaN before the first), read from the history without copying it. */
  lastVolume(): number {
    return this.count === 0 ? NaN : this.ring[6]![(this.count - 1) % this.capacity]!
  }

  /** The last `n` bars, oldest first. */
  history(n: number): BarSeries {
    if (!(n >= 0) || !Number.isInteger(n)) {
      throw new KestrelError(
        'PARAM_INVALID',
        `history(${this.instrument.id}, ${this.timeframe}, n): expected an integer >= 0, got ${n}`,
      )
    }
    if (n > this.capacity) {
      throw new KestrelError(
        'PARAM_INVALID',
        `history(${this.instrument.id}, ${this.timeframe}, ${n}): only ${this.capacity} bars are kept; raise historySize`,
      )
    }
    const count = this.count
    const m = Math.min(n, count)
    const s = allocBarSeries(this.instrument.id, this.timeframe, m)
    const cols = [s.openTime, s.closeTime, s.open, s.high, s.low, s.close, s.volume]
    for (let c = 0; c < 7; c++) {
      const col = cols[c]!
      const ring = this.ring[c]!
      for (let j = 0; j < m; j++) col[j] = ring[(count - m + j) % this.capacity]!
    }
    return s
  }
}
