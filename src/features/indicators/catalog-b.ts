import type { IndicatorDef } from './types.ts'
import { rsiDef } from './momentum/rsi.ts'
import { cmoDef } from './momentum/cmo.ts'
import { momDef, rocDef, rocpDef, rocrDef, rocr100Def } from './momentum/momentum.ts'
import { avgpriceDef, bopDef, medpriceDef, typpriceDef, wclpriceDef } from './price/price.ts'
import { atrDef, natrDef, trangeDef } from './volatility/atr.ts'
import { adxDef, adxrDef, dxDef, minusDiDef, minusDmDef, plusDiDef, plusDmDef } from './trend/directional.ts'
import { stochDef, stochfDef } from './momentum/stoch.ts'
import { stochrsiDef } from './momentum/stochrsi.ts'
import { willrDef } from './momentum/willr.ts'
import { aroonDef, aroonoscDef } from './trend/aroon.ts'
import { cciDef } from './momentum/cci.ts'
import { mfiDef } from './volume/mfi.ts'
import { trixDef } from './momentum/trix.ts'
import { ultoscDef } from './momentum/ultosc.ts'
import { obvDef } from './volume/obv.ts'
import { adDef, adoscDef } from './volume/ad.ts'
import { sarDef, sarextDef } from './trend/sar.ts'
import { vwapDef } from './volume/vwap.ts'
import { keltnerDef } from './volatility/keltner.ts'
import { donchianDef } from './volatility/donchian.ts'
import { ichimokuDef } from './trend/ichimoku.ts'
import { supertrendDef } from './trend/supertrend.ts'

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
