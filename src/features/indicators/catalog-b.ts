import type { IndicatorDef } from './types.ts'

/** Indicators of group B (oscillators, directional movement, volatility, volume, channels). */
export const catalogB: IndicatorDef[] = []
