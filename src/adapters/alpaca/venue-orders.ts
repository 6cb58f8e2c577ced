/**
 * Orders as the local Alpaca server takes them in: a submit's body checked with Alpaca's wording, and the wire
 * form of a new order.
 */
import type { Instrument } from '../../core/index.ts'
import { ALPACA_ERRORS, DUPLICATE_CLIENT_ORDER_ID, dec, type AlpacaOrder } from './protocol.ts'
import { VenueRefusal } from './venue-refusal.ts'

const TYPES = new Set(['market', 'limit', 'stop', 'stop_limit'])
const TIFS = new Set(['day', 'gtc', 'ioc', 'fok'])

/** A stable asset id of a symbol (uuid-shaped, as Alpaca's are). */
export function assetId(symbol: string): string {
  let h = 0
  for (const c of symbol) h = (h * 31 + c.charCodeAt(0)) >>> 0
  return `${h.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`
}

/** A submit's body once checked. */
export interface ValidOrder {
  readonly inst: Instrument
  readonly symbol: string
  readonly qty: number
  readonly side: 'buy' | 'sell'
  readonly type: string
  readonly tif: string
  readonly limit?: number
  readonly stop?: number
  readonly clientOrderId: string
}

/**
 * Checks a submit's body (`POST /v2/orders`, or a replace merged over its order); 422 with Alpaca's wording on
 * the first problem. `taken` tells a used client order id; `newId` makes one when the body has none.
 */
export function validateOrder(
  b: Record<string, unknown>,
  bySymbol: ReadonlyMap<string, Instrument>,
  taken: (clientOrderId: string) => boolean,
  newId: () => string,
): ValidOrder {
  const refuse = (m: string) => new VenueRefusal(422, ALPACA_ERRORS.invalid, m)
  const symbol = typeof b.symbol === 'string' ? b.symbol.toUpperCase() : ''
  if (!symbol) throw refuse('symbol is required')
  const inst = bySymbol.get(symbol)
  if (!inst) throw refuse(`asset "${symbol}" not found`)
  const qty = Number(b.qty)
  if (b.qty === undefined || b.qty === null || !(qty > 0)) throw refuse('qty must be > 0')
  const side = b.side
  if (side !== 'buy' && side !== 'sell') throw refuse('invalid side')
  const type = typeof b.type === 'string' ? b.type : ''
  if (!TYPES.has(type)) throw refuse(`invalid order type for ${symbol}: ${JSON.stringify(b.type)}`)
  const tif = typeof b.time_in_force === 'string' ? b.time_in_force : ''
  if (!TIFS.has(tif)) throw refuse('invalid time_in_force')
  const price = (k: 'limit_price' | 'stop_price'): number | undefined => {
    const v = b[k]
    if (v === undefined || v === null) return undefined
    const n = Number(v)
    if (!(n > 0)) throw refuse(`invalid ${k}`)
    return n
  }
  const limit = price('limit_price')
  const stop = price('stop_price')
  if ((type === 'limit' || type === 'stop_limit') && limit === undefined) throw refuse('limit_price is required')
  if ((type === 'stop' || type === 'stop_limit') && stop === undefined) throw refuse('stop_price is required')
  let cid = b.client_order_id
  if (cid !== undefined && (typeof cid !== 'string' || cid.length === 0 || cid.length > 128))
    throw refuse('client_order_id must be a string of 1 to 128 characters')
  if (typeof cid === 'string' && taken(cid)) throw refuse(DUPLICATE_CLIENT_ORDER_ID)
  cid ??= newId()
  return {
    inst,
    symbol,
    qty,
    side,
    type,
    tif,
    limit: type === 'limit' || type === 'stop_limit' ? limit : undefined,
    stop: type === 'stop' || type === 'stop_limit' ? stop : undefined,
    clientOrderId: cid as string,
  }
}

/** The wire form of a new order `r` with venue id `id`, submitted at `t`. */
export function newWireOrder(id: string, r: ValidOrder, t: string): AlpacaOrder {
  return {
    id,
    client_order_id: r.clientOrderId,
    created_at: t,
    updated_at: t,
    submitted_at: t,
    filled_at: null,
    expired_at: null,
    canceled_at: null,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: assetId(r.symbol),
    symbol: r.symbol,
    asset_class: r.symbol.includes('/') ? 'crypto' : 'us_equity',
    notional: null,
    qty: dec(r.qty),
    filled_qty: '0',
    filled_avg_price: null,
    order_class: '',
    order_type: r.type,
    type: r.type,
    side: r.side,
    time_in_force: r.tif,
    limit_price: r.limit === undefined ? null : dec(r.limit),
    stop_price: r.stop === undefined ? null : dec(r.stop),
    status: 'pending_new',
    extended_hours: false,
    legs: null,
  }
}
