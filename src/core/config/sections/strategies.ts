/**
 * The top-level `strategies:` section: the strategy instances a config runs. They sit outside every mode's
 * section so the same strategies run in a backtest, in paper trading and live.
 */
import { z } from 'zod'

/** One strategy instance. */
export const strategySchema = z.strictObject({
  use: z.string().min(1).describe('a built-in name (sma-cross, buy-and-hold, ema-cross) or a path to a .ts/.js file'),
  id: z.string().min(1).optional(),
  instruments: z.array(z.string().min(1)).optional().describe('instrument ids or symbols; default: all'),
  timeframes: z.array(z.string()).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
})

/** The `strategies:` section: one or more strategy instances. */
export const strategiesSection = z
  .array(strategySchema)
  .min(1)
  .describe('the strategies the config runs, the same in every mode (backtest, paper, live)')

/** One validated strategy instance of the config. */
export type StrategyConfig = z.output<typeof strategySchema>
