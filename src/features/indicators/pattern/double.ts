/**
 * Two-candle patterns (TA-Lib CDLENGULFING, CDLHARAMI, CDLPIERCING, …): the newest bar against the one before it.
 * Rules as in TA-Lib's C, comparison for comparison; `k` counts bars back from the newest.
 */
import type { CandlePattern, CandleState } from './candle.ts'
import { max, min } from './macros.ts'

/** CDLENGULFING: a body that engulfs the previous opposite-coloured body: ±100, or ±80 when an end is shared. */
export const cdlEngulfing: CandlePattern = {
  name: 'cdlengulfing',
  description: 'Engulfing Pattern',
  lookback: 2,
  averages: [],
  detect: (c) => {
    const o0 = c.o(0)
    const c0 = c.c(0)
    const o1 = c.o(1)
    const c1 = c.c(1)
    if (
      (c.color(0) === 1 && c.color(1) === -1 && ((c0 >= o1 && o0 < c1) || (c0 > o1 && o0 <= c1))) ||
      (c.color(0) === -1 && c.color(1) === 1 && ((o0 >= c1 && c0 < o1) || (o0 > c1 && c0 <= o1)))
    ) {
      return o0 !== c1 && c0 !== o1 ? c.color(0) * 100 : c.color(0) * 80
    }
    return 0
  },
}

/** The harami test: 100 when the newest body lies strictly inside the previous one, 80 when inside with an end shared. */
function inside(c: CandleState): number {
  const top0 = max(c.c(0), c.o(0))
  const bot0 = min(c.c(0), c.o(0))
  const top1 = max(c.c(1), c.o(1))
  const bot1 = min(c.c(1), c.o(1))
  if (top0 < top1 && bot0 > bot1) return 100
  if (top0 <= top1 && bot0 >= bot1) return 80
  return 0
}

/** CDLHARAMI: a short body inside the previous long body; the sign is against the long candle's colour. */
export const cdlHarami: CandlePattern = {
  name: 'cdlharami',
  description: 'Harami Pattern',
  lookback: 11,
  averages: [
    ['bodyLong', 1],
    ['bodyShort', 0],
  ],
  detect: (c) => (c.body(1) > c.avg(0) && c.body(0) <= c.avg(1) ? -c.color(1) * inside(c) : 0),
}

/** CDLHARAMICROSS: a doji inside the previous long body; the sign is against the long candle's colour. */
export const cdlHaramiCross: CandlePattern = {
  name: 'cdlharamicross',
  description: 'Harami Cross Pattern',
  lookback: 11,
  averages: [
    ['bodyLong', 1],
    ['bodyDoji', 0],
  ],
  detect: (c) => (c.body(1) > c.avg(0) && c.body(0) <= c.avg(1) ? -c.color(1) * inside(c) : 0),
}

/** CDLPIERCING: a long white candle opening under the long black one's low and closing above its midpoint. */
export const cdlPiercing: CandlePattern = {
  name: 'cdlpiercing',
  description: 'Piercing Pattern',
  lookback: 11,
  averages: [
    ['bodyLong', 1],
    ['bodyLong', 0],
  ],
  detect: (c) =>
    c.color(1) === -1 &&
    c.body(1) > c.avg(0) &&
    c.color(0) === 1 &&
    c.body(0) > c.avg(1) &&
    c.o(0) < c.l(1) &&
    c.c(0) < c.o(1) &&
    c.c(0) > c.c(1) + c.body(1) * 0.5
      ? 100
      : 0,
}

/** CDLDARKCLOUDCOVER: a black candle opening over the long white one's high and closing `penetration` into its body. */
export const cdlDarkCloudCover: CandlePattern = {
  name: 'cdldarkcloudcover',
  description: 'Dark Cloud Cover',
  lookback: 11,
  averages: [['bodyLong', 1]],
  penetration: 0.5,
  detect: (c, pen) =>
    c.color(1) === 1 &&
    c.body(1) > c.avg(0) &&
    c.color(0) === -1 &&
    c.o(0) > c.h(1) &&
    c.c(0) > c.o(1) &&
    c.c(0) < c.c(1) - c.body(1) * pen
      ? -100
      : 0,
}

/** CDLDOJISTAR: a doji gapping away from a long body in its direction; the sign is against that body's colour. */
export const cdlDojiStar: CandlePattern = {
  name: 'cdldojistar',
  description: 'Doji Star',
  lookback: 11,
  averages: [
    ['bodyLong', 1],
    ['bodyDoji', 0],
  ],
  detect: (c) =>
    c.body(1) > c.avg(0) &&
    c.body(0) <= c.avg(1) &&
    ((c.color(1) === 1 && c.bodyGapUp(0, 1)) || (c.color(1) === -1 && c.bodyGapDown(0, 1)))
      ? -c.color(1) * 100
      : 0,
}

/** CDLKICKING: two opposite marubozu with a gap between them; the sign is the newest candle's colour. */
export const cdlKicking: CandlePattern = {
  name: 'cdlkicking',
  description: 'Kicking',
  lookback: 11,
  averages: [
    ['bodyLong', 1],
    ['shadowVeryShort', 1],
    ['bodyLong', 0],
    ['shadowVeryShort', 0],
  ],
  detect: (c) => (kick(c) ? c.color(0) * 100 : 0),
}

/** The two opposite marubozu with a gap of CDLKICKING and CDLKICKINGBYLENGTH. */
function kick(c: CandleState): boolean {
  return (
    c.color(1) === -c.color(0) &&
    c.body(1) > c.avg(0) &&
    c.upper(1) < c.avg(1) &&
    c.lower(1) < c.avg(1) &&
    c.body(0) > c.avg(2) &&
    c.upper(0) < c.avg(3) &&
    c.lower(0) < c.avg(3) &&
    ((c.color(1) === -1 && c.gapUp(0, 1)) || (c.color(1) === 1 && c.gapDown(0, 1)))
  )
}

/** CDLKICKINGBYLENGTH: the kicking pattern; the sign is the colour of the longer marubozu. */
export const cdlKickingByLength: CandlePattern = {
  name: 'cdlkickingbylength',
  description: 'Kicking - bull/bear determined by the longer marubozu',
  lookback: 11,
  averages: cdlKicking.averages,
  detect: (c) => (kick(c) ? c.color(c.body(0) > c.body(1) ? 0 : 1) * 100 : 0),
}

/** CDLCOUNTERATTACK: two long opposite candles closing at (about) the same price; the sign is the newest colour. */
export const cdlCounterattack: CandlePattern = {
  name: 'cdlcounterattack',
  description: 'Counterattack',
  lookback: 11,
  averages: [
    ['equal', 1],
    ['bodyLong', 1],
    ['bodyLong', 0],
  ],
  detect: (c) =>
    c.color(1) === -c.color(0) &&
    c.body(1) > c.avg(1) &&
    c.body(0) > c.avg(2) &&
    c.c(0) <= c.c(1) + c.avg(0) &&
    c.c(0) >= c.c(1) - c.avg(0)
      ? c.color(0) * 100
      : 0,
}

/** CDLHOMINGPIGEON: a short black body inside the previous long black body. */
export const cdlHomingPigeon: CandlePattern = {
  name: 'cdlhomingpigeon',
  description: 'Homing Pigeon',
  lookback: 11,
  averages: [
    ['bodyLong', 1],
    ['bodyShort', 0],
  ],
  detect: (c) =>
    c.color(1) === -1 &&
    c.color(0) === -1 &&
    c.body(1) > c.avg(0) &&
    c.body(0) <= c.avg(1) &&
    c.o(0) < c.o(1) &&
    c.c(0) > c.c(1)
      ? 100
      : 0,
}

/** CDLINNECK: after a long black candle, a white one opening below its low and closing just at or above its close. */
export const cdlInNeck: CandlePattern = {
  name: 'cdlinneck',
  description: 'In-Neck Pattern',
  lookback: 11,
  averages: [
    ['equal', 1],
    ['bodyLong', 1],
  ],
  detect: (c) =>
    c.color(1) === -1 &&
    c.body(1) > c.avg(1) &&
    c.color(0) === 1 &&
    c.o(0) < c.l(1) &&
    c.c(0) <= c.c(1) + c.avg(0) &&
    c.c(0) >= c.c(1)
      ? -100
      : 0,
}

/** CDLONNECK: after a long black candle, a white one opening below its low and closing at (about) that low. */
export const cdlOnNeck: CandlePattern = {
  name: 'cdlonneck',
  description: 'On-Neck Pattern',
  lookback: 11,
  averages: [
    ['equal', 1],
    ['bodyLong', 1],
  ],
  detect: (c) =>
    c.color(1) === -1 &&
    c.body(1) > c.avg(1) &&
    c.color(0) === 1 &&
    c.o(0) < c.l(1) &&
    c.c(0) <= c.l(1) + c.avg(0) &&
    c.c(0) >= c.l(1) - c.avg(0)
      ? -100
      : 0,
}

/** CDLTHRUSTING: after a long black candle, a white one opening below its low and closing into, not past, its middle. */
export const cdlThrusting: CandlePattern = {
  name: 'cdlthrusting',
  description: 'Thrusting Pattern',
  lookback: 11,
  averages: [
    ['equal', 1],
    ['bodyLong', 1],
  ],
  detect: (c) =>
    c.color(1) === -1 &&
    c.body(1) > c.avg(1) &&
    c.color(0) === 1 &&
    c.o(0) < c.l(1) &&
    c.c(0) > c.c(1) + c.avg(0) &&
    c.c(0) <= c.c(1) + c.body(1) * 0.5
      ? -100
      : 0,
}

/** CDLMATCHINGLOW: two black candles closing at (about) the same price. */
export const cdlMatchingLow: CandlePattern = {
  name: 'cdlmatchinglow',
  description: 'Matching Low',
  lookback: 6,
  averages: [['equal', 1]],
  detect: (c) =>
    c.color(1) === -1 && c.color(0) === -1 && c.c(0) <= c.c(1) + c.avg(0) && c.c(0) >= c.c(1) - c.avg(0) ? 100 : 0,
}

/** CDLSEPARATINGLINES: an opposite-coloured long belt hold opening at (about) the previous open: ±100 by colour. */
export const cdlSeparatingLines: CandlePattern = {
  name: 'cdlseparatinglines',
  description: 'Separating Lines',
  lookback: 11,
  averages: [
    ['shadowVeryShort', 0],
    ['bodyLong', 0],
    ['equal', 1],
  ],
  detect: (c) =>
    c.color(1) === -c.color(0) &&
    c.o(0) <= c.o(1) + c.avg(2) &&
    c.o(0) >= c.o(1) - c.avg(2) &&
    c.body(0) > c.avg(1) &&
    ((c.color(0) === 1 && c.lower(0) < c.avg(0)) || (c.color(0) === -1 && c.upper(0) < c.avg(0)))
      ? c.color(0) * 100
      : 0,
}
