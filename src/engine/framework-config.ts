/** Builds a run's {@link FrameworkSpec} from a config's `framework:` section. */
import { parseTimeframe, type FrameworkConfig } from '../core/index.ts'
import { KestrelError } from '../core/index.ts'
import { immediateExecution, scheduledExecution, type VolumeProfile } from '../execution/index.ts'
import { CONSTRUCTION_MODELS, type WeightModelOptions } from '../portfolio/index.ts'
import { targetLimits, type TargetLimits } from '../risk/index.ts'
import type { FrameworkSpec } from './framework.ts'

/**
 * The models a `framework:` section names. `instrumentId` resolves the symbols or ids its `sectors:` map
 * uses (an unknown one is a CONFIG_INVALID error from it). `defaultSectors` (sector by instrument id, e.g.
 * from the backtest's universe) applies when the section gives no `sectors:`. `profile` is the VWAP model's
 * volume profile, learned from the bars `execution.profile:` names (see `volumeProfileFromConfig`).
 */
export function frameworkFromConfig(
  cfg: FrameworkConfig,
  instrumentId: (symbolOrId: string) => string,
  defaultSectors?: Readonly<Record<string, string>>,
  profile?: VolumeProfile,
): FrameworkSpec {
  const p = cfg.portfolio
  const opts: WeightModelOptions & { riskAversion?: number; tau?: number } = {
    gross: p.gross,
    lookback: p.lookback,
    allowShort: p.allowShort,
    cashBuffer: p.cashBuffer,
    sizing: p.sizing,
    ...(p.maxTurnover !== undefined ? { maxTurnover: p.maxTurnover } : {}),
    ...(p.riskAversion !== undefined ? { riskAversion: p.riskAversion } : {}),
    ...(p.tau !== undefined ? { tau: p.tau } : {}),
  }
  const construction = CONSTRUCTION_MODELS[p.model](opts)
  let risk: FrameworkSpec['risk']
  if (cfg.risk) {
    const r = cfg.risk
    const limits: TargetLimits = {
      ...(r.maxPositionFraction !== undefined ? { maxPositionFraction: r.maxPositionFraction } : {}),
      ...(r.maxSectorWeight !== undefined ? { maxSectorWeight: r.maxSectorWeight } : {}),
      sectors:
        Object.keys(r.sectors).length === 0 && defaultSectors !== undefined
          ? { ...defaultSectors }
          : Object.fromEntries(Object.entries(r.sectors).map(([k, v]) => [instrumentId(k), v])),
      ...(r.maxPositionsPerMarket !== undefined ? { maxPositionsPerMarket: r.maxPositionsPerMarket } : {}),
      ...(r.minHold !== undefined ? { minHoldMs: parseTimeframe(r.minHold).ms } : {}),
      ...(r.cooldown !== undefined ? { cooldownMs: parseTimeframe(r.cooldown).ms } : {}),
      ...(r.drawdown !== undefined ? { drawdown: r.drawdown } : {}),
    }
    risk = targetLimits(limits)
  }
  return {
    construction,
    ...(risk ? { risk } : {}),
    execution: executionModel(cfg.execution, profile),
    rebalance: cfg.rebalance,
  }
}

function executionModel(e: FrameworkConfig['execution'], profile: VolumeProfile | undefined) {
  const common = { minTradeFraction: e.minTradeFraction, buyingPowerBuffer: e.buyingPowerBuffer }
  const sigma = {
    ...(e.sigma !== undefined ? { sigma: e.sigma } : {}),
    ...(e.volLookback !== undefined ? { volLookback: e.volLookback } : {}),
  }
  switch (e.model) {
    case 'immediate':
      return immediateExecution(common)
    case 'twap':
      return scheduledExecution({ algo: 'twap', slices: e.slices, ...common })
    case 'pov':
      return scheduledExecution({
        algo: 'pov',
        rate: e.rate,
        ...(e.cap !== undefined ? { cap: e.cap } : {}),
        ...common,
      })
    case 'vwap':
      if (!profile)
        throw new KestrelError(
          'CONFIG_INVALID',
          'framework.execution: vwap needs the profile: bars loaded (none given)',
        )
      return scheduledExecution({ algo: 'vwap', profile, ...common })
    case 'iceberg':
      return scheduledExecution({ algo: 'iceberg', display: e.display!, ...common })
    case 'adaptive':
      return scheduledExecution({
        algo: 'adaptive',
        slices: e.slices,
        ...(e.aggressiveness !== undefined ? { aggressiveness: e.aggressiveness } : {}),
        ...(e.lo !== undefined ? { lo: e.lo } : {}),
        ...(e.hi !== undefined ? { hi: e.hi } : {}),
        ...sigma,
        ...common,
      })
    case 'almgren-chriss':
      return scheduledExecution({
        algo: 'almgren-chriss',
        slices: e.slices,
        eta: e.eta!,
        lambda: e.lambda!,
        ...(e.gamma !== undefined ? { gamma: e.gamma } : {}),
        ...sigma,
        ...common,
      })
  }
}
