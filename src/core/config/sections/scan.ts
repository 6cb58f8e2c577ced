/**
 * The `scan:` section: what `kestrel scan` reads and the parameters of each scanner layer. Layer 1 runs over
 * each series' bars (a scanner runs unless its `enabled` is false), layer 1.5 ranks the flagged instruments into
 * a shortlist, layer 2 reads the catalyst file and the inter-market scanners. Paths are relative to the
 * config's folder. Strict: a misspelt key is an error naming its key path.
 */
import { z } from 'zod'
import { durationSchema } from './duration.ts'
import { backtestDataSchema } from './backtest.ts'

const pos = z.number().positive()
const int = (min: number) => z.number().int().min(min)
const rank = z.number().min(0).max(1)

const duration = durationSchema

const unusualVolume = z.strictObject({
  enabled: z.boolean().default(true),
  mode: z.enum(['rolling', 'time-of-day']).default('rolling'),
  lookback: int(1).optional().describe('bars (rolling, default 20) or days (time-of-day, default 5) in the sample'),
  minSamples: int(1).optional().describe('time-of-day: fewest earlier days with the slot (default lookback)'),
  threshold: pos.default(3).describe('z-score of ln(1 + volume) that raises an alert'),
  minRelVolume: z.number().min(0).default(1).describe('least volume over the sample mean'),
  minStd: pos.default(0.05).describe('floor of the sample standard deviation of ln(1 + volume)'),
})

const breakout = z.strictObject({
  enabled: z.boolean().default(true),
  lookback: int(2).default(20).describe('bars in the high/low channel before the breakout bar'),
})

const momentumShift = z
  .strictObject({
    enabled: z.boolean().default(true),
    kind: z.enum(['ema', 'rsi']).default('ema'),
    fast: int(1).default(12),
    slow: int(2).default(26),
    period: int(2).default(14).describe('rsi period'),
    level: z.number().gt(0).lt(100).default(50).describe('rsi level crossed'),
  })
  .refine((m) => m.fast < m.slow, { message: 'fast must be below slow', path: ['fast'] })

const layer1 = z.strictObject({
  unusualVolume: unusualVolume.default(unusualVolume.parse({})),
  breakout: breakout.default(breakout.parse({})),
  momentumShift: momentumShift.default(momentumShift.parse({})),
})

const layer15 = z
  .strictObject({
    lookback: int(2).default(390).describe('bars of the liquidity and volatility measures'),
    minDollarVolume: z.number().min(0).default(0).describe('least median close × volume per bar'),
    minVolRank: rank.default(0),
    maxVolRank: rank.default(1),
    weights: z.record(z.string(), z.number().min(0)).optional().describe('by scanner; default 1 for each'),
    minScore: rank.default(0),
    maxSize: int(1).optional(),
    every: duration
      .optional()
      .describe('a shortlist at each such boundary (UTC) over its alerts; default one at the end'),
  })
  .refine((l) => l.minVolRank <= l.maxVolRank, {
    message: 'minVolRank must not exceed maxVolRank',
    path: ['minVolRank'],
  })

const news = z.strictObject({
  minAbsSentiment: rank.default(0),
  defaultScore: rank.default(0.5).describe('score of an item without a sentiment'),
  confirmWindow: duration.default('30m').describe('a layer-1 alert this soon after the item confirms it'),
  requireConfirmation: z.boolean().default(false),
})

const sectorRotation = z.strictObject({
  benchmark: z.string().min(1).describe('symbol or instrument id'),
  sectors: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.array(z.string().min(1)).min(1)),
  lookback: int(2).default(30),
  threshold: pos.default(1).describe('relative strength in benchmark-volatility units that turns the state'),
})

const correlationBreak = z
  .strictObject({
    a: z.string().min(1),
    b: z.string().min(1),
    window: int(3).default(30),
    baseline: int(4).default(240),
    threshold: pos.max(2).default(0.5).describe('drop of the recent below the baseline correlation'),
  })
  .refine((c) => c.baseline > c.window, { message: 'baseline must be longer than window', path: ['baseline'] })

/** Parameters of the options-flow scanner (`scan.layer2.optionsFlow` without its `file`). */
export const optionsFlowParamsSchema = z.strictObject({
  minPremium: z.number().min(0).default(100_000).describe('least premium of one print'),
  minVolumeOi: z
    .number()
    .min(0)
    .default(1)
    .describe("least day volume over open interest of the print's series (new positions, not turnover)"),
  minSkew: rank
    .default(0.6)
    .describe("least share of the symbol's premium over `window` on the print's side (calls for a call)"),
  window: duration.default('1d').describe('trailing span of the call/put skew'),
  sides: z
    .array(z.enum(['sweep', 'block']))
    .min(1)
    .default(['sweep', 'block'])
    .describe('print types that can alert'),
})

/** Parameters of the insider-cluster scanner (`scan.layer2.insider` without its `file`). */
export const insiderParamsSchema = z.strictObject({
  minInsiders: int(1).default(3).describe('least distinct insiders buying in the open market within `window`'),
  window: duration.default('10d').describe('trailing span of a cluster, by filing time'),
  minValue: z.number().min(0).default(0).describe('least total value (shares × price) of the purchases in `window`'),
})

const optionsFlow = optionsFlowParamsSchema.extend({
  file: z.string().min(1).describe('JSON-lines file of option prints'),
})

const insider = insiderParamsSchema.extend({
  file: z.string().min(1).describe('JSON-lines file of insider transactions (Form-4-like)'),
})

const layer2 = z.strictObject({
  catalysts: z
    .string()
    .min(1)
    .optional()
    .describe('JSON-lines file of news items (time, symbols, headline, sentiment)'),
  news: news.default(news.parse({})),
  sectorRotation: sectorRotation.optional(),
  correlationBreaks: z.array(correlationBreak).default([]),
  optionsFlow: optionsFlow.optional(),
  insider: insider.optional(),
})

/** The `scan:` section. */
export const scanSection = z
  .strictObject({
    data: z.array(backtestDataSchema).min(1).describe('the universe: bar files or stored series, one instrument each'),
    layer1: layer1.default(layer1.parse({})),
    layer1_5: layer15.default(layer15.parse({})),
    layer2: layer2.default(layer2.parse({})),
  })
  .describe('Scanners: layer 1 over bars, the layer-1.5 shortlist, layer-2 catalysts and inter-market scanners')

/** A validated `scan:` section. */
export type ScanConfig = z.output<typeof scanSection>
