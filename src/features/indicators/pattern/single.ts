/**
 * One-candle patterns (TA-Lib CDLDOJI, CDLHAMMER, CDLMARUBOZU, …): the shape of the newest bar against the candle
 * settings' averages, some with the bar before it for context. Rules as in TA-Lib's C, comparison for comparison.
 */
import type { CandlePattern } from './candle.ts'
import { max, min } from './macros.ts'

/** CDLDOJI: a body within 10% of the average range: indecision. */
export const cdlDoji: CandlePattern = {
  name: 'cdldoji',
  description: 'Doji',
  lookback: 10,
  averages: [['bodyDoji', 0]],
  detect: (c) => (c.body(0) <= c.avg(0) ? 100 : 0),
}

/** CDLHAMMER: a small body at the top of a long lower shadow, at or below the previous low: a possible bottom. */
export const cdlHammer: CandlePattern = {
  name: 'cdlhammer',
  description: 'Hammer',
  lookback: 11,
  averages: [
    ['bodyShort', 0],
    ['shadowLong', 0],
    ['shadowVeryShort', 0],
    ['near', 1],
  ],
  detect: (c) =>
    c.body(0) < c.avg(0) && c.lower(0) > c.avg(1) && c.upper(0) < c.avg(2) && c.bodyBottom(0) <= c.l(1) + c.avg(3)
      ? 100
      : 0,
}

/** CDLHANGINGMAN: the hammer's shape at or above the previous high: a possible top. */
export const cdlHangingMan: CandlePattern = {
  name: 'cdlhangingman',
  description: 'Hanging Man',
  lookback: 11,
  averages: [
    ['bodyShort', 0],
    ['shadowLong', 0],
    ['shadowVeryShort', 0],
    ['near', 1],
  ],
  detect: (c) =>
    c.body(0) < c.avg(0) && c.lower(0) > c.avg(1) && c.upper(0) < c.avg(2) && c.bodyBottom(0) >= c.h(1) - c.avg(3)
      ? -100
      : 0,
}

/** CDLSHOOTINGSTAR: a small body under a long upper shadow, gapping up from the previous body: a possible top. */
export const cdlShootingStar: CandlePattern = {
  name: 'cdlshootingstar',
  description: 'Shooting Star',
  lookback: 11,
  averages: [
    ['bodyShort', 0],
    ['shadowLong', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) =>
    c.body(0) < c.avg(0) && c.upper(0) > c.avg(1) && c.lower(0) < c.avg(2) && c.bodyGapUp(0, 1) ? -100 : 0,
}

/** CDLINVERTEDHAMMER: the shooting star's shape gapping down from the previous body: a possible bottom. */
export const cdlInvertedHammer: CandlePattern = {
  name: 'cdlinvertedhammer',
  description: 'Inverted Hammer',
  lookback: 11,
  averages: [
    ['bodyShort', 0],
    ['shadowLong', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) =>
    c.body(0) < c.avg(0) && c.upper(0) > c.avg(1) && c.lower(0) < c.avg(2) && c.bodyGapDown(0, 1) ? 100 : 0,
}

/** CDLMARUBOZU: a long body with (almost) no shadows: +100 white, −100 black. */
export const cdlMarubozu: CandlePattern = {
  name: 'cdlmarubozu',
  description: 'Marubozu',
  lookback: 10,
  averages: [
    ['bodyLong', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) => (c.body(0) > c.avg(0) && c.upper(0) < c.avg(1) && c.lower(0) < c.avg(1) ? c.color(0) * 100 : 0),
}

/** CDLSPINNINGTOP: a small body with shadows longer than the body on both sides: ±100 by colour. */
export const cdlSpinningTop: CandlePattern = {
  name: 'cdlspinningtop',
  description: 'Spinning Top',
  lookback: 10,
  averages: [['bodyShort', 0]],
  detect: (c) => (c.body(0) < c.avg(0) && c.upper(0) > c.body(0) && c.lower(0) > c.body(0) ? c.color(0) * 100 : 0),
}

/** CDLDRAGONFLYDOJI: a doji at the high with a long lower shadow. */
export const cdlDragonflyDoji: CandlePattern = {
  name: 'cdldragonflydoji',
  description: 'Dragonfly Doji',
  lookback: 10,
  averages: [
    ['bodyDoji', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) => (c.body(0) <= c.avg(0) && c.upper(0) < c.avg(1) && c.lower(0) > c.avg(1) ? 100 : 0),
}

/** CDLGRAVESTONEDOJI: a doji at the low with a long upper shadow. */
export const cdlGravestoneDoji: CandlePattern = {
  name: 'cdlgravestonedoji',
  description: 'Gravestone Doji',
  lookback: 10,
  averages: [
    ['bodyDoji', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) => (c.body(0) <= c.avg(0) && c.lower(0) < c.avg(1) && c.upper(0) > c.avg(1) ? 100 : 0),
}

/** CDLLONGLEGGEDDOJI: a doji with a shadow longer than its body on at least one side. */
export const cdlLongLeggedDoji: CandlePattern = {
  name: 'cdllongleggeddoji',
  description: 'Long Legged Doji',
  lookback: 10,
  averages: [
    ['bodyDoji', 0],
    ['shadowLong', 0],
  ],
  detect: (c) => (c.body(0) <= c.avg(0) && (c.lower(0) > c.avg(1) || c.upper(0) > c.avg(1)) ? 100 : 0),
}

/** CDLBELTHOLD: a long body opening at its extreme (white from its low, black from its high): ±100 by colour. */
export const cdlBeltHold: CandlePattern = {
  name: 'cdlbelthold',
  description: 'Belt-hold',
  lookback: 10,
  averages: [
    ['bodyLong', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) =>
    c.body(0) > c.avg(0) &&
    ((c.color(0) === 1 && c.lower(0) < c.avg(1)) || (c.color(0) === -1 && c.upper(0) < c.avg(1)))
      ? c.color(0) * 100
      : 0,
}

/** CDLCLOSINGMARUBOZU: a long body closing at its extreme (white at its high, black at its low): ±100 by colour. */
export const cdlClosingMarubozu: CandlePattern = {
  name: 'cdlclosingmarubozu',
  description: 'Closing Marubozu',
  lookback: 10,
  averages: [
    ['bodyLong', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) =>
    c.body(0) > c.avg(0) &&
    ((c.color(0) === 1 && c.upper(0) < c.avg(1)) || (c.color(0) === -1 && c.lower(0) < c.avg(1)))
      ? c.color(0) * 100
      : 0,
}

/** CDLHIGHWAVE: a short body with very long shadows on both sides: ±100 by colour. */
export const cdlHighWave: CandlePattern = {
  name: 'cdlhighwave',
  description: 'High-Wave Candle',
  lookback: 10,
  averages: [
    ['bodyShort', 0],
    ['shadowVeryLong', 0],
  ],
  detect: (c) => (c.body(0) < c.avg(0) && c.upper(0) > c.avg(1) && c.lower(0) > c.avg(1) ? c.color(0) * 100 : 0),
}

/** CDLLONGLINE: a long body with short shadows: ±100 by colour. */
export const cdlLongLine: CandlePattern = {
  name: 'cdllongline',
  description: 'Long Line Candle',
  lookback: 10,
  averages: [
    ['bodyLong', 0],
    ['shadowShort', 0],
  ],
  detect: (c) => (c.body(0) > c.avg(0) && c.upper(0) < c.avg(1) && c.lower(0) < c.avg(1) ? c.color(0) * 100 : 0),
}

/** CDLSHORTLINE: a short body with short shadows: ±100 by colour. */
export const cdlShortLine: CandlePattern = {
  name: 'cdlshortline',
  description: 'Short Line Candle',
  lookback: 10,
  averages: [
    ['bodyShort', 0],
    ['shadowShort', 0],
  ],
  detect: (c) => (c.body(0) < c.avg(0) && c.upper(0) < c.avg(1) && c.lower(0) < c.avg(1) ? c.color(0) * 100 : 0),
}

/** CDLRICKSHAWMAN: a doji with long shadows on both sides and its body near the middle of the range. */
export const cdlRickshawMan: CandlePattern = {
  name: 'cdlrickshawman',
  description: 'Rickshaw Man',
  lookback: 10,
  averages: [
    ['bodyDoji', 0],
    ['shadowLong', 0],
    ['near', 0],
  ],
  detect: (c) =>
    c.body(0) <= c.avg(0) &&
    c.lower(0) > c.avg(1) &&
    c.upper(0) > c.avg(1) &&
    min(c.o(0), c.c(0)) <= c.l(0) + c.hl(0) / 2 + c.avg(2) &&
    max(c.o(0), c.c(0)) >= c.l(0) + c.hl(0) / 2 - c.avg(2)
      ? 100
      : 0,
}

/** CDLTAKURI: a doji at the high with a very long lower shadow (a dragonfly doji with a longer leg). */
export const cdlTakuri: CandlePattern = {
  name: 'cdltakuri',
  description: 'Takuri (Dragonfly Doji with very long lower shadow)',
  lookback: 10,
  averages: [
    ['bodyDoji', 0],
    ['shadowVeryShort', 0],
    ['shadowVeryLong', 0],
  ],
  detect: (c) => (c.body(0) <= c.avg(0) && c.upper(0) < c.avg(1) && c.lower(0) > c.avg(2) ? 100 : 0),
}
