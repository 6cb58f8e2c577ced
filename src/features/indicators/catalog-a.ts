import type { IndicatorDef } from './types.ts'

/** Indicators of group A (moving averages, MACD family, bands, statistics, Hilbert). */
export const catalogA: IndicatorDef[] = []
