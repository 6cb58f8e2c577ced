import { apoDef, ppoDef } from './apo.ts'
import { bbandsDef } from './bbands.ts'
import { betaDef } from './beta.ts'
import { correlDef } from './correl.ts'
import { demaDef } from './dema.ts'
import { emaDef } from './ema.ts'
import { htDcperiodDef, htDcphaseDef, htPhasorDef, htSineDef, htTrendlineDef, htTrendmodeDef } from './ht.ts'
import { kamaDef } from './kama.ts'
import { linearregAngleDef, linearregDef, linearregInterceptDef, linearregSlopeDef, tsfDef } from './linearreg.ts'
import { maDef } from './ma.ts'
import { macdDef, macdextDef, macdfixDef } from './macd.ts'
import { mamaDef } from './mama.ts'
import {
  maxDef,
  maxindexDef,
  midpointDef,
  midpriceDef,
  minDef,
  minindexDef,
  minmaxDef,
  minmaxindexDef,
} from './minmax.ts'
import { smaDef } from './sma.ts'
import { sumDef } from './sum.ts'
import { t3Def } from './t3.ts'
import { temaDef } from './tema.ts'
import { trimaDef } from './trima.ts'
import type { IndicatorDef } from './types.ts'
import { stddevDef, varDef } from './var.ts'
import { wmaDef } from './wma.ts'

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
