/**
 * The `backtest:` section: what only a backtest needs (data files, fees per venue, the fill model of the
 * simulated exchange, account events, FX series). The strategies and the account are top level
 * (`strategies.ts`, `account.ts`) so the same ones run in every mode. `kestrel backtest --config <yaml>` runs
 * whatever the file describes.
 */
import { z } from 'zod'
import { parseIso, parseTimeBounds } from '../../time.ts'

const nonNeg = z.number().nonnegative()
/** A fee as a fraction of notional: 0 ≤ rate < 1 (a fee of the whole notional or more is a typo). */
const feeRate = nonNeg.lt(1)
/** A maker rate may be a rebate (negative), never a whole notional either way. */
const makerRate = z.number().gt(-1).lt(1)
/** Basis points of price: 0 ≤ bps < 10000 (100 %). */
const bps = nonNeg.lt(10_000)

const feeSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('percent'), takerRate: feeRate, makerRate: makerRate.optional() }),
  z.strictObject({
    type: z.literal('per-share'),
    perShare: nonNeg,
    minPerOrder: nonNeg.optional(),
    maxPerOrderRate: feeRate.optional(),
  }),
  z.strictObject({
    type: z.literal('tiered'),
    tiers: z.array(z.strictObject({ minVolume: nonNeg, makerRate, takerRate: feeRate })).min(1),
    windowDays: z.number().positive().optional(),
  }),
  z.strictObject({ type: z.literal('zero') }),
])

const slippage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('fixed'), amount: nonNeg.optional(), ticks: nonNeg.optional() }),
  z.strictObject({ type: z.literal('percent'), bps }),
  z.strictObject({ type: z.literal('volatility'), k: nonNeg }),
])

const impact = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('sqrt'), y: nonNeg }),
  z.strictObject({ type: z.literal('almgren-chriss'), eta: nonNeg, gamma: nonNeg }),
  z.strictObject({ type: z.literal('kyle'), lambda: nonNeg }),
])

/** Fill model of the simulated exchange. */
export const fillSection = z.strictObject({
  path: z.enum(['nearest', 'OHLC', 'OLHC', 'bar-direction']).default('nearest'),
  spreadBps: bps.default(0),
  slippage: slippage.default({ type: 'none' }),
  impact: impact.default({ type: 'none' }),
  participation: nonNeg.max(1).default(0).describe('max fraction of a bar volume; 0 = no cap'),
  latency: z
    .strictObject({ submitMs: nonNeg.default(0), ackMs: nonNeg.default(0), fillMs: nonNeg.default(0) })
    .default({ submitMs: 0, ackMs: 0, fillMs: 0 }),
  limitFillOnTouch: z.boolean().default(true),
  clampToBar: z.boolean().default(true),
})

/**
 * One series of bars: a bar file (`file:`, CSV or Parquet), or a stored series (`store:`, a DuckDB file and the
 * Parquet lake beside it, with `symbol:` or `instrument:`), optionally cut to `from`..`to` (a date-only `to`
 * includes that day) and also fed resampled (`resample:`). Entries of one instrument at different timeframes
 * feed one instrument; the finest is the one the simulated exchange matches and the portfolio marks on.
 */
export const backtestDataSchema = z
  .strictObject({
    file: z.string().min(1).optional().describe('a bar file (CSV or Parquet); or give store:'),
    store: z.string().min(1).optional().describe('a DuckDB store file (kestrel data import wrote it); or give file:'),
    lake: z.string().min(1).optional().describe('with store: the Parquet lake folder (default: lake/ beside it)'),
    symbol: z
      .string()
      .min(1)
      .optional()
      .describe(
        "with file: the instrument's symbol (default: the file name before the first _); with store: a stored symbol or instrument id",
      ),
    instrument: z.string().min(1).optional().describe('the same as symbol:'),
    venue: z.string().min(1).optional().describe('with file: the venue of the instrument id (default SIM)'),
    assetClass: z.enum(['equity', 'crypto', 'crypto_perp', 'fx', 'metal', 'future', 'index', 'etf']).optional(),
    timeframe: z
      .string()
      .optional()
      .describe("default: inferred from the timestamps (file), the instrument's only stored timeframe (store)"),
    tickSize: z.number().positive().optional(),
    lotSize: z.number().positive().optional(),
    resample: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "also feed these bars resampled to coarser timeframes ([1d]: one bar per session of the instrument's calendar, closing at its close): data for strategies that list the timeframe",
      ),
    from: z.string().min(1).optional().describe('first bar open time, inclusive: 2010-01-01 or an ISO time (UTC)'),
    to: z
      .string()
      .min(1)
      .optional()
      .describe('last day, inclusive (2015-12-31), or an end time, exclusive (2015-12-31T14:30:00Z)'),
  })
  .superRefine((d, ctx) => {
    const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message })
    if (d.file === undefined && d.store === undefined)
      issue('file', 'give file: (a bar file) or store: (a DuckDB store)')
    if (d.file !== undefined && d.store !== undefined) issue('store', 'file: and store: exclude each other')
    if (d.symbol !== undefined && d.instrument !== undefined)
      issue('instrument', 'symbol: and instrument: name the same thing; give one')
    if (d.store !== undefined) {
      if (d.symbol === undefined && d.instrument === undefined)
        issue('symbol', 'store: needs symbol: (or instrument:) to select a stored series')
      for (const k of ['venue', 'assetClass', 'tickSize', 'lotSize'] as const)
        if (d[k] !== undefined) issue(k, 'a stored instrument keeps what its import set; not with store:')
    } else if (d.lake !== undefined) issue('lake', 'lake: goes with store:')
    const bad = (text: string | undefined) => text !== undefined && !isIsoTime(text)
    if (bad(d.from)) issue('from', 'expected an ISO-8601 date or time, e.g. 2010-01-01 or 2010-01-04T14:30:00Z')
    if (bad(d.to)) issue('to', 'expected an ISO-8601 date or time, e.g. 2015-12-31 or 2015-12-31T21:00:00Z')
    if (d.from !== undefined && d.to !== undefined && isIsoTime(d.from) && isIsoTime(d.to)) {
      try {
        parseTimeBounds(d.from, d.to, { from: 'from', to: 'to', code: 'CONFIG_INVALID' })
      } catch (e) {
        issue('from', (e as Error).message)
      }
    }
  })

function isIsoTime(text: string): boolean {
  try {
    parseIso(text)
    return true
  } catch {
    return false
  }
}

/** One FX series: a CSV path, or the path and its bar length when it cannot be inferred. */
const fxSeries = z.union([
  z.string().min(1),
  z.strictObject({ file: z.string().min(1), timeframe: z.string().optional().describe('default: inferred') }),
])

/**
 * The currency an FX pair key converts from, given the account currency: `BTCUSD`, `BTC/USD` and `BTC-USD`
 * on a USD account → `BTC`; undefined when the key does not end in the account currency.
 */
export function fxPairBase(key: string, accountCurrency: string): string | undefined {
  const m = /^([A-Z][A-Z0-9]{1,9})[-/]?([A-Z][A-Z0-9]{1,9})$/.exec(key)
  if (!m) return undefined
  if (key.length > accountCurrency.length && key.endsWith(accountCurrency)) {
    const base = key.slice(0, key.length - accountCurrency.length).replace(/[-/]$/, '')
    return /^[A-Z][A-Z0-9]{1,9}$/.test(base) && base !== accountCurrency ? base : undefined
  }
  return undefined
}

/** Perpetual funding of one instrument: a constant rate at fixed times, or a venue's history of rates. */
const fundingSpec = z.union([
  z.strictObject({
    rate: z.number().gt(-1).lt(1).describe('rate per funding time (0.0001 = 0.01 %); positive: longs pay shorts'),
    everyHours: z
      .number()
      .positive()
      .max(24 * 7)
      .default(8),
    offsetHours: z
      .number()
      .min(0)
      .max(24 * 7)
      .default(0)
      .describe('funding times are k × everyHours + offsetHours UTC'),
  }),
  z.strictObject({ file: z.string().min(1).describe('CSV time,rate (time: ISO-8601 or epoch ms)') }),
])

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const

/** Overnight swap of one CFD instrument. */
const swapSpec = z.strictObject({
  longAnnualRate: z.number().min(-10).max(10).describe('annual rate a long pays on its notional (negative: receives)'),
  shortAnnualRate: z.number().min(-10).max(10).describe('annual rate a short pays (negative: receives)'),
  rollover: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('17:00'),
  timeZone: z.string().min(1).default('America/New_York'),
  dayCount: z.number().positive().default(365),
  tripleDay: z
    .enum([...WEEKDAYS, 'none'])
    .default('wed')
    .describe("weekday charged three nights; 'none': Friday"),
})

/** The `backtest:` section: data, fees, fill model, account events, FX and universe of a backtest. */
export const backtestSection = z
  .strictObject({
    fx: z
      .record(z.string(), fxSeries)
      .default({})
      .describe(
        'FX series keyed by pair <CUR><account.currency> (BTCUSD, BTC/USD): bars whose close is the price of one ' +
          '<CUR> in the account currency. An instrument quoted in <CUR> then converts at the last FX bar closed ' +
          'by each fill and mark; without one it is refused.',
      ),
    data: z.array(backtestDataSchema).min(1),
    fees: feeSpec.default({ type: 'zero' }),
    venues: z.record(z.string(), z.strictObject({ fees: feeSpec })).default({}),
    fill: fillSection.default(fillSection.parse({})),
    historySize: z.number().int().positive().default(256),
    seed: z.number().int().default(1).describe("seed of the strategies' random streams (ctx.rng)"),
    periodsPerYear: z.number().positive().optional().describe('default: from the first file timeframe and asset class'),
    benchmark: z.boolean().default(true).describe('also run buy-and-hold on the first instrument for the report'),
    corporateActions: z
      .string()
      .min(1)
      .optional()
      .describe(
        'CSV symbol,date,type,value: splits and dividends applied as engine events on their ex-dates (positions, ' +
          'costs and open orders adjust; dividends are paid). The data must be unadjusted.',
      ),
    funding: z.record(z.string(), fundingSpec).default({}).describe('perpetual funding by symbol or instrument id'),
    swap: z.record(z.string(), swapSpec).default({}).describe('CFD overnight swap by symbol or instrument id'),
    universe: z
      .string()
      .min(1)
      .optional()
      .describe(
        'universe file (.csv or .yaml): point-in-time members with sectors and delistings. Strategies get bars ' +
          'and may open positions only while an instrument is a member; a position held at a delisting closes at ' +
          'the last close × (1 + delisting return); framework sector limits read its sectors when framework.risk.sectors is not given.',
      ),
  })
  .describe(
    'Backtest only: data, fees per venue, the simulated exchange fill model, account events and FX; the strategies and the account are top level',
  )

export type BacktestConfig = z.output<typeof backtestSection>
