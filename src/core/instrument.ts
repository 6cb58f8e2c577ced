/**
 * Instruments and the one place where prices and quantities are rounded to an instrument's increments.
 */
import { KestrelError } from './errors.ts'

/** The kind of market an instrument trades in; it picks defaults such as the session calendar and annualisation. */
export type AssetClass = 'equity' | 'crypto' | 'crypto_perp' | 'fx' | 'metal' | 'future' | 'index' | 'etf'

/** A fee schedule: maker/taker rates as fractions of notional, or per-share with bounds. */
export interface FeeSchedule {
  readonly makerRate?: number
  readonly takerRate?: number
  readonly perShare?: number
  readonly minPerOrder?: number
  readonly maxPerOrderRate?: number
}

/** Which sessions the instrument trades: a calendar id understood by `src/data/calendars`. */
export type SessionCalendarId = 'NYSE' | 'NYSE_EXT' | '24/7' | 'FX' | 'METALS'

/** Everything the engine needs to know about a tradable thing. */
export interface Instrument {
  /** Unique id, `SYMBOL.VENUE` (e.g. `AAPL.NASDAQ`, `BTC-USD.COINBASE`). */
  readonly id: string
  readonly symbol: string
  readonly venue: string
  readonly assetClass: AssetClass
  /** Quote currency: the currency prices, fees and position P&L are in (`BTC` for ETH-BTC, ETH/BTC). */
  readonly currency: string
  /** Base currency for crypto and FX pairs. */
  readonly baseCurrency?: string
  readonly tickSize: number
  readonly lotSize: number
  readonly minQuantity: number
  readonly pricePrecision: number
  readonly sizePrecision: number
  /** Contract multiplier (1 for cash instruments). */
  readonly multiplier: number
  readonly calendar: SessionCalendarId
  readonly fees?: FeeSchedule
}

/** Number of decimals in a positive increment such as 0.01 → 2, 0.0005 → 4, 1 → 0. */
export function decimalsOf(increment: number): number {
  if (!(increment > 0) || !Number.isFinite(increment)) return 0
  for (let d = 0; d <= 12; d++) {
    const scaled = increment * 10 ** d
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d
  }
  return 12
}

/** Rounds to `decimals` places, half away from zero, without binary artefacts (0.1+0.2 → 0.3). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals
  const r = Math.round(Math.abs(value) * f + 1e-9) / f
  return value < 0 ? -r : r
}

/** How a price or quantity is rounded to its tick or lot: to the nearest step, or down or up to one. */
export type RoundingMode = 'nearest' | 'down' | 'up'

/** Rounds a price to the instrument's tick. `down`/`up` are toward -inf/+inf. */
export function roundPrice(
  inst: Pick<Instrument, 'tickSize' | 'pricePrecision'>,
  price: number,
  mode: RoundingMode = 'nearest',
): number {
  return roundToIncrement(price, inst.tickSize, inst.pricePrecision, mode)
}

/** Rounds a quantity to the instrument's lot size, toward zero unless told otherwise. */
export function roundQuantity(
  inst: Pick<Instrument, 'lotSize' | 'sizePrecision'>,
  qty: number,
  mode: RoundingMode = 'down',
): number {
  const sign = qty < 0 ? -1 : 1
  return sign * roundToIncrement(Math.abs(qty), inst.lotSize, inst.sizePrecision, mode)
}

function roundToIncrement(v: number, inc: number, decimals: number, mode: RoundingMode): number {
  if (!Number.isFinite(v)) throw new KestrelError('PARAM_INVALID', `cannot round non-finite value ${v}`)
  const steps = v / inc
  const eps = 1e-9
  const n = mode === 'nearest' ? Math.round(steps) : mode === 'down' ? Math.floor(steps + eps) : Math.ceil(steps - eps)
  return roundTo(n * inc, decimals)
}

/** Builds an instrument with sensible defaults for its asset class. */
export function makeInstrument(
  init: Pick<Instrument, 'symbol' | 'venue' | 'assetClass'> & Partial<Instrument>,
): Instrument {
  const crypto = init.assetClass === 'crypto' || init.assetClass === 'crypto_perp'
  const tickSize = init.tickSize ?? (crypto ? 0.00000001 : init.assetClass === 'fx' ? 0.00001 : 0.01)
  const lotSize = init.lotSize ?? (crypto ? 0.00000001 : 1)
  const [base, quote] = crypto || init.assetClass === 'fx' ? splitPair(init.symbol) : [undefined, undefined]
  return {
    id: init.id ?? `${init.symbol}.${init.venue}`,
    symbol: init.symbol,
    venue: init.venue,
    assetClass: init.assetClass,
    currency: init.currency ?? quote ?? 'USD',
    baseCurrency: init.baseCurrency ?? base,
    tickSize,
    lotSize,
    minQuantity: init.minQuantity ?? lotSize,
    pricePrecision: init.pricePrecision ?? decimalsOf(tickSize),
    sizePrecision: init.sizePrecision ?? decimalsOf(lotSize),
    multiplier: init.multiplier ?? 1,
    calendar:
      init.calendar ??
      (crypto ? '24/7' : init.assetClass === 'fx' ? 'FX' : init.assetClass === 'metal' ? 'METALS' : 'NYSE'),
    fees: init.fees,
  }
}

function splitPair(symbol: string): [string | undefined, string | undefined] {
  const parts = symbol.toUpperCase().split(/[-/_]/)
  return parts.length >= 2 && parts[0] && parts[1] ? [parts[0], parts[1]] : [undefined, undefined]
}
