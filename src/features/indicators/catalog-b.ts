import type { IndicatorDef } from './types.ts'
import { rsiDef } from './rsi.ts'
import { cmoDef } from './cmo.ts'

/** Indicators of group B (oscillators, directional movement, volatility, volume, channels). */
export const catalogB: IndicatorDef[] = [rsiDef, cmoDef]
