/** The built-in strategies, by name. */
import type { StrategyDefinition } from '../types.ts'
import { buyAndHold } from './buy-and-hold.ts'
import { pairs } from './pairs.ts'
import { meanReversion } from './mean-reversion.ts'
import { momentum } from './momentum.ts'
import { breakout } from './breakout.ts'
import { emaCross, smaCross } from './sma-cross.ts'
import { trendSignal } from './trend-signal.ts'

export { buyAndHold } from './buy-and-hold.ts'
export { emaCross, smaCross, crossoverHandlers } from './sma-cross.ts'
export { trendSignal } from './trend-signal.ts'
export { pairs } from './pairs.ts'
export { meanReversion } from './mean-reversion.ts'
export { momentum } from './momentum.ts'
export { breakout } from './breakout.ts'

/**
 * Every built-in strategy, keyed by its name (`sma-cross`, `ema-cross`, `buy-and-hold`, `trend-signal`, `pairs`,
 * `mean-reversion`, `momentum`, `breakout`). */
export const builtinStrategies: Readonly<Record<string, StrategyDefinition>> = {
  [smaCross.name]: smaCross as unknown as StrategyDefinition,
  [emaCross.name]: emaCross as unknown as StrategyDefinition,
  [buyAndHold.name]: buyAndHold as unknown as StrategyDefinition,
  [trendSignal.name]: trendSignal as unknown as StrategyDefinition,
  [pairs.name]: pairs as unknown as StrategyDefinition,
  [meanReversion.name]: meanReversion as unknown as StrategyDefinition,
  [momentum.name]: momentum as unknown as StrategyDefinition,
  [breakout.name]: breakout as unknown as StrategyDefinition,
}
