/**
 * Where one resting order first trades along a price path, per order type. Pure except for the order's own
 * trigger and trailing state, which it advances. Buys read the buy-side path (the ask on quotes), sells the
 * sell side (the bid).
 */
import type { EpochMs, Order } from '../core/index.ts'
import { firstReach, reachPrice } from './bar-path.ts'

/** An order as the simulated exchange holds it. */
export interface SimOrder {
  /** The venue's frozen copy; replaced (never changed) when the order is amended, e.g. for a split. */
  order: Readonly<Order>
  /** The venue's id of it (`<venue>-<client order id>`), made once. */
  readonly venueOrderId: string
  readonly sign: 1 | -1
  remaining: number
  filled: number
  notional: number
  fees: number
  /** When it reached the venue. */
  readonly arrival: EpochMs
  /** First exchange event sequence it may match on. */
  readonly eligibleSeq: number
  /** Has it lived through an event without completing (a resting order; fills at its limit are maker). */
  rested: boolean
  /** A stop, stop-limit or trailing stop that has been triggered. */
  triggered: boolean
  /** Best price seen by a trailing stop (high for sells, low for buys). */
  trail: number
  /** When it expires (GTD time, or the close of the session of a DAY order); Infinity when never. */
  readonly expireAt: number
}

/** A match: where on the path, at what raw price, and whether the order provided liquidity. */
export interface Hit {
  readonly pos: number
  readonly price: number
  readonly maker: boolean
}

/** The first point on the path (`n` points) where `o` trades, or undefined. */
export function computeHit(o: SimOrder, pts: Float64Array, n: number, fillOnTouch: boolean): Hit | undefined {
  return findHit(o, pts, n, fillOnTouch) ? { pos: hit.pos, price: hit.price, maker: hit.maker } : undefined
}

/** Result slot of {@link findHit} (the exchange's matching loop allocates no hit objects). */
export const hit = { pos: 0, price: NaN, maker: false }

function at(pos: number, price: number, maker: boolean): true {
  hit.pos = pos
  hit.price = price
  hit.maker = maker
  return true
}

/** {@link computeHit} into {@link hit}: true when `o` trades on the path. */
export function findHit(o: SimOrder, pts: Float64Array, n: number, fillOnTouch: boolean): boolean {
  const req = o.order
  const up = o.sign > 0
  switch (req.type) {
    case 'MARKET':
      return at(0, pts[0]!, false)
    case 'LIMIT':
      return limitHit(o, pts, n, 0, req.limitPrice!, fillOnTouch, o.rested)
    case 'STOP': {
      if (o.triggered) return at(0, pts[0]!, false)
      const pos = firstReach(pts, n, 0, req.stopPrice!, up, false)
      if (pos < 0) return false
      o.triggered = true
      return at(pos, reachPrice.value, false)
    }
    case 'STOP_LIMIT': {
      if (o.triggered) return limitHit(o, pts, n, 0, req.limitPrice!, fillOnTouch, true)
      const t = firstReach(pts, n, 0, req.stopPrice!, up, false)
      if (t < 0) return false
      o.triggered = true
      const pt = reachPrice.value
      const lim = req.limitPrice!
      if (up ? pt <= lim : pt >= lim) return at(t, pt, false)
      return limitHit(o, pts, n, t, lim, fillOnTouch, true)
    }
    case 'TRAILING_STOP':
      return trailingHit(o, pts, n)
  }
}

function limitHit(
  o: SimOrder,
  pts: Float64Array,
  n: number,
  start: number,
  limit: number,
  fillOnTouch: boolean,
  resting: boolean,
): boolean {
  const buy = o.sign > 0
  const pos = firstReach(pts, n, start, limit, !buy, !fillOnTouch)
  if (pos < 0) return false
  if (pos === start) {
    // Marketable where it starts: trades at the path price (a gap), as a taker unless it was resting.
    return at(pos, reachPrice.value, resting && start === 0)
  }
  return at(pos, limit, true)
}

function stopOf(o: SimOrder, trail: number): number {
  const off = o.order.trailingOffset!
  const pct = o.order.trailingOffsetType === 'PERCENT'
  return o.sign < 0 ? (pct ? trail * (1 - off) : trail - off) : pct ? trail * (1 + off) : trail + off
}

function trailingHit(o: SimOrder, pts: Float64Array, n: number): boolean {
  if (o.triggered) return at(0, pts[0]!, false)
  const sell = o.sign < 0
  const p0 = pts[0]!
  if (!Number.isNaN(o.trail)) {
    const st = stopOf(o, o.trail)
    if (sell ? p0 <= st : p0 >= st) {
      o.triggered = true
      return at(0, p0, false)
    }
  }
  o.trail = Number.isNaN(o.trail) ? p0 : sell ? Math.max(o.trail, p0) : Math.min(o.trail, p0)
  for (let i = 1; i < n; i++) {
    const a = pts[i - 1]!
    const b = pts[i]!
    const favourable = sell ? b > a : b < a
    if (favourable) {
      o.trail = sell ? Math.max(o.trail, b) : Math.min(o.trail, b)
      continue
    }
    const st = stopOf(o, o.trail)
    if (sell ? b <= st : b >= st) {
      o.triggered = true
      const pos = a === b ? i : i - 1 + (a - st) / (a - b)
      return at(pos, st, false)
    }
  }
  return false
}
