/**
 * More three-candle patterns (TA-Lib CDLSTALLEDPATTERN, CDLSTICKSANDWICH, CDLTRISTAR, CDLUNIQUE3RIVER) and the
 * patterns of four and five candles (CDL3LINESTRIKE, CDLBREAKAWAY, …). Rules as in TA-Lib's C, comparison
 * for comparison; `k` counts bars back from the newest.
 */
import type { CandlePattern } from './candle.ts'
import { max, min } from './macros.ts'

/** CDL3LINESTRIKE: three candles of one colour stepping on, then one opposite candle wiping them out. */
export const cdl3LineStrike: CandlePattern = {
  name: 'cdl3linestrike',
  description: 'Three-Line Strike ',
  lookback: 8,
  averages: [
    ['near', 3],
    ['near', 2],
  ],
  detect: (c) =>
    c.color(3) === c.color(2) &&
    c.color(2) === c.color(1) &&
    c.color(0) === -c.color(1) &&
    c.o(2) >= min(c.o(3), c.c(3)) - c.avg(0) &&
    c.o(2) <= max(c.o(3), c.c(3)) + c.avg(0) &&
    c.o(1) >= min(c.o(2), c.c(2)) - c.avg(1) &&
    c.o(1) <= max(c.o(2), c.c(2)) + c.avg(1) &&
    ((c.color(1) === 1 && c.c(1) > c.c(2) && c.c(2) > c.c(3) && c.o(0) > c.c(1) && c.c(0) < c.o(3)) ||
      (c.color(1) === -1 && c.c(1) < c.c(2) && c.c(2) < c.c(3) && c.o(0) < c.c(1) && c.c(0) > c.o(3)))
      ? c.color(1) * 100
      : 0,
}

/** CDLSTALLEDPATTERN: two long white candles, then a small one riding on the second's close: a stalling rise. */
export const cdlStalledPattern: CandlePattern = {
  name: 'cdlstalledpattern',
  description: 'Stalled Pattern',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyLong', 1],
    ['shadowVeryShort', 1],
    ['near', 2],
    ['near', 1],
    ['bodyShort', 0],
  ],
  detect: (c) =>
    c.color(2) === 1 &&
    c.color(1) === 1 &&
    c.color(0) === 1 &&
    c.c(0) > c.c(1) &&
    c.c(1) > c.c(2) &&
    c.body(2) > c.avg(0) &&
    c.body(1) > c.avg(1) &&
    c.upper(1) < c.avg(2) &&
    c.o(1) > c.o(2) &&
    c.o(1) <= c.c(2) + c.avg(3) &&
    c.body(0) < c.avg(5) &&
    c.o(0) >= c.c(1) - c.body(0) - c.avg(4)
      ? -100
      : 0,
}

/** CDLSTICKSANDWICH: black, white trading above its close, black closing at (about) the first close. */
export const cdlStickSandwich: CandlePattern = {
  name: 'cdlsticksandwich',
  description: 'Stick Sandwich',
  lookback: 7,
  averages: [['equal', 2]],
  detect: (c) =>
    c.color(2) === -1 &&
    c.color(1) === 1 &&
    c.color(0) === -1 &&
    c.l(1) > c.c(2) &&
    c.c(0) <= c.c(2) + c.avg(0) &&
    c.c(0) >= c.c(2) - c.avg(0)
      ? 100
      : 0,
}

/** CDLTRISTAR: three dojis, the middle one gapping away: −100 at a top, +100 at a bottom. */
export const cdlTristar: CandlePattern = {
  name: 'cdltristar',
  description: 'Tristar Pattern',
  lookback: 12,
  averages: [['bodyDoji', 2]],
  detect: (c) => {
    if (!(c.body(2) <= c.avg(0) && c.body(1) <= c.avg(0) && c.body(0) <= c.avg(0))) return 0
    let out = 0
    if (c.bodyGapUp(1, 2) && max(c.o(0), c.c(0)) < max(c.o(1), c.c(1))) out = -100
    if (c.bodyGapDown(1, 2) && min(c.o(0), c.c(0)) > min(c.o(1), c.c(1))) out = +100
    return out
  },
}

/** CDLUNIQUE3RIVER: long black, a black harami with a lower low, a small white opening above that low. */
export const cdlUnique3River: CandlePattern = {
  name: 'cdlunique3river',
  description: 'Unique 3 River',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyShort', 0],
  ],
  detect: (c) =>
    c.body(2) > c.avg(0) &&
    c.color(2) === -1 &&
    c.color(1) === -1 &&
    c.c(1) > c.c(2) &&
    c.o(1) <= c.o(2) &&
    c.l(1) < c.l(2) &&
    c.body(0) < c.avg(1) &&
    c.color(0) === 1 &&
    c.o(0) > c.l(1)
      ? 100
      : 0,
}

/** CDLBREAKAWAY: a long candle, a gap, three candles running on, then an opposite one closing into the gap. */
export const cdlBreakaway: CandlePattern = {
  name: 'cdlbreakaway',
  description: 'Breakaway',
  lookback: 14,
  averages: [['bodyLong', 4]],
  detect: (c) =>
    c.body(4) > c.avg(0) &&
    c.color(4) === c.color(3) &&
    c.color(3) === c.color(1) &&
    c.color(1) === -c.color(0) &&
    ((c.color(4) === -1 &&
      c.bodyGapDown(3, 4) &&
      c.h(2) < c.h(3) &&
      c.l(2) < c.l(3) &&
      c.h(1) < c.h(2) &&
      c.l(1) < c.l(2) &&
      c.c(0) > c.o(3) &&
      c.c(0) < c.c(4)) ||
      (c.color(4) === 1 &&
        c.bodyGapUp(3, 4) &&
        c.h(2) > c.h(3) &&
        c.l(2) > c.l(3) &&
        c.h(1) > c.h(2) &&
        c.l(1) > c.l(2) &&
        c.c(0) < c.o(3) &&
        c.c(0) > c.c(4)))
      ? c.color(0) * 100
      : 0,
}

/** CDLCONCEALBABYSWALL: two black marubozu, a black candle gapping down with an upper shadow, a black one engulfing it. */
export const cdlConcealBabySwall: CandlePattern = {
  name: 'cdlconcealbabyswall',
  description: 'Concealing Baby Swallow',
  lookback: 13,
  averages: [
    ['shadowVeryShort', 3],
    ['shadowVeryShort', 2],
    ['shadowVeryShort', 1],
  ],
  detect: (c) =>
    c.color(3) === -1 &&
    c.color(2) === -1 &&
    c.color(1) === -1 &&
    c.color(0) === -1 &&
    c.lower(3) < c.avg(0) &&
    c.upper(3) < c.avg(0) &&
    c.lower(2) < c.avg(1) &&
    c.upper(2) < c.avg(1) &&
    c.bodyGapDown(1, 2) &&
    c.upper(1) > c.avg(2) &&
    c.h(1) > c.c(2) &&
    c.h(0) > c.h(1) &&
    c.l(0) < c.l(1)
      ? 100
      : 0,
}

/** CDLLADDERBOTTOM: three falling black candles, a black one with an upper shadow, a white one gapping up over it. */
export const cdlLadderBottom: CandlePattern = {
  name: 'cdlladderbottom',
  description: 'Ladder Bottom',
  lookback: 14,
  averages: [['shadowVeryShort', 1]],
  detect: (c) =>
    c.color(4) === -1 &&
    c.color(3) === -1 &&
    c.color(2) === -1 &&
    c.o(4) > c.o(3) &&
    c.o(3) > c.o(2) &&
    c.c(4) > c.c(3) &&
    c.c(3) > c.c(2) &&
    c.color(1) === -1 &&
    c.upper(1) > c.avg(0) &&
    c.color(0) === 1 &&
    c.o(0) > c.o(1) &&
    c.c(0) > c.h(1)
      ? 100
      : 0,
}

/** CDLMATHOLD: long white, three small candles gapping up and holding within `penetration` of it, a white breakout. */
export const cdlMatHold: CandlePattern = {
  name: 'cdlmathold',
  description: 'Mat Hold',
  lookback: 14,
  averages: [
    ['bodyLong', 4],
    ['bodyShort', 3],
    ['bodyShort', 2],
    ['bodyShort', 1],
  ],
  penetration: 0.5,
  detect: (c, pen) =>
    c.body(4) > c.avg(0) &&
    c.body(3) < c.avg(1) &&
    c.body(2) < c.avg(2) &&
    c.body(1) < c.avg(3) &&
    c.color(4) === 1 &&
    c.color(3) === -1 &&
    c.color(0) === 1 &&
    c.bodyGapUp(3, 4) &&
    min(c.o(2), c.c(2)) < c.c(4) &&
    min(c.o(1), c.c(1)) < c.c(4) &&
    min(c.o(2), c.c(2)) > c.c(4) - c.body(4) * pen &&
    min(c.o(1), c.c(1)) > c.c(4) - c.body(4) * pen &&
    max(c.c(2), c.o(2)) < c.o(3) &&
    max(c.c(1), c.o(1)) < max(c.c(2), c.o(2)) &&
    c.o(0) > c.c(1) &&
    c.c(0) > max(max(c.h(3), c.h(2)), c.h(1))
      ? 100
      : 0,
}

/** CDLRISEFALL3METHODS: a long candle, three small counter-moves inside its range, a long candle resuming the trend. */
export const cdlRiseFall3Methods: CandlePattern = {
  name: 'cdlrisefall3methods',
  description: 'Rising/Falling Three Methods',
  lookback: 14,
  averages: [
    ['bodyLong', 4],
    ['bodyShort', 3],
    ['bodyShort', 2],
    ['bodyShort', 1],
    ['bodyLong', 0],
  ],
  detect: (c) => {
    const k = c.color(4)
    return c.body(4) > c.avg(0) &&
      c.body(3) < c.avg(1) &&
      c.body(2) < c.avg(2) &&
      c.body(1) < c.avg(3) &&
      c.body(0) > c.avg(4) &&
      c.color(4) === -c.color(3) &&
      c.color(3) === c.color(2) &&
      c.color(2) === c.color(1) &&
      c.color(1) === -c.color(0) &&
      min(c.o(3), c.c(3)) < c.h(4) &&
      max(c.o(3), c.c(3)) > c.l(4) &&
      min(c.o(2), c.c(2)) < c.h(4) &&
      max(c.o(2), c.c(2)) > c.l(4) &&
      min(c.o(1), c.c(1)) < c.h(4) &&
      max(c.o(1), c.c(1)) > c.l(4) &&
      c.c(2) * k < c.c(3) * k &&
      c.c(1) * k < c.c(2) * k &&
      c.o(0) * k > c.c(1) * k &&
      c.c(0) * k > c.c(4) * k
      ? 100 * k
      : 0
  },
}
