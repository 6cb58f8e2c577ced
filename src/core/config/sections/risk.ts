/**
 * The `risk:` section: pre-trade checks in the spirit of MiFID II RTS 6, real-time controls with an
 * action, a cooldown and a re-arm each, and the stress scenarios of `kestrel risk stress`. Strict: a misspelt
 * key is an error naming its key path. Every limit is optional; an absent limit is not checked.
 */
import { z } from 'zod'

const pos = z.number().positive()
const nonNeg = z.number().nonnegative()
const frac = z.number().positive().max(1)

/** What a breached rule does: log it, cut positions, stop new risk, or cancel everything and flatten. */
export const riskActionSchema = z.enum(['warn', 'reduce', 'halt', 'kill'])

/** The fields every real-time rule shares. */
const ruleBase = {
  enabled: z.boolean().default(true),
  action: riskActionSchema,
  cooldownMs: nonNeg.default(60_000).describe('the breach stays active at least this long'),
  rearm: z
    .enum(['auto', 'manual'])
    .default('auto')
    .describe(
      'auto: clears after the cooldown once the condition is gone; manual: needs rearm(by, reason). kill is always manual',
    ),
  reduceFraction: frac.default(0.5).describe('share of every position the reduce action closes'),
}

function rule<T extends z.ZodRawShape>(action: z.infer<typeof riskActionSchema>, shape: T) {
  return z.strictObject({ ...ruleBase, action: riskActionSchema.default(action), ...shape })
}

/** Pre-trade checks, run on every order before it may reach a venue. */
export const preTradeSchema = z.strictObject({
  priceCollar: z
    .strictObject({
      maxDeviation: frac.describe('limit/stop price may differ from the reference by at most this fraction'),
      requireReference: z.boolean().default(false).describe('reject when there is no last/mid price yet'),
    })
    .optional(),
  maxOrderQuantity: pos.optional(),
  maxOrderNotional: pos.optional(),
  maxPosition: z
    .strictObject({
      default: pos.optional().describe('units, per instrument, account net incl. open orders'),
      perInstrument: z.record(z.string(), pos).default({}).describe('instrument id or symbol → units'),
    })
    .optional(),
  maxGrossExposure: pos.optional().describe('currency, positions plus worst case of open orders'),
  maxNetExposure: pos.optional().describe('currency, |Σ signed value| incl. open orders'),
  maxLeverage: pos.optional().describe('gross exposure after the order / equity'),
  maxOpenOrders: z.number().int().positive().optional(),
  throttle: z
    .strictObject({
      perSecond: z.number().int().positive().optional(),
      perMinute: z.number().int().positive().optional(),
    })
    .optional()
    .describe('orders per venue, sliding windows'),
  duplicateWindowMs: pos.optional().describe('reject the same side/quantity/price/instrument within this window'),
  restricted: z.array(z.string()).default([]).describe('instrument ids or symbols nobody may trade'),
  shortSale: z
    .strictObject({
      allowed: z.boolean().default(true),
      requireLocate: z.boolean().default(false).describe('a short sale needs the tag `locate` on the order'),
      exemptAssetClasses: z
        .array(z.enum(['equity', 'crypto', 'crypto_perp', 'fx', 'metal', 'future', 'index', 'etf']))
        .default(['crypto_perp', 'future', 'fx']),
    })
    .optional(),
  tradingHours: z
    .strictObject({
      calendars: z
        .record(z.string(), z.string())
        .default({})
        .describe('asset class, instrument id or symbol → calendar id (NYSE, NYSE_EXT, 24/7, FX, METALS)'),
    })
    .optional(),
  maxParticipation: z
    .strictObject({
      fraction: frac.describe('order quantity / average daily volume'),
      adv: z.record(z.string(), pos).default({}).describe('instrument id or symbol → ADV in units'),
    })
    .optional(),
})

/** Real-time controls, evaluated after every mark-to-market. */
export const controlsSchema = z.strictObject({
  dailyLoss: rule('kill', {
    maxLoss: pos.optional().describe('currency lost since the day began'),
    maxLossPct: frac.optional().describe('fraction of the equity at the start of the day'),
    dayStartHourUtc: z.number().int().min(0).max(23).default(0),
  }).optional(),
  drawdown: rule('halt', { max: frac.describe('1 − equity / peak') }).optional(),
  drawdownVelocity: rule('halt', {
    maxDrop: frac.describe('fall from the highest equity within the window'),
    windowMs: pos,
  }).optional(),
  var: rule('halt', {
    method: z.enum(['historical', 'parametric', 'cornishFisher', 'monteCarlo']).default('historical'),
    confidence: z.number().gt(0.5).lt(1).default(0.99),
    maxVar: pos.optional().describe('currency'),
    maxEs: pos.optional().describe('currency'),
    maxVarPct: frac.optional().describe('fraction of equity'),
    lookback: z.number().int().min(20).default(250).describe('returns per instrument in the scenario set'),
    sampleEveryMs: nonNeg.default(0).describe('one return per this interval (0: every mark)'),
    recomputeEveryMs: nonNeg.default(0).describe('re-read scenarios at most this often (prices move VaR every mark)'),
    paths: z.number().int().min(100).default(10_000).describe('Monte Carlo paths'),
    seed: z.number().int().default(1),
  }).optional(),
  concentration: rule('reduce', {
    maxWeight: frac.describe('largest |position value| / gross exposure'),
    minGross: nonNeg.default(0).describe('ignored below this gross exposure (a single small position is fine)'),
  }).optional(),
  feedStaleness: rule('halt', {
    maxAgeMs: pos.describe('time since an instrument with a position last moved'),
  }).optional(),
  latencyDrift: rule('warn', {
    maxMs: pos.optional().describe('EWMA of order acknowledgement latency'),
    maxRatio: pos.optional().describe('EWMA / baseline (the first `baselineOrders` orders)'),
    baselineOrders: z.number().int().positive().default(20),
    halfLife: pos.default(20).describe('orders'),
  }).optional(),
  volatilityBreaker: rule('halt', {
    maxMove: frac.describe('|price / price windowMs ago − 1| that trips the breaker'),
    windowMs: pos,
  }).optional(),
})

const stressShock = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('index'), name: z.string().optional(), move: z.number().gt(-1) }),
  z.strictObject({
    kind: z.literal('volatility'),
    name: z.string().optional(),
    multiple: pos,
    confidence: z.number().gt(0.5).lt(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('correlation'),
    name: z.string().optional(),
    confidence: z.number().gt(0.5).lt(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('liquidity'),
    name: z.string().optional(),
    spreadMultiple: z.number().min(1),
    advFraction: frac,
    impactCoefficient: pos.optional(),
  }),
])

/** `kestrel risk stress`: a book, data for volatilities and replays, shocks and historical windows. */
export const stressSchema = z.strictObject({
  book: z
    .array(
      z.strictObject({
        instrument: z.string().min(1),
        quantity: z.number(),
        price: pos.optional().describe('default: the last close of its data'),
        beta: z.number().optional(),
        adv: pos.optional(),
        spread: nonNeg.optional(),
      }),
    )
    .min(1),
  data: z
    .record(z.string(), z.string().min(1))
    .default({})
    .describe('instrument → CSV bar file (volatility, default price, replays)'),
  returnsFrom: z
    .string()
    .optional()
    .describe('ISO date: estimate volatilities and correlations from here (default: all data)'),
  returnsTo: z.string().optional().describe('ISO date: ... up to here (exclusive)'),
  shocks: z.array(stressShock).default([]),
  replays: z
    .array(z.strictObject({ name: z.string().min(1), from: z.string().min(1), to: z.string().min(1) }))
    .default([]),
})

export const riskSection = z
  .strictObject({
    enabled: z.boolean().default(true),
    checks: preTradeSchema.default(preTradeSchema.parse({})),
    controls: controlsSchema.default({}),
    stress: stressSchema.optional(),
  })
  .describe('Risk: pre-trade limits, real-time controls (action, cooldown, re-arm) and stress scenarios')

/** The validated `risk:` section. */
export type RiskConfig = z.output<typeof riskSection>
/** What a rule does when it is breached. */
export type RiskAction = z.output<typeof riskActionSchema>
