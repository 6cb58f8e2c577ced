import { emaDef } from './ema.ts'
import { maDef } from './ma.ts'
import { smaDef } from './sma.ts'
import type { IndicatorDef } from './types.ts'
import { wmaDef } from './wma.ts'

/** Indicators of group A (moving averages, MACD family, bands, statistics, Hilbert). */
export const catalogA: IndicatorDef[] = [smaDef, emaDef, wmaDef, maDef]
