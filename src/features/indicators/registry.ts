/** The indicator registry: every {@link IndicatorDef}, by lower-case name, grouped here by domain. */
import { KestrelError } from '../../core/index.ts'
import * as average from './average/index.ts'
import * as cycle from './cycle/index.ts'
import * as math from './math/index.ts'
import * as momentum from './momentum/index.ts'
import * as pattern from './pattern/index.ts'
import * as price from './price/index.ts'
import * as statistic from './statistic/index.ts'
import * as trend from './trend/index.ts'
import type { IndicatorDef } from './types.ts'
import * as volatility from './volatility/index.ts'
import * as volume from './volume/index.ts'

/** Every registered indicator, in the order `kestrel indicators` and the benchmark list them. */
const DEFS: readonly IndicatorDef[] = [
  // moving averages
  average.smaDef,
  average.emaDef,
  average.wmaDef,
  average.demaDef,
  average.temaDef,
  average.trimaDef,
  average.kamaDef,
  average.t3Def,
  average.mamaDef,
  average.maDef,
  average.mavpDef,
  // momentum and oscillators
  momentum.macdDef,
  momentum.macdextDef,
  momentum.macdfixDef,
  momentum.apoDef,
  momentum.ppoDef,
  momentum.rsiDef,
  momentum.cmoDef,
  momentum.momDef,
  momentum.rocDef,
  momentum.rocpDef,
  momentum.rocrDef,
  momentum.rocr100Def,
  momentum.stochDef,
  momentum.stochfDef,
  momentum.stochrsiDef,
  momentum.willrDef,
  momentum.cciDef,
  momentum.trixDef,
  momentum.ultoscDef,
  momentum.imiDef,
  // trend
  trend.plusDmDef,
  trend.minusDmDef,
  trend.plusDiDef,
  trend.minusDiDef,
  trend.dxDef,
  trend.adxDef,
  trend.adxrDef,
  trend.aroonDef,
  trend.aroonoscDef,
  trend.sarDef,
  trend.sarextDef,
  trend.supertrendDef,
  trend.ichimokuDef,
  // volatility and bands
  volatility.bbandsDef,
  volatility.atrDef,
  volatility.natrDef,
  volatility.trangeDef,
  volatility.keltnerDef,
  volatility.donchianDef,
  volatility.accbandsDef,
  // volume
  volume.obvDef,
  volume.adDef,
  volume.adoscDef,
  volume.mfiDef,
  volume.vwapDef,
  // statistics
  statistic.stddevDef,
  statistic.varDef,
  statistic.linearregDef,
  statistic.linearregSlopeDef,
  statistic.linearregAngleDef,
  statistic.linearregInterceptDef,
  statistic.tsfDef,
  statistic.correlDef,
  statistic.betaDef,
  statistic.midpointDef,
  statistic.midpriceDef,
  statistic.minDef,
  statistic.maxDef,
  statistic.minindexDef,
  statistic.maxindexDef,
  statistic.minmaxDef,
  statistic.minmaxindexDef,
  statistic.sumDef,
  statistic.avgdevDef,
  // cycles
  cycle.htTrendlineDef,
  cycle.htDcperiodDef,
  cycle.htDcphaseDef,
  cycle.htTrendmodeDef,
  cycle.htPhasorDef,
  cycle.htSineDef,
  // price transforms
  price.avgpriceDef,
  price.medpriceDef,
  price.typpriceDef,
  price.wclpriceDef,
  price.bopDef,
  // math transforms and operators
  ...math.mathTransformDefs,
  ...math.mathOperatorDefs,
  // candlestick patterns
  ...pattern.candleDefs,
]

function build(): Map<string, IndicatorDef> {
  const m = new Map<string, IndicatorDef>()
  for (const def of DEFS) {
    if (m.has(def.name)) {
      throw new KestrelError('INTERNAL', `indicator ${def.name} is registered twice`, { name: def.name })
    }
    m.set(def.name, def)
  }
  return m
}

/** All registered indicators by lower-case name (`rsi`, `macd`, `bbands`, ...). */
export const indicatorRegistry: ReadonlyMap<string, IndicatorDef> = build()

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return row[b.length]
}

/** Registered names closest to `name` (at most 5). */
export function closeIndicatorNames(name: string): string[] {
  const n = name.toLowerCase()
  return [...indicatorRegistry.keys()]
    .map((k) => ({ k, d: k.startsWith(n) || n.startsWith(k) ? 0.5 : distance(n, k) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(n.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 5)
    .map((x) => x.k)
}

/** The indicator named `name` (case-insensitive); unknown names throw SPEC_INVALID listing close names. */
export function getIndicator(name: string): IndicatorDef {
  const def = indicatorRegistry.get(name.toLowerCase())
  if (def !== undefined) return def
  const close = closeIndicatorNames(name)
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''
  throw new KestrelError('SPEC_INVALID', `unknown indicator ${JSON.stringify(name)}${hint}`, {
    name,
    suggestions: close,
  })
}
