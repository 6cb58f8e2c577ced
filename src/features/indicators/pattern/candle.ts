/**
 * The machinery every candlestick pattern (TA-Lib's CDL functions) shares: TA-Lib's candle settings (what "long
 * body", "doji body", "very short shadow", "near" mean, each an average of one range type over the previous bars
 * times a factor) kept as rolling totals exactly as TA-Lib's C keeps them, and {@link defineCandle}, which turns a
 * pattern's rule into a registry entry.
 *
 * A pattern names the averages it reads as (setting, bars back) pairs. For the bar `k` bars back the total covers
 * the `period` bars before it. As in TA-Lib, each total is first summed oldest bar first over the window of the
 * first bar with an output (bar = lookback), then moved on after every output by `total += new − old`; the same
 * additions in the same order, so the averages, and every comparison made with them, equal TA-Lib's to the bit.
 * The batch kernel feeds the bars one by one to the very {@link CandleState} the streaming twin holds, so the two
 * agree by construction. Outputs: 0 for no pattern, ±100 (bullish / bearish; some patterns ±80 or ±200 for a
 * weaker or confirmed signal), NaN inside the lookback.
 */
import { Ring } from '../../../core/index.ts'
import { checkInputs, nanFill, outArray, pReal } from '../checks.ts'
import { defineIndicator } from '../define.ts'
import type { IndicatorDef } from '../types.ts'
import { max, min } from './macros.ts'

/** What a candle setting averages: the real body, the high-low range, or the two shadows together. */
export type CandleRangeType = 'body' | 'highlow' | 'shadows'

/** One candle setting: an average of `range` over the previous `period` bars (the bar itself when 0), times `factor`. */
export interface CandleSetting {
  readonly range: CandleRangeType
  readonly period: number
  readonly factor: number
}

/** TA-Lib's default candle settings. */
export const CANDLE_SETTINGS = {
  /** A body longer than the average body of the previous 10 bars. */
  bodyLong: { range: 'body', period: 10, factor: 1.0 },
  /** A body longer than 3 times the average body of the previous 10 bars. */
  bodyVeryLong: { range: 'body', period: 10, factor: 3.0 },
  /** A body shorter than the average body of the previous 10 bars. */
  bodyShort: { range: 'body', period: 10, factor: 1.0 },
  /** A body shorter than 10% of the average high-low range of the previous 10 bars. */
  bodyDoji: { range: 'highlow', period: 10, factor: 0.1 },
  /** A shadow longer than the bar's own body. */
  shadowLong: { range: 'body', period: 0, factor: 1.0 },
  /** A shadow longer than twice the bar's own body. */
  shadowVeryLong: { range: 'body', period: 0, factor: 2.0 },
  /** A shadow shorter than half the average sum of shadows of the previous 10 bars. */
  shadowShort: { range: 'shadows', period: 10, factor: 1.0 },
  /** A shadow shorter than 10% of the average high-low range of the previous 10 bars. */
  shadowVeryShort: { range: 'highlow', period: 10, factor: 0.1 },
  /** A distance within 20% of the average high-low range of the previous 5 bars. */
  near: { range: 'highlow', period: 5, factor: 0.2 },
  /** A distance of at least 60% of the average high-low range of the previous 5 bars. */
  far: { range: 'highlow', period: 5, factor: 0.6 },
  /** A distance within 5% of the average high-low range of the previous 5 bars. */
  equal: { range: 'highlow', period: 5, factor: 0.05 },
} as const satisfies Record<string, CandleSetting>

/** Name of a candle setting. */
export type CandleSettingName = keyof typeof CANDLE_SETTINGS

/** An average a pattern reads: a setting, measured for the bar this many bars back (0 = the newest). */
export type CandleAverage = readonly [CandleSettingName, number]

/** A candlestick pattern's rule, given once; {@link defineCandle} makes its batch kernel and streaming twin. */
export interface CandlePattern {
  /** TA-Lib name in lower case (`cdldoji`). */
  readonly name: string
  readonly description: string
  /** TA-Lib's lookback: bars before the first output. */
  readonly lookback: number
  /** The averages {@link CandleState.avg} can read, by index. */
  readonly averages: readonly CandleAverage[]
  /** TA-Lib's default penetration when the pattern takes one. */
  readonly penetration?: number
  /** Number of numbers of memory the rule keeps between bars (HIKKAKE's pending pattern). */
  readonly memory?: number
  /**
   * Bars before the lookback on which TA-Lib already runs the rule, for its memory only (HIKKAKE: 3); the totals
   * start their first window there.
   */
  readonly warmup?: number
  /** The output at the newest bar: 0, or a signed 80, 100 or 200. */
  detect(c: CandleState, penetration: number): number
}

function rangeOf(type: CandleRangeType, o: number, h: number, l: number, c: number): number {
  switch (type) {
    case 'body':
      return Math.abs(c - o)
    case 'highlow':
      return h - l
    default:
      return h - (c >= o ? c : o) + ((c >= o ? o : c) - l)
  }
}

/**
 * The bars a pattern looks at (the last lookback + 1) and its rolling totals; the read side is what a rule uses:
 * `k` counts bars back from the newest. Fields the Stepper's snapshot must restore are public; the fixed
 * configuration is private (`#`) so the snapshot leaves it alone.
 */
export class CandleState {
  readonly opens: Ring
  readonly highs: Ring
  readonly lows: Ring
  readonly closes: Ring
  /** The rolling totals, one per entry of the pattern's averages. */
  readonly totals: Float64Array
  /** The rule's memory between bars. */
  readonly mem: Float64Array
  /** Bars fed so far; the newest is bar number `count − 1`. */
  count = 0
  /** The output at the newest bar (NaN inside the lookback). */
  out = NaN
  readonly #pattern: CandlePattern
  readonly #settings: readonly CandleSetting[]
  readonly #offsets: readonly number[]
  readonly #penetration: number

  constructor(pattern: CandlePattern, penetration: number) {
    const depth = pattern.lookback + 1
    this.opens = new Ring(depth)
    this.highs = new Ring(depth)
    this.lows = new Ring(depth)
    this.closes = new Ring(depth)
    this.totals = new Float64Array(pattern.averages.length)
    this.mem = new Float64Array(pattern.memory ?? 0)
    this.#pattern = pattern
    this.#settings = pattern.averages.map(([s]) => CANDLE_SETTINGS[s])
    this.#offsets = pattern.averages.map(([, k]) => k)
    this.#penetration = penetration
  }

  /** Feeds one bar: evaluates the rule from the lookback on, and moves the totals on. */
  feed(o: number, h: number, l: number, c: number): void {
    this.opens.push(o)
    this.highs.push(h)
    this.lows.push(l)
    this.closes.push(c)
    const t = this.count++
    const lb = this.#pattern.lookback
    const start = lb - (this.#pattern.warmup ?? 0)
    const settings = this.#settings
    const offsets = this.#offsets
    if (t < start) {
      // the first window of each total: the `period` bars before its bar at the first evaluation, oldest first
      for (let j = 0; j < settings.length; j++) {
        const s = settings[j]!
        if (s.period > 0 && t >= start - s.period) this.totals[j]! += this.range(s.range, offsets[j]!)
      }
      this.out = NaN
      return
    }
    const v = this.#pattern.detect(this, this.#penetration)
    // + 0 turns a −0 (−colour · 0) into 0
    this.out = t >= lb ? v + 0 : NaN
    for (let j = 0; j < settings.length; j++) {
      const s = settings[j]!
      const k = offsets[j]!
      if (s.period > 0) this.totals[j]! += this.range(s.range, k) - this.range(s.range, k + s.period)
    }
  }

  /** Number of the newest bar (0-based since the start). */
  get bar(): number {
    return this.count - 1
  }
  /** Open `k` bars back. */
  o(k: number): number {
    return this.opens.ago(k)
  }
  /** High `k` bars back. */
  h(k: number): number {
    return this.highs.ago(k)
  }
  /** Low `k` bars back. */
  l(k: number): number {
    return this.lows.ago(k)
  }
  /** Close `k` bars back. */
  c(k: number): number {
    return this.closes.ago(k)
  }
  /** Real body |close − open| `k` bars back. */
  body(k: number): number {
    return Math.abs(this.c(k) - this.o(k))
  }
  /** Upper shadow `k` bars back. */
  upper(k: number): number {
    const o = this.o(k)
    const c = this.c(k)
    return this.h(k) - (c >= o ? c : o)
  }
  /** Lower shadow `k` bars back. */
  lower(k: number): number {
    const o = this.o(k)
    const c = this.c(k)
    return (c >= o ? o : c) - this.l(k)
  }
  /** High − low `k` bars back. */
  hl(k: number): number {
    return this.h(k) - this.l(k)
  }
  /** 1 for a white (close ≥ open) candle `k` bars back, −1 for a black one. */
  color(k: number): 1 | -1 {
    return this.c(k) >= this.o(k) ? 1 : -1
  }
  /** Top of the real body `k` bars back. */
  bodyTop(k: number): number {
    return max(this.o(k), this.c(k))
  }
  /** Bottom of the real body `k` bars back. */
  bodyBottom(k: number): number {
    return min(this.o(k), this.c(k))
  }
  /** The real body `a` bars back lies above the real body `b` bars back (TA-Lib's real-body gap up). */
  bodyGapUp(a: number, b: number): boolean {
    return min(this.o(a), this.c(a)) > max(this.o(b), this.c(b))
  }
  /** The real body `a` bars back lies below the real body `b` bars back. */
  bodyGapDown(a: number, b: number): boolean {
    return max(this.o(a), this.c(a)) < min(this.o(b), this.c(b))
  }
  /** The candle `a` bars back lies above the candle `b` bars back (low over high). */
  gapUp(a: number, b: number): boolean {
    return this.l(a) > this.h(b)
  }
  /** The candle `a` bars back lies below the candle `b` bars back (high under low). */
  gapDown(a: number, b: number): boolean {
    return this.h(a) < this.l(b)
  }
  /** The range of `type` `k` bars back. */
  range(type: CandleRangeType, k: number): number {
    return rangeOf(type, this.o(k), this.h(k), this.l(k), this.c(k))
  }
  /**
   * Average `j` of the pattern (its setting, for the bar its offset names): factor · total / period (the bar's own
   * range when the period is 0), halved for the shadows type; TA-Lib's arithmetic, in its order.
   */
  avg(j: number): number {
    const s = this.#settings[j]!
    const base = s.period !== 0 ? this.totals[j]! / s.period : this.range(s.range, this.#offsets[j]!)
    return (s.factor * base) / (s.range === 'shadows' ? 2.0 : 1.0)
  }
}

/** Batch kernel of a pattern: feeds every bar to one {@link CandleState}; NaN inside the lookback. */
export function candleKernel(
  pattern: CandlePattern,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  penetration = pattern.penetration ?? 0,
  out?: Float64Array,
): Float64Array {
  const n = checkInputs(pattern.name, ['open', open], ['high', high], ['low', low], ['close', close])
  const o = outArray(pattern.name, n, out)
  const s = new CandleState(pattern, penetration)
  for (let i = 0; i < n; i++) {
    s.feed(open[i]!, high[i]!, low[i]!, close[i]!)
    o[i] = s.out
  }
  nanFill(o, 0, pattern.lookback)
  return o
}

/** The registry entry of a pattern: inputs open, high, low, close; output `integer`; `penetration` if it takes one. */
export function defineCandle(pattern: CandlePattern): IndicatorDef {
  const pen = pattern.penetration
  return defineIndicator({
    name: pattern.name,
    description: pattern.description,
    inputs: ['open', 'high', 'low', 'close'],
    params: pen === undefined ? [] : [pReal('penetration', pen, 0, 3e37)],
    outputs: ['integer'],
    lookback: () => pattern.lookback,
    make: (p) => new CandleState(pattern, p[0] ?? 0),
    feed: (s, b) => s.feed(b.open, b.high, b.low, b.close),
    read: (s) => [s.out],
    compute: ([o, h, l, c], p) => [candleKernel(pattern, o!, h!, l!, c!, p[0] ?? 0)],
    testParams: pen === undefined ? undefined : [[0], [1]],
  })
}
