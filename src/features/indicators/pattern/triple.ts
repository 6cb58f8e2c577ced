/**
 * Three-candle patterns (TA-Lib CDLMORNINGSTAR, CDL3WHITESOLDIERS, …). Rules as in TA-Lib's C, comparison for
 * comparison; `k` counts bars back from the newest.
 */
import type { CandlePattern } from './candle.ts'
import { max, min } from './macros.ts'

/** CDLMORNINGSTAR: long black, a short body gapping down, a white candle closing `penetration` into the first. */
export const cdlMorningStar: CandlePattern = {
  name: 'cdlmorningstar',
  description: 'Morning Star',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyShort', 1],
    ['bodyShort', 0],
  ],
  penetration: 0.3,
  detect: (c, pen) =>
    c.body(2) > c.avg(0) &&
    c.color(2) === -1 &&
    c.body(1) <= c.avg(1) &&
    c.bodyGapDown(1, 2) &&
    c.body(0) > c.avg(2) &&
    c.color(0) === 1 &&
    c.c(0) > c.c(2) + c.body(2) * pen
      ? 100
      : 0,
}

/** CDLEVENINGSTAR: long white, a short body gapping up, a black candle closing `penetration` into the first. */
export const cdlEveningStar: CandlePattern = {
  name: 'cdleveningstar',
  description: 'Evening Star',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyShort', 1],
    ['bodyShort', 0],
  ],
  penetration: 0.3,
  detect: (c, pen) =>
    c.body(2) > c.avg(0) &&
    c.color(2) === 1 &&
    c.body(1) <= c.avg(1) &&
    c.bodyGapUp(1, 2) &&
    c.body(0) > c.avg(2) &&
    c.color(0) === -1 &&
    c.c(0) < c.c(2) - c.body(2) * pen
      ? -100
      : 0,
}

/** CDLMORNINGDOJISTAR: the morning star with a doji in the middle. */
export const cdlMorningDojiStar: CandlePattern = {
  name: 'cdlmorningdojistar',
  description: 'Morning Doji Star',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyDoji', 1],
    ['bodyShort', 0],
  ],
  penetration: 0.3,
  detect: (c, pen) =>
    c.body(2) > c.avg(0) &&
    c.color(2) === -1 &&
    c.body(1) <= c.avg(1) &&
    c.bodyGapDown(1, 2) &&
    c.body(0) > c.avg(2) &&
    c.color(0) === 1 &&
    c.c(0) > c.c(2) + c.body(2) * pen
      ? 100
      : 0,
}

/** CDLEVENINGDOJISTAR: the evening star with a doji in the middle. */
export const cdlEveningDojiStar: CandlePattern = {
  name: 'cdleveningdojistar',
  description: 'Evening Doji Star',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyDoji', 1],
    ['bodyShort', 0],
  ],
  penetration: 0.3,
  detect: (c, pen) =>
    c.body(2) > c.avg(0) &&
    c.color(2) === 1 &&
    c.body(1) <= c.avg(1) &&
    c.bodyGapUp(1, 2) &&
    c.body(0) > c.avg(2) &&
    c.color(0) === -1 &&
    c.c(0) < c.c(2) - c.body(2) * pen
      ? -100
      : 0,
}

/** CDL3WHITESOLDIERS: three white candles, each opening within the last body and closing higher, short upper shadows. */
export const cdl3WhiteSoldiers: CandlePattern = {
  name: 'cdl3whitesoldiers',
  description: 'Three Advancing White Soldiers',
  lookback: 12,
  averages: [
    ['shadowVeryShort', 2],
    ['shadowVeryShort', 1],
    ['shadowVeryShort', 0],
    ['near', 2],
    ['near', 1],
    ['far', 2],
    ['far', 1],
    ['bodyShort', 0],
  ],
  detect: (c) =>
    c.color(2) === 1 &&
    c.upper(2) < c.avg(0) &&
    c.color(1) === 1 &&
    c.upper(1) < c.avg(1) &&
    c.color(0) === 1 &&
    c.upper(0) < c.avg(2) &&
    c.c(0) > c.c(1) &&
    c.c(1) > c.c(2) &&
    c.o(1) > c.o(2) &&
    c.o(1) <= c.c(2) + c.avg(3) &&
    c.o(0) > c.o(1) &&
    c.o(0) <= c.c(1) + c.avg(4) &&
    c.body(1) > c.body(2) - c.avg(5) &&
    c.body(0) > c.body(1) - c.avg(6) &&
    c.body(0) > c.avg(7)
      ? 100
      : 0,
}

/** CDL3BLACKCROWS: after a white candle, three black ones, each opening within the last body and closing lower. */
export const cdl3BlackCrows: CandlePattern = {
  name: 'cdl3blackcrows',
  description: 'Three Black Crows',
  lookback: 13,
  averages: [
    ['shadowVeryShort', 2],
    ['shadowVeryShort', 1],
    ['shadowVeryShort', 0],
  ],
  detect: (c) =>
    c.color(3) === 1 &&
    c.color(2) === -1 &&
    c.lower(2) < c.avg(0) &&
    c.color(1) === -1 &&
    c.lower(1) < c.avg(1) &&
    c.color(0) === -1 &&
    c.lower(0) < c.avg(2) &&
    c.o(1) < c.o(2) &&
    c.o(1) > c.c(2) &&
    c.o(0) < c.o(1) &&
    c.o(0) > c.c(1) &&
    c.h(3) > c.c(2) &&
    c.c(2) > c.c(1) &&
    c.c(1) > c.c(0)
      ? -100
      : 0,
}

/** CDL2CROWS: long white, a black body gapping up, a black candle opening in it and closing into the first body. */
export const cdl2Crows: CandlePattern = {
  name: 'cdl2crows',
  description: 'Two Crows',
  lookback: 12,
  averages: [['bodyLong', 2]],
  detect: (c) =>
    c.color(2) === 1 &&
    c.body(2) > c.avg(0) &&
    c.color(1) === -1 &&
    c.bodyGapUp(1, 2) &&
    c.color(0) === -1 &&
    c.o(0) < c.o(1) &&
    c.o(0) > c.c(1) &&
    c.c(0) > c.o(2) &&
    c.c(0) < c.c(2)
      ? -100
      : 0,
}

/** CDL3INSIDE: a harami confirmed by a third candle closing beyond the first's open; the sign is against the first. */
export const cdl3Inside: CandlePattern = {
  name: 'cdl3inside',
  description: 'Three Inside Up/Down',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyShort', 1],
  ],
  detect: (c) =>
    c.body(2) > c.avg(0) &&
    c.body(1) <= c.avg(1) &&
    max(c.c(1), c.o(1)) < max(c.c(2), c.o(2)) &&
    min(c.c(1), c.o(1)) > min(c.c(2), c.o(2)) &&
    ((c.color(2) === 1 && c.color(0) === -1 && c.c(0) < c.o(2)) ||
      (c.color(2) === -1 && c.color(0) === 1 && c.c(0) > c.o(2)))
      ? -c.color(2) * 100
      : 0,
}

/** CDL3OUTSIDE: an engulfing pattern confirmed by a third candle closing further; the sign is the engulfer's colour. */
export const cdl3Outside: CandlePattern = {
  name: 'cdl3outside',
  description: 'Three Outside Up/Down',
  lookback: 3,
  averages: [],
  detect: (c) =>
    (c.color(1) === 1 && c.color(2) === -1 && c.c(1) > c.o(2) && c.o(1) < c.c(2) && c.c(0) > c.c(1)) ||
    (c.color(1) === -1 && c.color(2) === 1 && c.o(1) > c.c(2) && c.c(1) < c.o(2) && c.c(0) < c.c(1))
      ? c.color(1) * 100
      : 0,
}

/** CDL3STARSINSOUTH: three shrinking black candles with rising lows, the last a small marubozu inside the second. */
export const cdl3StarsInSouth: CandlePattern = {
  name: 'cdl3starsinsouth',
  description: 'Three Stars In The South',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['shadowLong', 2],
    ['shadowVeryShort', 1],
    ['shadowVeryShort', 0],
    ['bodyShort', 0],
  ],
  detect: (c) =>
    c.color(2) === -1 &&
    c.color(1) === -1 &&
    c.color(0) === -1 &&
    c.body(2) > c.avg(0) &&
    c.lower(2) > c.avg(1) &&
    c.body(1) < c.body(2) &&
    c.o(1) > c.c(2) &&
    c.o(1) <= c.h(2) &&
    c.l(1) < c.c(2) &&
    c.l(1) >= c.l(2) &&
    c.lower(1) > c.avg(2) &&
    c.body(0) < c.avg(4) &&
    c.lower(0) < c.avg(3) &&
    c.upper(0) < c.avg(3) &&
    c.l(0) > c.l(1) &&
    c.h(0) < c.h(1)
      ? 100
      : 0,
}

/** CDLABANDONEDBABY: a doji gapping away from a long body, then a gap back and a close `penetration` into the first. */
export const cdlAbandonedBaby: CandlePattern = {
  name: 'cdlabandonedbaby',
  description: 'Abandoned Baby',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyDoji', 1],
    ['bodyShort', 0],
  ],
  penetration: 0.3,
  detect: (c, pen) =>
    c.body(2) > c.avg(0) &&
    c.body(1) <= c.avg(1) &&
    c.body(0) > c.avg(2) &&
    ((c.color(2) === 1 && c.color(0) === -1 && c.c(0) < c.c(2) - c.body(2) * pen && c.gapUp(1, 2) && c.gapDown(0, 1)) ||
      (c.color(2) === -1 && c.color(0) === 1 && c.c(0) > c.c(2) + c.body(2) * pen && c.gapDown(1, 2) && c.gapUp(0, 1)))
      ? c.color(0) * 100
      : 0,
}

/** CDLADVANCEBLOCK: three white candles advancing with shrinking bodies or growing upper shadows: a weakening rise. */
export const cdlAdvanceBlock: CandlePattern = {
  name: 'cdladvanceblock',
  description: 'Advance Block',
  lookback: 12,
  averages: [
    ['near', 2],
    ['near', 1],
    ['far', 2],
    ['far', 1],
    ['bodyLong', 2],
    ['shadowShort', 2],
    ['shadowShort', 1],
    ['shadowShort', 0],
    ['shadowLong', 0],
  ],
  detect: (c) =>
    c.color(2) === 1 &&
    c.color(1) === 1 &&
    c.color(0) === 1 &&
    c.c(0) > c.c(1) &&
    c.c(1) > c.c(2) &&
    c.o(1) > c.o(2) &&
    c.o(1) <= c.c(2) + c.avg(0) &&
    c.o(0) > c.o(1) &&
    c.o(0) <= c.c(1) + c.avg(1) &&
    c.body(2) > c.avg(4) &&
    c.upper(2) < c.avg(5) &&
    ((c.body(1) < c.body(2) - c.avg(2) && c.body(0) < c.body(1) + c.avg(1)) ||
      c.body(0) < c.body(1) - c.avg(3) ||
      (c.body(0) < c.body(1) && c.body(1) < c.body(2) && (c.upper(0) > c.avg(7) || c.upper(1) > c.avg(6))) ||
      (c.body(0) < c.body(1) && c.upper(0) > c.avg(8)))
      ? -100
      : 0,
}

/** CDLIDENTICAL3CROWS: three black candles with short lower shadows, each opening at (about) the previous close. */
export const cdlIdentical3Crows: CandlePattern = {
  name: 'cdlidentical3crows',
  description: 'Identical Three Crows',
  lookback: 12,
  averages: [
    ['shadowVeryShort', 2],
    ['shadowVeryShort', 1],
    ['shadowVeryShort', 0],
    ['equal', 2],
    ['equal', 1],
  ],
  detect: (c) =>
    c.color(2) === -1 &&
    c.lower(2) < c.avg(0) &&
    c.color(1) === -1 &&
    c.lower(1) < c.avg(1) &&
    c.color(0) === -1 &&
    c.lower(0) < c.avg(2) &&
    c.c(2) > c.c(1) &&
    c.c(1) > c.c(0) &&
    c.o(1) <= c.c(2) + c.avg(3) &&
    c.o(1) >= c.c(2) - c.avg(3) &&
    c.o(0) <= c.c(1) + c.avg(4) &&
    c.o(0) >= c.c(1) - c.avg(4)
      ? -100
      : 0,
}
