/**
 * The `framework:` section: how the strategies' signals become orders. A portfolio construction model turns
 * the active signals into targets, optional risk limits trim the targets, an execution model sends the
 * difference to the positions as orders (each still checked by the `risk:` section's per-order limits).
 */
import { z } from 'zod'
import { durationSchema } from './duration.ts'

const pos = z.number().positive()
const frac = z.number().positive().max(1)

const duration = durationSchema

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

/** Where a VWAP volume profile is learned from: intraday bars in a file or a store, and its slices. */
export const volumeProfileSchema = z
  .strictObject({
    file: z.string().min(1).optional().describe('a bar file (CSV or Parquet) of intraday bars; or give store:'),
    store: z.string().min(1).optional().describe('a DuckDB store file; or give file:'),
    lake: z.string().min(1).optional().describe('with store: the Parquet lake folder (default: lake/ beside it)'),
    symbol: z.string().min(1).optional().describe('with store: the stored symbol or instrument id'),
    timeframe: z.string().optional().describe('default: inferred (file), the only stored timeframe (store)'),
    from: z.string().min(1).optional().describe('first bar open time, inclusive'),
    to: z.string().min(1).optional().describe('last day, inclusive, or an end time, exclusive'),
    buckets: z.number().int().min(1).default(13).describe('equal slices of each session (13: half hours of NYSE)'),
    calendar: z.string().min(1).default('NYSE').describe('calendar whose sessions the slices divide'),
  })
  .superRefine((d, ctx) => {
    const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message })
    if ((d.file === undefined) === (d.store === undefined)) issue('file', 'give file: or store: (one of them)')
    if (d.store !== undefined && d.symbol === undefined) issue('symbol', 'store: needs symbol:')
    if (d.store === undefined && d.lake !== undefined) issue('lake', 'lake: goes with store:')
  })

/** The options each execution model reads (beyond slices, rate, cap and the sizing rules). */
const MODEL_OPTIONS = {
  profile: ['vwap'],
  display: ['iceberg'],
  aggressiveness: ['adaptive'],
  lo: ['adaptive'],
  hi: ['adaptive'],
  sigma: ['adaptive', 'almgren-chriss'],
  volLookback: ['adaptive', 'almgren-chriss'],
  eta: ['almgren-chriss'],
  gamma: ['almgren-chriss'],
  lambda: ['almgren-chriss'],
} as const

/** The execution model and its options. */
export const frameworkExecutionSchema = z
  .strictObject({
    model: z
      .enum(['immediate', 'twap', 'pov', 'vwap', 'iceberg', 'adaptive', 'almgren-chriss'])
      .default('immediate')
      .describe(
        'immediate: the whole change at once; twap: over slices time steps; pov: a share of each bar volume; ' +
          'vwap: along a learned intraday volume profile; iceberg: display shares shown at a time; adaptive: ' +
          "twap faster when the price moved the order's way; almgren-chriss: the optimal trajectory over slices",
      ),
    slices: z.number().int().min(1).default(10).describe('twap, adaptive, almgren-chriss: time steps of a change'),
    rate: z.number().gt(0).max(1).default(0.1).describe('pov: target participation of bar volume'),
    cap: z.number().gt(0).max(1).optional().describe('pov: most of one bar volume a child may be (default rate)'),
    profile: volumeProfileSchema.optional().describe('vwap: the bars the volume profile is learned from'),
    display: pos.optional().describe('iceberg: shares shown per slice (a limit at the last price)'),
    aggressiveness: z.number().min(0).optional().describe('adaptive: a in clamp(1 + a·z, lo, hi) (default 0.5)'),
    lo: z.number().min(0).max(1).optional().describe('adaptive: lowest rate multiplier (default 0.5)'),
    hi: z.number().min(1).optional().describe('adaptive: highest rate multiplier (default 2)'),
    sigma: pos.optional().describe('adaptive, almgren-chriss: return volatility per time step (default: estimated)'),
    volLookback: z.number().int().min(2).optional().describe('returns in the σ estimate (default 60)'),
    eta: pos.optional().describe('almgren-chriss: temporary impact, price per (share per time step)'),
    gamma: z.number().min(0).optional().describe('almgren-chriss: permanent impact, price per share (default 0)'),
    lambda: z.number().min(0).optional().describe('almgren-chriss: risk aversion, per unit of money'),
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
  .superRefine((e, ctx) => {
    const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message })
    for (const [key, models] of Object.entries(MODEL_OPTIONS))
      if (e[key as keyof typeof MODEL_OPTIONS] !== undefined && !(models as readonly string[]).includes(e.model))
        issue(key, `an option of ${models.join(' and ')}, not of ${e.model}`)
    if (e.model === 'vwap' && e.profile === undefined) issue('profile', 'vwap needs profile: (the bars to learn from)')
    if (e.model === 'iceberg' && e.display === undefined) issue('display', 'iceberg needs display: (shares shown)')
    if (e.model === 'almgren-chriss') {
      if (e.eta === undefined) issue('eta', 'almgren-chriss needs eta: (temporary impact)')
      if (e.lambda === undefined) issue('lambda', 'almgren-chriss needs lambda: (risk aversion)')
      if (e.eta !== undefined && e.gamma !== undefined && !(e.eta - e.gamma / 2 > 0))
        issue('gamma', `gamma ${e.gamma} must be below 2·eta (${2 * e.eta}) for a convex cost`)
    }
    if (e.lo !== undefined && e.hi !== undefined && e.lo > e.hi) issue('lo', `lo ${e.lo} is above hi ${e.hi}`)
  })

/** A `framework.execution.profile:` entry. */
export type VolumeProfileConfig = z.output<typeof volumeProfileSchema>

/** The `framework:` section. */
export const frameworkSection = z
  .strictObject({
    portfolio: frameworkPortfolioSchema.default(frameworkPortfolioSchema.parse({})),
    risk: frameworkRiskSchema.optional(),
    execution: frameworkExecutionSchema.default(frameworkExecutionSchema.parse({})),
    rebalance: z
      .enum(['signals', 'bar'])
      .default('signals')
      .describe('signals: when the active signals change; bar: at every time step as well'),
  })
  .describe('Signals → targets → orders: portfolio construction, risk on targets and the execution model')

/** A validated `framework:` section. */
export type FrameworkConfig = z.output<typeof frameworkSection>
