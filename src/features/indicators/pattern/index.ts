/** Candlestick patterns: TA-Lib's CDL functions over one candle-settings machinery (`candle.ts`). */
import type { IndicatorDef } from '../types.ts'
import { type CandlePattern, defineCandle } from './candle.ts'
import * as double from './double.ts'
import * as gap from './gap.ts'
import * as hikkake from './hikkake.ts'
import * as multi from './multi.ts'
import * as single from './single.ts'
import * as triple from './triple.ts'

export * from './candle.ts'
export * from './double.ts'
export * from './gap.ts'
export * from './hikkake.ts'
export * from './multi.ts'
export * from './single.ts'
export * from './triple.ts'

/** Every candlestick pattern, most used first. */
export const CANDLE_PATTERNS: readonly CandlePattern[] = [
  single.cdlDoji,
  single.cdlHammer,
  single.cdlHangingMan,
  double.cdlEngulfing,
  double.cdlHarami,
  triple.cdlMorningStar,
  triple.cdlEveningStar,
  single.cdlShootingStar,
  single.cdlInvertedHammer,
  triple.cdl3WhiteSoldiers,
  triple.cdl3BlackCrows,
  double.cdlPiercing,
  double.cdlDarkCloudCover,
  single.cdlMarubozu,
  single.cdlSpinningTop,
  single.cdlDragonflyDoji,
  single.cdlGravestoneDoji,
  single.cdlLongLeggedDoji,
  double.cdlDojiStar,
  triple.cdlMorningDojiStar,
  triple.cdlEveningDojiStar,
  double.cdlHaramiCross,
  double.cdlKicking,
  single.cdlBeltHold,
  single.cdlClosingMarubozu,
  single.cdlHighWave,
  single.cdlLongLine,
  single.cdlShortLine,
  single.cdlRickshawMan,
  single.cdlTakuri,
  double.cdlKickingByLength,
  double.cdlCounterattack,
  double.cdlHomingPigeon,
  double.cdlInNeck,
  double.cdlOnNeck,
  double.cdlThrusting,
  double.cdlMatchingLow,
  double.cdlSeparatingLines,
  triple.cdl2Crows,
  triple.cdl3Inside,
  triple.cdl3Outside,
  triple.cdl3StarsInSouth,
  triple.cdlAbandonedBaby,
  triple.cdlAdvanceBlock,
  triple.cdlIdentical3Crows,
  multi.cdl3LineStrike,
  multi.cdlStalledPattern,
  multi.cdlStickSandwich,
  multi.cdlTristar,
  multi.cdlUnique3River,
  gap.cdlTasukiGap,
  gap.cdlXSideGap3Methods,
  gap.cdlGapSideSideWhite,
  gap.cdlUpsideGap2Crows,
  multi.cdlBreakaway,
  multi.cdlConcealBabySwall,
  multi.cdlLadderBottom,
  multi.cdlMatHold,
  multi.cdlRiseFall3Methods,
  hikkake.cdlHikkake,
  hikkake.cdlHikkakeMod,
]

/** Registry entries of {@link CANDLE_PATTERNS}, in the same order. */
export const candleDefs: readonly IndicatorDef[] = CANDLE_PATTERNS.map(defineCandle)
