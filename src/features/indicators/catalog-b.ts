import type { IndicatorDef } from './types.ts'
import { rsiDef } from './rsi.ts'
import { cmoDef } from './cmo.ts'
import { momDef, rocDef, rocpDef, rocrDef, rocr100Def } from './momentum.ts'
import { avgpriceDef, bopDef, medpriceDef, typpriceDef, wclpriceDef } from './price.ts'
import { atrDef, natrDef, trangeDef } from './atr.ts'
import { adxDef, adxrDef, dxDef, minusDiDef, minusDmDef, plusDiDef, plusDmDef } from './directional.ts'
import { stochDef, stochfDef } from './stoch.ts'
import { stochrsiDef } from './stochrsi.ts'
import { willrDef } from './willr.ts'
import { aroonDef, aroonoscDef } from './aroon.ts'
import { cciDef } from './cci.ts'
import { mfiDef } from './mfi.ts'
import { trixDef } from './trix.ts'
import { ultoscDef } from './ultosc.ts'
import { obvDef } from './obv.ts'
import { adDef, adoscDef } from './ad.ts'
import { sarDef, sarextDef } from './sar.ts'
import { vwapDef } from './vwap.ts'
import { keltnerDef } from './keltner.ts'
import { donchianDef } from './donchian.ts'
import { ichimokuDef } from './ichimoku.ts'
import { supertrendDef } from './supertrend.ts'

/** Indicators of group B (oscillators, directional movement, volatility, volume, channels). */
export const catalogB: IndicatorDef[] = [
  rsiDef,
  cmoDef,
  momDef,
  rocDef,
  rocpDef,
  rocrDef,
  rocr100Def,
  avgpriceDef,
  medpriceDef,
  typpriceDef,
  wclpriceDef,
  bopDef,
  atrDef,
  natrDef,
  trangeDef,
  plusDmDef,
  minusDmDef,
  plusDiDef,
  minusDiDef,
  dxDef,
  adxDef,
  adxrDef,
  stochDef,
  stochfDef,
  stochrsiDef,
  willrDef,
  aroonDef,
  aroonoscDef,
  cciDef,
  mfiDef,
  trixDef,
  ultoscDef,
  obvDef,
  adDef,
  adoscDef,
  sarDef,
  sarextDef,
  vwapDef,
  keltnerDef,
  donchianDef,
  ichimokuDef,
  supertrendDef,
]
