/**
 * Gap patterns of three candles (TA-Lib CDLTASUKIGAP, CDLXSIDEGAP3METHODS, CDLGAPSIDESIDEWHITE,
 * CDLUPSIDEGAP2CROWS): a real-body gap and what the next candles do with it. Rules as in TA-Lib's C, comparison for
 * comparison; `k` counts bars back from the newest.
 */
import type { CandlePattern } from './candle.ts'
import { max, min } from './macros.ts'

/** CDLTASUKIGAP: a gap in a trend, then a candle of the same size partly closing it but not filling it. */
export const cdlTasukiGap: CandlePattern = {
  name: 'cdltasukigap',
  description: 'Tasuki Gap',
  lookback: 7,
  averages: [['near', 1]],
  detect: (c) =>
    (c.bodyGapUp(1, 2) &&
      c.color(1) === 1 &&
      c.color(0) === -1 &&
      c.o(0) < c.c(1) &&
      c.o(0) > c.o(1) &&
      c.c(0) < c.o(1) &&
      c.c(0) > max(c.c(2), c.o(2)) &&
      Math.abs(c.body(1) - c.body(0)) < c.avg(0)) ||
    (c.bodyGapDown(1, 2) &&
      c.color(1) === -1 &&
      c.color(0) === 1 &&
      c.o(0) < c.o(1) &&
      c.o(0) > c.c(1) &&
      c.c(0) > c.o(1) &&
      c.c(0) < min(c.c(2), c.o(2)) &&
      Math.abs(c.body(1) - c.body(0)) < c.avg(0))
      ? c.color(1) * 100
      : 0,
}

/** CDLXSIDEGAP3METHODS: two candles with a gap between them, then an opposite one closing the gap. */
export const cdlXSideGap3Methods: CandlePattern = {
  name: 'cdlxsidegap3methods',
  description: 'Upside/Downside Gap Three Methods',
  lookback: 2,
  averages: [],
  detect: (c) =>
    c.color(2) === c.color(1) &&
    c.color(1) === -c.color(0) &&
    c.o(0) < max(c.c(1), c.o(1)) &&
    c.o(0) > min(c.c(1), c.o(1)) &&
    c.c(0) < max(c.c(2), c.o(2)) &&
    c.c(0) > min(c.c(2), c.o(2)) &&
    ((c.color(2) === 1 && c.bodyGapUp(1, 2)) || (c.color(2) === -1 && c.bodyGapDown(1, 2)))
      ? c.color(2) * 100
      : 0,
}

/** CDLGAPSIDESIDEWHITE: two white candles of like size and open side by side after a gap: +100 up, −100 down. */
export const cdlGapSideSideWhite: CandlePattern = {
  name: 'cdlgapsidesidewhite',
  description: 'Up/Down-gap side-by-side white lines',
  lookback: 7,
  averages: [
    ['near', 1],
    ['equal', 1],
  ],
  detect: (c) =>
    ((c.bodyGapUp(1, 2) && c.bodyGapUp(0, 2)) || (c.bodyGapDown(1, 2) && c.bodyGapDown(0, 2))) &&
    c.color(1) === 1 &&
    c.color(0) === 1 &&
    c.body(0) >= c.body(1) - c.avg(0) &&
    c.body(0) <= c.body(1) + c.avg(0) &&
    c.o(0) >= c.o(1) - c.avg(1) &&
    c.o(0) <= c.o(1) + c.avg(1)
      ? c.bodyGapUp(1, 2)
        ? 100
        : -100
      : 0,
}

/** CDLUPSIDEGAP2CROWS: long white, a small black gapping up, a black engulfing it that still closes above the gap. */
export const cdlUpsideGap2Crows: CandlePattern = {
  name: 'cdlupsidegap2crows',
  description: 'Upside Gap Two Crows',
  lookback: 12,
  averages: [
    ['bodyLong', 2],
    ['bodyShort', 1],
  ],
  detect: (c) =>
    c.color(2) === 1 &&
    c.body(2) > c.avg(0) &&
    c.color(1) === -1 &&
    c.body(1) <= c.avg(1) &&
    c.bodyGapUp(1, 2) &&
    c.color(0) === -1 &&
    c.o(0) > c.o(1) &&
    c.c(0) < c.c(1) &&
    c.c(0) > c.c(2)
      ? -100
      : 0,
}
