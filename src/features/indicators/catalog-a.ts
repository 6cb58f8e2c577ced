import { apoDef, ppoDef } from './momentum/apo.ts'
import { bbandsDef } from './volatility/bbands.ts'
import { betaDef } from './statistic/beta.ts'
import { correlDef } from './statistic/correl.ts'
import { demaDef } from './average/dema.ts'
import { emaDef } from './average/ema.ts'
import { htDcperiodDef, htDcphaseDef, htPhasorDef, htSineDef, htTrendlineDef, htTrendmodeDef } from './cycle/ht.ts'
import { kamaDef } from './average/kama.ts'
import { linearregAngleDef, linearregDef, linearregInterceptDef, linearregSlopeDef, tsfDef } from './statistic/linearreg.ts'
import { maDef } from './average/ma.ts'
import { macdDef, macdextDef, macdfixDef } from './momentum/macd.ts'
import { mamaDef } from './average/mama.ts'
import {
  maxDef,
  maxindexDef,
  midpointDef,
  midpriceDef,
  minDef,
  minindexDef,
  minmaxDef,
  minmaxindexDef,
} from './statistic/minmax.ts'
import { smaDef } from './average/sma.ts'
import { sumDef } from './statistic/sum.ts'
import { t3Def } from './average/t3.ts'
import { temaDef } from './average/tema.ts'
import { trimaDef } from './average/trima.ts'
import type { IndicatorDef } from './types.ts'
import { stddevDef, varDef } from './statistic/var.ts'
import { wmaDef } from './average/wma.ts'

/** Indicators of group A (moving averages, MACD family, bands, statistics, Hilbert). */
export const catalogA: IndicatorDef[] = [
  smaDef,
  emaDef,
  wmaDef,
  demaDef,
  temaDef,
  trimaDef,
  kamaDef,
  t3Def,
  mamaDef,
  maDef,
  macdDef,
  macdextDef,
  macdfixDef,
  apoDef,
  ppoDef,
  bbandsDef,
  stddevDef,
  varDef,
  linearregDef,
  linearregSlopeDef,
  linearregAngleDef,
  linearregInterceptDef,
  tsfDef,
  correlDef,
  betaDef,
  midpointDef,
  midpriceDef,
  minDef,
  maxDef,
  minindexDef,
  maxindexDef,
  minmaxDef,
  minmaxindexDef,
  sumDef,
  htTrendlineDef,
  htDcperiodDef,
  htDcphaseDef,
  htTrendmodeDef,
  htPhasorDef,
  htSineDef,
]
