/**
 * Patterns of four and five candles (TA-Lib CDL3LINESTRIKE, CDLBREAKAWAY, …). Rules as in TA-Lib's C, comparison
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
