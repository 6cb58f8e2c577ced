/**
 * Pre-trade checks in the spirit of MiFID II RTS 6 (art. 15): price collars, maximum order quantity and
 * notional, maximum position, gross and net exposure, leverage, open orders, a per-venue order-rate throttle,
 * duplicate orders, a restricted list, short-sale rules, trading hours and participation in ADV. Each check is
 * O(1) per order; a refusal carries a stable code and a message naming the order, the value and the limit.
 */
import type { z } from 'zod'
import type { OrderRequest, riskSection } from '../../core/index.ts'
import { getCalendar, type TradingCalendar } from '../../data/index.ts'
import type { ExposureBook, ExposureSlot } from './exposure-book.ts'
import { DuplicateDetector } from './duplicate-detector.ts'
import { SlidingWindowLimit } from './sliding-window.ts'

/** The validated `risk.checks` section. */
export type PreTradeConfig = z.output<typeof riskSection>['checks']

/** A refusal: stable code and a message for people. */
export interface Refusal {
  readonly code: string
  readonly reason: string
}

/** Everything a check needs besides the order. */
export interface CheckInput {
  readonly time: number
  readonly equity: () => number
  readonly openOrders: number
}

/** Usage of one limit, for `kestrel risk status`. */
export interface LimitUsage {
  readonly limit: string
  readonly value: number
  readonly max: number
  /** Highest value seen when an order was accepted (when tracked). */
  readonly peak?: number
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(8)).toString())

/** The configured pre-trade checks with their state (throttle windows, recent orders). */
export class PreTradeChecks {
  private readonly perSecond = new Map<string, SlidingWindowLimit>()
  private readonly perMinute = new Map<string, SlidingWindowLimit>()
  private readonly dupes: DuplicateDetector | undefined
  private readonly restricted: Set<string>
  private readonly calendars = new Map<string, TradingCalendar | null>()
  private readonly maxPos = new Map<string, number>()
  private readonly adv = new Map<string, number>()

  constructor(
    readonly cfg: PreTradeConfig,
    previous?: PreTradeChecks,
  ) {
    this.restricted = new Set(cfg.restricted)
    const sameThrottle =
      previous &&
      previous.cfg.throttle?.perSecond === cfg.throttle?.perSecond &&
      previous.cfg.throttle?.perMinute === cfg.throttle?.perMinute
    if (sameThrottle) {
      for (const [k, v] of previous.perSecond) this.perSecond.set(k, v)
      for (const [k, v] of previous.perMinute) this.perMinute.set(k, v)
    }
    const w = cfg.duplicateWindowMs
    this.dupes =
      w === undefined ? undefined : previous?.dupes?.windowMs === w ? previous.dupes : new DuplicateDetector(w)
  }

  private lookup<T>(map: Map<string, T>, source: Readonly<Record<string, T>>, s: ExposureSlot): T | undefined {
    const id = s.instrument.id
    if (map.has(id)) return map.get(id)
    const v = source[id] ?? source[s.instrument.symbol]
    if (v !== undefined) map.set(id, v)
    return v
  }

  private calendarOf(s: ExposureSlot): TradingCalendar | undefined {
    const id = s.instrument.id
    let c = this.calendars.get(id)
    if (c === undefined) {
      const map = this.cfg.tradingHours?.calendars ?? {}
      const name = map[id] ?? map[s.instrument.symbol] ?? map[s.instrument.assetClass]
      c = name === undefined ? null : getCalendar(name)
      this.calendars.set(id, c)
    }
    return c ?? undefined
  }

  /** Runs every check on `req` against `slot` (already synced with the portfolio); undefined = pass. */
  check(req: OrderRequest, s: ExposureSlot, book: ExposureBook, input: CheckInput): Refusal | undefined {
    const c = this.cfg
    const inst = s.instrument
    const id = req.clientOrderId
    // A reduce-only order can never add exposure (the venue enforces it): it may always leave a restricted
    // name, and the short-sale, position and exposure limits do not apply to it (a bracket's stop with its
    // take-profit still open is not a short sale).
    const ro = req.reduceOnly
    if (!ro && this.restricted.size > 0 && (this.restricted.has(inst.id) || this.restricted.has(inst.symbol)))
      return { code: 'RESTRICTED', reason: `order ${id}: ${inst.id} is on the restricted list` }
    if (c.tradingHours) {
      const cal = this.calendarOf(s)
      if (cal && !cal.isOpen(input.time))
        return {
          code: 'TRADING_HOURS',
          reason: `order ${id}: ${cal.id} is closed at ${new Date(input.time).toISOString()}`,
        }
    }
    const q = req.quantity
    if (!(q > 0) || !Number.isFinite(q))
      return { code: 'BAD_QUANTITY', reason: `order ${id}: quantity ${q} is not a positive number` }
    if (c.maxOrderQuantity !== undefined && q > c.maxOrderQuantity)
      return {
        code: 'MAX_ORDER_QUANTITY',
        reason: `order ${id}: quantity ${fmt(q)} > limit ${fmt(c.maxOrderQuantity)}`,
      }
    const last = s.price
    const px = req.limitPrice ?? req.stopPrice
    if (c.priceCollar) {
      if (px !== undefined && last === last) {
        const dev = Math.abs(px / last - 1)
        if (dev > c.priceCollar.maxDeviation + 1e-12)
          return {
            code: 'PRICE_COLLAR',
            reason: `order ${id}: price ${fmt(px)} is ${fmt(dev * 100)}% from the reference ${fmt(last)} (collar ${fmt(c.priceCollar.maxDeviation * 100)}%)`,
          }
      } else if (last !== last && c.priceCollar.requireReference)
        return { code: 'NO_PRICE', reason: `order ${id}: no reference price for ${inst.id} yet` }
    }
    const ref = px ?? last
    const needsPrice =
      c.maxOrderNotional !== undefined ||
      c.maxGrossExposure !== undefined ||
      c.maxNetExposure !== undefined ||
      c.maxLeverage !== undefined
    if (needsPrice && !(ref > 0))
      return { code: 'NO_PRICE', reason: `order ${id}: no price for ${inst.id}, exposure limits cannot be checked` }
    const m = inst.multiplier
    const notional = q * ref * m
    if (c.maxOrderNotional !== undefined && notional > c.maxOrderNotional)
      return {
        code: 'MAX_ORDER_NOTIONAL',
        reason: `order ${id}: notional ${fmt(notional)} > limit ${fmt(c.maxOrderNotional)}`,
      }
    if (c.maxParticipation) {
      const adv = this.lookup(this.adv, c.maxParticipation.adv, s)
      if (adv !== undefined && q / adv > c.maxParticipation.fraction)
        return {
          code: 'MAX_PARTICIPATION',
          reason: `order ${id}: ${fmt(q)} is ${fmt((q / adv) * 100)}% of ADV ${fmt(adv)} (limit ${fmt(c.maxParticipation.fraction * 100)}%)`,
        }
    }
    const buy = req.side === 'BUY'
    // Worst-case position of the instrument after this order, on the order's side.
    const before = buy ? s.position + s.openBuy : s.position - s.openSell
    const after = buy ? before + q : before - q
    const ss = c.shortSale
    if (ro) return this.pace(req, s, input, px)
    if (ss && !buy && after < -1e-9 * q && !ss.exemptAssetClasses.includes(inst.assetClass)) {
      if (!ss.allowed)
        return {
          code: 'SHORT_SALE',
          reason: `order ${id}: would leave ${inst.id} short ${fmt(-after)} and short selling is not allowed`,
        }
      if (ss.requireLocate && !req.tags?.includes('locate'))
        return {
          code: 'NO_LOCATE',
          reason: `order ${id}: short sale of ${inst.id} without a locate (tag the order 'locate')`,
        }
    }
    if (c.maxPosition) {
      const lim = this.lookup(this.maxPos, c.maxPosition.perInstrument, s) ?? c.maxPosition.default
      if (lim !== undefined && Math.abs(after) > lim && Math.abs(after) > Math.abs(before))
        return {
          code: 'MAX_POSITION',
          reason: `order ${id}: ${inst.id} position could reach ${fmt(after)} (with open orders) > limit ${fmt(lim)}`,
        }
    }
    // Exposure is valued at the instrument's reference price (the limit price only when there is none yet).
    const p = (last > 0 ? last : ref) * m
    if (c.maxGrossExposure !== undefined || c.maxLeverage !== undefined) {
      const other = buy ? Math.abs(s.shortWorst) : Math.abs(s.longWorst)
      const worstAfter = Math.max(Math.abs(after * p), other)
      const grossAfter = book.grossWorst - s.worst + worstAfter
      const grows = grossAfter > book.grossWorst + 1e-9
      if (c.maxGrossExposure !== undefined && grows && grossAfter > c.maxGrossExposure)
        return {
          code: 'MAX_GROSS_EXPOSURE',
          reason: `order ${id}: gross exposure could reach ${fmt(grossAfter)} > limit ${fmt(c.maxGrossExposure)}`,
        }
      if (c.maxLeverage !== undefined && grows) {
        const eq = input.equity()
        const lev = eq > 0 ? grossAfter / eq : Infinity
        if (lev > c.maxLeverage)
          return {
            code: 'MAX_LEVERAGE',
            reason: `order ${id}: leverage could reach ${fmt(lev)} (gross ${fmt(grossAfter)} / equity ${fmt(eq)}) > limit ${fmt(c.maxLeverage)}`,
          }
      }
    }
    if (c.maxNetExposure !== undefined) {
      const base = buy ? book.netLongWorst : book.netShortWorst
      const netAfter = base + (buy ? q * p : -q * p)
      if (Math.abs(netAfter) > c.maxNetExposure && Math.abs(netAfter) > Math.abs(base))
        return {
          code: 'MAX_NET_EXPOSURE',
          reason: `order ${id}: net exposure could reach ${fmt(netAfter)} > limit ${fmt(c.maxNetExposure)}`,
        }
    }
    return this.pace(req, s, input, px)
  }

  /** The checks every order passes, reduce-only or not: open orders, duplicates, the throttle. */
  private pace(req: OrderRequest, s: ExposureSlot, input: CheckInput, px: number | undefined): Refusal | undefined {
    const c = this.cfg
    const inst = s.instrument
    const id = req.clientOrderId
    const q = req.quantity
    if (c.maxOpenOrders !== undefined && input.openOrders >= c.maxOpenOrders)
      return {
        code: 'MAX_OPEN_ORDERS',
        reason: `order ${id}: ${input.openOrders} orders already open (limit ${c.maxOpenOrders})`,
      }
    let key = ''
    if (this.dupes) {
      key = DuplicateDetector.key(req.strategyId, inst.id, req.side, q, px ?? NaN)
      const prev = this.dupes.seen(key, input.time)
      if (prev !== undefined)
        return {
          code: 'DUPLICATE_ORDER',
          reason: `order ${id}: same ${req.side} ${fmt(q)} ${inst.id}${px === undefined ? '' : ` @ ${fmt(px)}`} as ${input.time - prev} ms ago (window ${this.dupes.windowMs} ms)`,
        }
    }
    const t = c.throttle
    let sec: SlidingWindowLimit | undefined
    let min: SlidingWindowLimit | undefined
    if (t) {
      const venue = inst.venue
      if (t.perSecond !== undefined) {
        sec = this.perSecond.get(venue)
        if (!sec) this.perSecond.set(venue, (sec = new SlidingWindowLimit(t.perSecond, 1000)))
        if (!sec.fits(input.time))
          return { code: 'THROTTLE', reason: `order ${id}: more than ${t.perSecond} orders/s to ${venue}` }
      }
      if (t.perMinute !== undefined) {
        min = this.perMinute.get(venue)
        if (!min) this.perMinute.set(venue, (min = new SlidingWindowLimit(t.perMinute, 60_000)))
        if (!min.fits(input.time))
          return { code: 'THROTTLE', reason: `order ${id}: more than ${t.perMinute} orders/min to ${venue}` }
      }
    }
    // Accepted: record in the windows.
    sec?.record(input.time)
    min?.record(input.time)
    if (this.dupes) this.dupes.record(key, input.time)
    return undefined
  }

  /** Usage of the account-wide limits now (for status displays). */
  usage(book: ExposureBook, equity: number, openOrders: number, time: number): LimitUsage[] {
    const c = this.cfg
    const out: LimitUsage[] = []
    if (c.maxGrossExposure !== undefined)
      out.push({ limit: 'maxGrossExposure', value: book.grossWorst, max: c.maxGrossExposure })
    if (c.maxNetExposure !== undefined)
      out.push({
        limit: 'maxNetExposure',
        value: Math.max(Math.abs(book.netLongWorst), Math.abs(book.netShortWorst)),
        max: c.maxNetExposure,
      })
    if (c.maxLeverage !== undefined)
      out.push({ limit: 'maxLeverage', value: equity > 0 ? book.grossWorst / equity : 0, max: c.maxLeverage })
    if (c.maxOpenOrders !== undefined) out.push({ limit: 'maxOpenOrders', value: openOrders, max: c.maxOpenOrders })
    if (c.maxPosition)
      for (const s of book.slots) {
        const lim = this.lookup(this.maxPos, c.maxPosition.perInstrument, s) ?? c.maxPosition.default
        if (lim !== undefined)
          out.push({
            limit: `maxPosition ${s.instrument.id}`,
            value: Math.max(Math.abs(s.position + s.openBuy), Math.abs(s.position - s.openSell)),
            max: lim,
          })
      }
    for (const [v, w] of this.perSecond) out.push({ limit: `throttle/s ${v}`, value: w.used(time), max: w.limit })
    for (const [v, w] of this.perMinute) out.push({ limit: `throttle/min ${v}`, value: w.used(time), max: w.limit })
    return out
  }
}
