/**
 * Alpaca's wire format (trading API v2 and the market-data v2 stream) and its mapping to Kestrel's vocabulary.
 * Numbers of the trading API travel as strings (`"qty":"100"`); those of the market-data stream as numbers.
 *
 * Instrument rule: an Alpaca symbol `AAPL` is the Kestrel instrument `AAPL.ALPACA` (symbol `.` venue); a
 * crypto pair `BTC/USD` is `BTC-USD.ALPACA`. The venue part is the adapter's venue name (default `ALPACA`).
 */
import { KestrelError } from '../../core/index.ts'
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../core/index.ts'

/** The default venue name of the Alpaca adapters: instruments are `SYMBOL.ALPACA`. */
export const ALPACA_VENUE = 'ALPACA'

/** An order as Alpaca's REST API and trade_updates stream carry it (the fields Kestrel reads and the server sends). */
export interface AlpacaOrder {
  id: string
  client_order_id: string
  created_at: string
  updated_at: string
  submitted_at: string
  filled_at: string | null
  expired_at: string | null
  canceled_at: string | null
  failed_at: string | null
  replaced_at: string | null
  replaced_by: string | null
  replaces: string | null
  asset_id: string
  symbol: string
  asset_class: string
  notional: string | null
  qty: string
  filled_qty: string
  filled_avg_price: string | null
  order_class: string
  order_type: string
  type: string
  side: string
  time_in_force: string
  limit_price: string | null
  stop_price: string | null
  status: string
  extended_hours: boolean
  legs: null
}

/** The body of `POST /v2/orders`. */
export interface AlpacaOrderRequest {
  symbol: string
  qty: string
  side: string
  type: string
  time_in_force: string
  limit_price?: string
  stop_price?: string
  client_order_id?: string
  extended_hours?: boolean
}

/** Events of the trade_updates stream. */
export type TradeEvent = 'new' | 'partial_fill' | 'fill' | 'canceled' | 'expired' | 'replaced' | 'rejected'

/** The `data` of one trade_updates message. */
export interface TradeUpdate {
  event: TradeEvent
  timestamp: string
  order: AlpacaOrder
  /** On fills: the execution's id, quantity and price, and the position after it. */
  execution_id?: string
  price?: string
  qty?: string
  position_qty?: string
}

/** One `FILL` account activity. */
export interface FillActivity {
  activity_type: 'FILL'
  id: string
  cum_qty: string
  leaves_qty: string
  price: string
  qty: string
  side: string
  symbol: string
  transaction_time: string
  order_id: string
  type: 'fill' | 'partial_fill'
}

/** One position of `GET /v2/positions`. */
export interface AlpacaPosition {
  asset_id: string
  symbol: string
  exchange: string
  asset_class: string
  avg_entry_price: string
  qty: string
  qty_available: string
  side: 'long' | 'short'
  market_value: string
  cost_basis: string
  unrealized_pl: string
  current_price: string
}

/** `GET /v2/account`, the fields the adapter reads and a few more. */
export interface AlpacaAccount {
  id: string
  account_number: string
  status: string
  currency: string
  cash: string
  equity: string
  portfolio_value: string
  buying_power: string
  long_market_value: string
  short_market_value: string
  pattern_day_trader: boolean
  trading_blocked: boolean
}

/** A bar of the market-data v2 stream (`T: "b"`), stamped at its open. */
export interface StreamBar {
  T: 'b'
  S: string
  o: number
  h: number
  l: number
  c: number
  v: number
  t: string
}

/** An error body of the trading API. */
export interface AlpacaError {
  code: number
  message: string
}

/** Error codes the server answers with, as Alpaca numbers them (HTTP status then a detail). */
export const ALPACA_ERRORS = {
  invalid: 40010001,
  forbidden: 40310000,
  notFound: 40410000,
  unprocessable: 42210000,
  rateLimited: 42910000,
  internal: 50010000,
} as const

/** The message of a refused submit whose client order id the account used before. */
export const DUPLICATE_CLIENT_ORDER_ID = 'client_order_id must be unique'

/** Statuses in which an order can still fill. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set([
  'new',
  'accepted',
  'pending_new',
  'partially_filled',
  'pending_cancel',
  'pending_replace',
  'accepted_for_bidding',
  'held',
  'calculated',
  'stopped',
  'suspended',
  'done_for_day',
])

/** The Alpaca symbol of an instrument id: the part before the last `.`, a crypto `BTC-USD` as `BTC/USD`. */
export function alpacaSymbol(instrumentId: string): string {
  const dot = instrumentId.lastIndexOf('.')
  const sym = dot > 0 ? instrumentId.slice(0, dot) : instrumentId
  if (sym === '')
    throw new KestrelError('PARAM_INVALID', `alpaca: instrument id ${JSON.stringify(instrumentId)} has no symbol`)
  return sym.replace('-', '/')
}

/** The Kestrel instrument id of an Alpaca symbol on `venue` (`AAPL` → `AAPL.ALPACA`, `BTC/USD` → `BTC-USD.ALPACA`). */
export function instrumentIdOf(symbol: string, venue = ALPACA_VENUE): string {
  return `${symbol.replace('/', '-')}.${venue}`
}

const TYPES: Record<string, OrderType> = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop: 'STOP',
  stop_limit: 'STOP_LIMIT',
  trailing_stop: 'TRAILING_STOP',
}
const TIFS: Record<string, TimeInForce> = { day: 'DAY', gtc: 'GTC', ioc: 'IOC', fok: 'FOK' }

/** Alpaca's order type of a Kestrel one (`STOP_LIMIT` → `stop_limit`). */
export function alpacaType(t: OrderType): string {
  return t.toLowerCase()
}

/** Kestrel's order type of an Alpaca one, or undefined when Kestrel has none. */
export function orderTypeOf(t: string): OrderType | undefined {
  return TYPES[t]
}

/** Alpaca's time in force of a Kestrel one. */
export function alpacaTif(t: TimeInForce): string {
  return t.toLowerCase()
}

/** Kestrel's time in force of an Alpaca one (`opg`, `cls` and unknown ones → undefined). */
export function tifOf(t: string): TimeInForce | undefined {
  return TIFS[t]
}

/** Kestrel's side of an Alpaca one. */
export function sideOf(s: string): OrderSide {
  return s === 'buy' ? 'BUY' : 'SELL'
}

/** Kestrel's order status of an Alpaca one. */
export function statusOf(s: string): OrderStatus {
  switch (s) {
    case 'partially_filled':
      return 'PARTIALLY_FILLED'
    case 'filled':
      return 'FILLED'
    case 'pending_cancel':
      return 'PENDING_CANCEL'
    case 'canceled':
    case 'replaced':
      return 'CANCELED'
    case 'expired':
    case 'done_for_day':
      return 'EXPIRED'
    case 'rejected':
    case 'suspended':
      return 'REJECTED'
    case 'pending_new':
      return 'SUBMITTED'
    default:
      return 'ACCEPTED'
  }
}

/** A decimal string as Alpaca writes it: no exponent, no trailing zeros (`100`, `167.65`). */
export function dec(n: number): string {
  if (!Number.isFinite(n)) throw new KestrelError('INTERNAL', `alpaca: cannot write ${n} as a decimal`)
  const s = n.toFixed(9).replace(/\.?0+$/, '')
  return s === '-0' ? '0' : s
}

/** Reads a decimal string field; `where` names it in the error. */
export function num(v: string | number | null | undefined, where: string): number {
  const n = typeof v === 'number' ? v : v == null || v === '' ? NaN : Number(v)
  if (!Number.isFinite(n))
    throw new KestrelError('VENUE_UNAVAILABLE', `alpaca: ${where} is ${JSON.stringify(v)}, not a number`, { where })
  return n
}

/** An RFC 3339 time of the wire as epoch ms; `where` names the field in the error. */
export function timeOf(v: string | null | undefined, where: string): number {
  const t = v ? Date.parse(v) : NaN
  if (!Number.isFinite(t))
    throw new KestrelError('VENUE_UNAVAILABLE', `alpaca: ${where} is ${JSON.stringify(v)}, not an RFC 3339 time`, {
      where,
    })
  return t
}
