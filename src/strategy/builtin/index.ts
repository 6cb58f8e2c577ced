/** The built-in strategies, by name. */
import type { StrategyDefinition } from '../types.ts'
import { buyAndHold } from './buy-and-hold.ts'
import { pairs } from './pairs.ts'
import { meanReversion } from './mean-reversion.ts'
import { momentum } from './momentum.ts'
import { breakout } from './breakout.ts'
import { emaCross, smaCross } from './sma-cross.ts'
import { trendSignal } from './trend-signal.ts'
import { makeEnsemble } from './ensemble.ts'
import { makeRegimeSwitch } from './regime-switch.ts'

export { buyAndHold } from './buy-and-hold.ts'
export { emaCross, smaCross, crossoverHandlers } from './sma-cross.ts'
export { trendSignal } from './trend-signal.ts'
export { pairs } from './pairs.ts'
export { meanReversion } from './mean-reversion.ts'
export { momentum } from './momentum.ts'
export { breakout } from './breakout.ts'
export { hedgeUpdate } from './hedge.ts'
export { memberSchema, MemberSet, type MemberSpec, type StrategyLookup } from './members.ts'
export { makeEnsemble, ensembleWeightsTopic, type EnsembleWeights } from './ensemble.ts'
export { makeRegimeSwitch, regimeTopic, type RegimeChange } from './regime-switch.ts'

/** Resolves the built-ins' names for the meta-strategies' members (read when a member is created). */
const lookup = (name: string): StrategyDefinition | undefined => builtinStrategies[name]

/** The built-in ensemble: combines member signal sources with Hedge weights (see `ensemble.ts`). */
export const ensemble = makeEnsemble(lookup)

/** The built-in regime switch: the member for the current HMM or volatility regime (see `regime-switch.ts`). */
export const regimeSwitch = makeRegimeSwitch(lookup)

/**
 * Every built-in strategy, keyed by its name (`sma-cross`, `ema-cross`, `buy-and-hold`, `trend-signal`, `pairs`,
 * `mean-reversion`, `momentum`, `breakout`, `ensemble`, `regime-switch`).
 */
export const builtinStrategies: Readonly<Record<string, StrategyDefinition>> = {
  [smaCross.name]: smaCross as unknown as StrategyDefinition,
  [emaCross.name]: emaCross as unknown as StrategyDefinition,
  [buyAndHold.name]: buyAndHold as unknown as StrategyDefinition,
  [trendSignal.name]: trendSignal as unknown as StrategyDefinition,
  [pairs.name]: pairs as unknown as StrategyDefinition,
  [meanReversion.name]: meanReversion as unknown as StrategyDefinition,
  [momentum.name]: momentum as unknown as StrategyDefinition,
  [breakout.name]: breakout as unknown as StrategyDefinition,
  [ensemble.name]: ensemble as unknown as StrategyDefinition,
  [regimeSwitch.name]: regimeSwitch as unknown as StrategyDefinition,
}
