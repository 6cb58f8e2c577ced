/**
 * The `framework:` section: how the strategies' signals become orders. A portfolio construction model turns
 * the active signals into targets, optional risk limits trim the targets, an execution model sends the
 * difference to the positions as orders (each still checked by the `risk:` section's per-order limits).
 */
import { z } from 'zod'
import { parseTimeframe } from '../../time.ts'

const pos = z.number().positive()
const frac = z.number().positive().max(1)

/** A duration such as `30m`, `4h`, `1d` (the timeframe units). */
const duration = z.string().refine(
  (s) => {
    try {
      return parseTimeframe(s).ms > 0
    } catch {
      return false
    }
  },
  { message: 'expected a duration such as 30m, 4h or 1d' },
)

const sizingRule = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('vol-target'),
    target: pos.describe('annualised volatility the portfolio aims at (0.1 = 10 %)'),
    lookback: z.number().int().min(3).default(60),
    periodsPerYear: pos.describe('bars per year of the finest feed (252 for daily equity bars)'),
    maxLeverage: pos.default(1),
  }),
  z.strictObject({
    kind: z.literal('kelly-cap'),
    fraction: frac.describe('cap each weight at this fraction of the Kelly weight μ/σ²'),
    lookback: z.number().int().min(3).default(60),
  }),
  z.strictObject({
    kind: z.literal('stop-risk'),
    riskFraction: frac.describe("equity risked per position over its signal's stop distance"),
  }),
  z.strictObject({ kind: z.literal('fixed-fraction'), fraction: pos.max(10) }),
])

/** The construction model and its options. */
export const frameworkPortfolioSchema = z.strictObject({
  model: z
    .enum([
      'equal-weight',
      'confidence-weighted',
      'hrp',
      'risk-parity',
      'max-diversification',
      'mean-variance',
      'black-litterman',
    ])
    .default('equal-weight'),
  gross: pos.max(10).default(1).describe('sum of |weights| before sizing'),
  lookback: z.number().int().min(3).default(60).describe('returns in the covariance estimate'),
  allowShort: z.boolean().default(true),
  cashBuffer: z.number().min(0).lt(1).default(0.0025).describe('fraction of equity left out of the sizing'),
  maxTurnover: pos.optional().describe('one-way turnover limit per rebalance, a fraction of equity'),
  riskAversion: pos.optional().describe('mean-variance and Black-Litterman'),
  tau: pos.optional().describe("Black-Litterman's prior uncertainty scale (default 0.05)"),
  sizing: z.array(sizingRule).default([]),
})

/** Limits on targets. */
export const frameworkRiskSchema = z.strictObject({
  maxPositionFraction: pos.max(10).optional().describe('per instrument, a fraction of equity (0.1 = 10 %)'),
  maxSectorWeight: pos.max(10).optional().describe('per sector, a fraction of equity'),
  sectors: z.record(z.string(), z.string().min(1)).default({}).describe('sector by symbol or instrument id'),
  maxPositionsPerMarket: z.number().int().min(1).optional().describe('concurrent positions per venue'),
  minHold: duration.optional().describe('a position is not reduced before it has been held this long'),
  cooldown: duration.optional().describe('no new entry this long after an exit'),
  drawdown: z
    .strictObject({ threshold: z.number().gt(0).lt(1), scale: z.number().min(0).max(1) })
    .optional()
    .describe('scale every target by scale while equity is threshold below its peak'),
})

/** The `framework:` section. */
export const frameworkSection = z
  .strictObject({
    portfolio: frameworkPortfolioSchema.default(frameworkPortfolioSchema.parse({})),
    risk: frameworkRiskSchema.optional(),
    execution: z
      .strictObject({
        model: z
          .enum(['immediate', 'twap', 'pov'])
          .default('immediate')
          .describe(
            'immediate: the whole change at once; twap: over slices time steps; pov: a share of each bar volume',
          ),
        slices: z.number().int().min(1).default(10).describe('twap: time steps a change is spread over'),
        rate: z.number().gt(0).max(1).default(0.1).describe('pov: target participation of bar volume'),
        cap: z.number().gt(0).max(1).optional().describe('pov: most of one bar volume a child may be (default rate)'),
        minTradeFraction: z
          .number()
          .min(0)
          .max(1)
          .default(0.001)
          .describe('skip a change smaller than this fraction of equity unless it closes the position'),
        buyingPowerBuffer: z
          .number()
          .min(0)
          .lt(1)
          .default(0.002)
          .describe('part of the buying power kept back for fees (0.002 covers taker fees up to 20 bps)'),
      })
      .default({ model: 'immediate', slices: 10, rate: 0.1, minTradeFraction: 0.001, buyingPowerBuffer: 0.002 }),
    rebalance: z
      .enum(['signals', 'bar'])
      .default('signals')
      .describe('signals: when the active signals change; bar: at every time step as well'),
  })
  .describe('Signals → targets → orders: portfolio construction, risk on targets and the execution model')

/** A validated `framework:` section. */
export type FrameworkConfig = z.output<typeof frameworkSection>
