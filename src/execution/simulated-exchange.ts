/**
 * The simulated exchange: a venue adapter that matches orders against the market data the kernel hands it
 * (bars through a path model, quotes, trade ticks), with latency, fill models, a volume participation cap,
 * fee models and venue-side OCO. It is an {@link ExecutionClient} like any real venue.
 *
 * No look-ahead: an order is matched only on market events processed after it arrived, whose start (a bar's
 * open, a tick's time) is at or after its arrival (submission + submit latency). Bar fills are stamped with
 * the bar's open time; reports reach the engine after the ack/fill latency.
 */
import { KestrelError, roundPrice, roundQuantity } from '../core/index.ts'
import type { Bar, EpochMs, Fill, Instrument, Liquidity, Order, Quote, TradeTick } from '../core/index.ts'
import { getCalendar, type TradingCalendar } from '../data/index.ts'
import { barPath } from './bar-path.ts'
import { PercentFeeModel, type FeeModel } from './fee-models.ts'
import { fillSettings, takerAdjustment, type FillSettings } from './fill-models.ts'
import { findHit, hit, type SimOrder } from './matching.ts'
import { arrivalProblem, feeInput, liquidationReport, type VenueAccount } from './order-checks.ts'
import type { ExecutionReport, ReportSink, SimulatedVenue } from './venue.ts'

/** Options of {@link SimulatedExchange}. */
export interface SimulatedExchangeOptions {
  readonly venue: string
  readonly now: () => EpochMs
  readonly account: VenueAccount
  readonly fill?: Partial<FillSettings>
  /** Fee model of this venue (default: none). Instruments with their own `fees` schedule use a per-instrument model. */
  readonly fees?: FeeModel
  readonly instrumentFees?: ReadonlyMap<string, FeeModel>
}

interface Book {
  readonly inst: Instrument
  readonly fees: FeeModel
  orders: SimOrder[]
  last: number
  sigma2: number
  permanent: number
  /** Trading calendar for DAY orders (null: unknown, use UTC days; undefined: not looked up yet). */
  calendar?: TradingCalendar | null
}

/** One order's hit in {@link SimulatedExchange.match} (pooled). */
interface MatchHit {
  o: SimOrder
  pos: number
  price: number
  maker: boolean
  k: number
}

const DAY = 86_400_000
/** Placeholder of an unused pooled hit. */
const NO_ORDER = undefined as unknown as SimOrder
const NO_FEES = new PercentFeeModel(0, 0)

/** A simulated venue. */
export class SimulatedExchange implements SimulatedVenue {
  readonly venue: string
  readonly settings: FillSettings
  /** True when taker fills are adjusted (spread, slippage or impact configured). */
  private readonly adjusts: boolean
  private sink: ReportSink | undefined
  private readonly books = new Map<string, Book>()
  private inflight: { at: EpochMs; order: Readonly<Order> | undefined; cancelId?: string }[] = []
  /** Reports waiting for their time, in time order: due times and reports side by side (no entry objects). */
  private readonly queueAt: EpochMs[] = []
  private readonly queue: ExecutionReport[] = []
  /** The book of the last market event (consecutive events of one instrument skip the map). */
  private lastBook: Book | undefined
  /** Scratch of {@link match}, reused (it never runs inside itself). */
  private readonly hits: MatchHit[] = []
  private readonly triggeredSet = new Set<SimOrder>()
  private readonly doneSet = new Set<SimOrder>()
  private seq = 0
  private fillN = 0
  private liqN = 0
  private flushing = false
  private readonly pts = new Float64Array(4)
  private readonly buyPts = new Float64Array(1)
  private readonly sellPts = new Float64Array(1)

  constructor(private readonly opts: SimulatedExchangeOptions) {
    this.venue = opts.venue
    this.settings = fillSettings(opts.fill)
    const st = this.settings
    this.adjusts = st.spreadBps > 0 || st.slippage.type !== 'none' || st.impact.type !== 'none'
  }

  /** Lists an instrument on this venue. */
  addInstrument(inst: Instrument): void {
    if (this.books.has(inst.id)) return
    const fees = this.opts.instrumentFees?.get(inst.id) ?? this.opts.fees ?? NO_FEES
    this.books.set(inst.id, { inst, fees, orders: [], last: NaN, sigma2: 0, permanent: 0 })
  }

  connect(sink: ReportSink): void {
    this.sink = sink
  }

  submit(order: Readonly<Order>, time: EpochMs): void {
    const lat = this.settings.latency.submitMs
    if (lat > 0) this.inflight.push({ at: time + lat, order })
    else this.arrive(order, time)
    this.flush()
  }

  cancel(clientOrderId: string, time: EpochMs): void {
    const lat = this.settings.latency.submitMs
    if (lat > 0) this.inflight.push({ at: time + lat, order: undefined, cancelId: clientOrderId })
    else this.doCancel(clientOrderId, time, 'canceled by client')
    this.flush()
  }

  advance(time: EpochMs): void {
    this.receive(time, time)
    this.flush()
  }

  applySplit(instrumentId: string, ratio: number, amended: ReadonlyMap<string, Readonly<Order>>): void {
    const b = this.book(instrumentId)
    if (b.last > 0) b.last /= ratio
    b.permanent /= ratio
    const keep: SimOrder[] = []
    for (const o of b.orders) {
      const next = amended.get(o.order.clientOrderId)
      if (next === undefined) {
        keep.push(o) // not open at the engine any more (a report on its way): left as it was
        continue
      }
      o.order = next
      o.filled *= ratio
      o.remaining = next.quantity - o.filled
      o.trail /= ratio
      if (o.remaining > 1e-12 * next.quantity) keep.push(o)
    }
    b.orders = keep
    for (const m of this.inflight) if (m.order) m.order = amended.get(m.order.clientOrderId) ?? m.order
  }

  /**
   * The instrument is delisted: every order on it, resting or on its way in, is forgotten without a report
   * (the engine cancels its own records, see {@link ExecutionEngine.delist}).
   */
  delist(instrumentId: string): void {
    const b = this.book(instrumentId)
    b.orders = []
    this.inflight = this.inflight.filter((m) => m.order?.instrumentId !== instrumentId)
  }

  /** Open orders resting on the venue (for tests and reconciliation). */
  openOrderIds(): string[] {
    const out: string[] = []
    for (const b of this.books.values()) for (const o of b.orders) out.push(o.order.clientOrderId)
    return out
  }

  onBar(bar: Bar): void {
    const b = this.book(bar.instrumentId)
    if (b.orders.length === 0 && this.inflight.length === 0 && this.queue.length === 0) {
      // Nothing resting, in flight or due: the bar only moves the sequence and the last price.
      this.seq++
      this.observe(b, bar.close)
      return
    }
    const seq = ++this.seq
    this.receive(bar.openTime, bar.closeTime)
    if (b.orders.length > 0) {
      this.expire(b, bar.openTime)
      const n = barPath(this.settings.path, bar.open, bar.high, bar.low, bar.close, this.pts)
      this.match(b, seq, bar.openTime, this.pts, this.pts, n, bar.volume, true, bar.low, bar.high)
    }
    this.observe(b, bar.close)
    this.flush()
  }

  onQuote(q: Quote): void {
    const b = this.book(q.instrumentId)
    const seq = ++this.seq
    this.receive(q.time, q.time)
    if (b.orders.length > 0) {
      this.expire(b, q.time)
      this.buyPts[0] = q.ask
      this.sellPts[0] = q.bid
      const vol = q.askSize > 0 && q.bidSize > 0 ? Math.min(q.askSize, q.bidSize) : Infinity
      this.match(b, seq, q.time, this.buyPts, this.sellPts, 1, vol, false, -Infinity, Infinity)
    }
    this.observe(b, (q.bid + q.ask) / 2)
    this.flush()
  }

  onTrade(t: TradeTick): void {
    const b = this.book(t.instrumentId)
    const seq = ++this.seq
    this.receive(t.time, t.time)
    if (b.orders.length > 0) {
      this.expire(b, t.time)
      this.buyPts[0] = t.price
      this.match(
        b,
        seq,
        t.time,
        this.buyPts,
        this.buyPts,
        1,
        t.size > 0 ? t.size : Infinity,
        false,
        -Infinity,
        Infinity,
      )
    }
    this.observe(b, t.price)
    this.flush()
  }

  private book(id: string): Book {
    const l = this.lastBook
    if (l !== undefined && l.inst.id === id) return l
    const b = this.books.get(id)
    if (!b) throw new KestrelError('DATA_NOT_FOUND', `venue ${this.venue}: instrument ${id} is not listed`)
    this.lastBook = b
    return b
  }

  private observe(b: Book, price: number): void {
    // The volatility estimate feeds only taker adjustments (slippage, impact): without them it is never read.
    if (this.adjusts && b.last > 0 && price > 0) {
      const r = Math.log(price / b.last)
      const l = this.settings.volLambda
      b.sigma2 = b.sigma2 === 0 ? r * r : l * b.sigma2 + (1 - l) * r * r
    }
    b.last = price
  }

  /** Lands in-flight orders and cancels that arrive by `end`; those arriving after `start` wait an event. */
  private receive(start: EpochMs, end: EpochMs): void {
    if (this.inflight.length === 0) return
    const keep: typeof this.inflight = []
    for (const m of this.inflight) {
      if (m.at > end) keep.push(m)
      else if (m.order) this.arrive(m.order, m.at, m.at <= start ? this.seq : this.seq + 1)
      else this.doCancel(m.cancelId!, m.at, 'canceled by client')
    }
    this.inflight = keep
  }

  private arrive(order: Readonly<Order>, time: EpochMs, eligibleSeq = this.seq + 1): void {
    const id = order.clientOrderId
    const b = this.books.get(order.instrumentId)
    const why = b
      ? arrivalProblem(order, b.inst, b.last, b.fees, this.opts.account, time)
      : `instrument ${order.instrumentId} is not listed on ${this.venue}`
    if (why !== undefined || !b) {
      this.emit({ kind: 'REJECTED', clientOrderId: id, time, reason: why! }, time)
      return
    }
    const sign = order.side === 'BUY' ? 1 : -1
    const venueOrderId = `${this.venue}-${id}`
    b.orders.push({
      order,
      venueOrderId,
      sign,
      remaining: order.quantity,
      filled: 0,
      notional: 0,
      fees: 0,
      arrival: time,
      eligibleSeq,
      rested: false,
      triggered: false,
      trail: b.last,
      expireAt: this.expiry(b, order, time),
    })
    this.emit({ kind: 'ACCEPTED', clientOrderId: id, venueOrderId, time }, time + this.settings.latency.ackMs)
  }

  /**
   * Expiry of an order arriving at `time`: its good-till time, and for DAY orders the close of the instrument's
   * trading session containing `time` (or the next session when the market is closed). Calendars come from
   * the data layer; an unknown calendar falls back to the end of the UTC day.
   */
  private expiry(b: Book, order: Readonly<Order>, time: EpochMs): number {
    let at = order.expireTime ?? Infinity
    if (order.timeInForce === 'DAY') {
      if (b.calendar === undefined) {
        try {
          b.calendar = getCalendar(b.inst.calendar)
        } catch {
          b.calendar = null
        }
      }
      const close = b.calendar?.nextSession(time)?.close ?? (Math.floor(time / DAY) + 1) * DAY
      at = Math.min(at, close)
    }
    return at
  }

  private doCancel(id: string, time: EpochMs, reason: string): void {
    for (const b of this.books.values()) {
      const i = b.orders.findIndex((o) => o.order.clientOrderId === id)
      if (i >= 0) {
        b.orders.splice(i, 1)
        this.emit({ kind: 'CANCELED', clientOrderId: id, time, reason }, time + this.settings.latency.ackMs)
        return
      }
    }
    const j = this.inflight.findIndex((m) => m.order?.clientOrderId === id)
    if (j >= 0) {
      this.inflight.splice(j, 1)
      this.emit({ kind: 'CANCELED', clientOrderId: id, time, reason }, time + this.settings.latency.ackMs)
    }
  }

  private expire(b: Book, start: EpochMs): void {
    for (let i = b.orders.length - 1; i >= 0; i--) {
      const o = b.orders[i]!
      if (start >= o.expireAt) {
        b.orders.splice(i, 1)
        this.emit({ kind: 'EXPIRED', clientOrderId: o.order.clientOrderId, time: start }, start)
      }
    }
  }

  private match(
    b: Book,
    seq: number,
    start: EpochMs,
    buyPts: Float64Array,
    sellPts: Float64Array,
    n: number,
    volume: number,
    onBars: boolean,
    lo: number,
    hi: number,
  ): void {
    const s = this.settings
    const orders = b.orders
    const triggered = this.triggeredSet
    const done = this.doneSet
    triggered.clear()
    done.clear()
    // Hits go into a pool of entries, kept sorted by path position then book order (insertion: few hits).
    const pool = this.hits
    let nh = 0
    for (let k = 0; k < orders.length; k++) {
      const o = orders[k]!
      if (o.eligibleSeq > seq || o.arrival > start) continue
      const wasTriggered = o.triggered
      const got = findHit(o, o.sign > 0 ? buyPts : sellPts, n, s.limitFillOnTouch)
      if (o.triggered && !wasTriggered) triggered.add(o)
      if (!got) continue
      let e = pool[nh]
      if (e === undefined) pool.push((e = { o, pos: 0, price: 0, maker: false, k: 0 }))
      e.o = o
      e.pos = hit.pos
      e.price = hit.price
      e.maker = hit.maker
      e.k = k
      let j = nh++
      while (j > 0 && pool[j - 1]!.pos > e.pos) {
        pool[j] = pool[j - 1]!
        j--
      }
      pool[j] = e
    }
    let budget = s.participation > 0 && s.participation < 1 ? Math.floor(s.participation * volume) : Infinity
    for (let x = 0; x < nh; x++) {
      const h = pool[x]!
      const o = h.o
      if (done.has(o)) continue
      this.triggered(triggered, o, start)
      const inst = b.inst
      const immediate = o.order.timeInForce === 'IOC' || o.order.timeInForce === 'FOK'
      if (o.order.postOnly && !o.rested && h.pos === 0 && !h.maker) {
        this.remove(b, o, done, 'CANCELED', start, 'post-only order would take liquidity')
        continue
      }
      if (immediate && h.pos > 0) continue
      let qty = Math.min(o.remaining, roundQuantity(inst, budget === Infinity ? o.remaining : budget))
      if (o.order.timeInForce === 'FOK' && qty < o.remaining) {
        this.remove(b, o, done, 'CANCELED', start, 'FOK: not enough volume to fill the whole order')
        continue
      }
      if (o.order.reduceOnly) {
        const pos = Math.abs(this.opts.account.strategyPosition(o.order.strategyId, o.order.instrumentId))
        if (pos < qty) qty = pos
        if (qty <= 0) {
          this.remove(b, o, done, 'CANCELED', start, 'reduce-only: position already closed')
          continue
        }
      }
      if (!(qty > 0)) continue
      budget -= qty
      const liquidity: Liquidity = h.maker ? 'MAKER' : 'TAKER'
      let price = h.price + b.permanent
      if (!h.maker && this.adjusts) {
        const adj = takerAdjustment(s, {
          price: h.price,
          sign: o.sign,
          quantity: qty,
          volume,
          sigma: Math.sqrt(b.sigma2),
          tickSize: inst.tickSize,
          onBars,
        })
        price += adj.delta
        b.permanent += adj.permanent
        if (price !== h.price) price = roundPrice(inst, price, o.sign > 0 ? 'up' : 'down')
        const lim = o.order.limitPrice
        if (lim !== undefined && (o.order.type === 'LIMIT' || o.order.type === 'STOP_LIMIT'))
          price = o.sign > 0 ? Math.min(price, lim) : Math.max(price, lim)
      }
      if (onBars && s.clampToBar) price = Math.min(hi, Math.max(lo, price))
      const short = this.fill(b, o, qty, price, liquidity, start)
      if (short !== undefined) {
        this.remove(b, o, done, 'CANCELED', start, short)
        continue
      }
      if (o.remaining <= 0) {
        this.remove(b, o, done, undefined, start)
        this.cancelSiblings(b, o, done, start)
      }
    }
    if (triggered.size > 0) for (const o of [...triggered]) if (!done.has(o)) this.triggered(triggered, o, start)
    for (let k = orders.length - 1; k >= 0; k--) {
      const o = orders[k]!
      if (o.eligibleSeq > seq || o.arrival > start) continue
      if (o.order.timeInForce === 'IOC' || o.order.timeInForce === 'FOK') {
        this.remove(b, o, done, 'CANCELED', start, `${o.order.timeInForce}: unfilled rest canceled`)
      } else o.rested = true
    }
    // Nothing of this event stays referenced from the scratch.
    triggered.clear()
    done.clear()
    for (let x = 0; x < nh; x++) pool[x]!.o = NO_ORDER
  }

  private triggered(pending: Set<SimOrder>, o: SimOrder, time: EpochMs): void {
    if (pending.delete(o)) this.emit({ kind: 'TRIGGERED', clientOrderId: o.order.clientOrderId, time }, time)
  }

  /**
   * Fills `qty` of `o` at `price`. When the account cannot pay for it (a cash account after the price moved
   * since the order was reserved), fills the largest lot multiple that fits and returns the reason to cancel
   * the rest with; returns undefined otherwise.
   */
  private fill(
    b: Book,
    o: SimOrder,
    qty: number,
    price: number,
    liquidity: Liquidity,
    time: EpochMs,
  ): string | undefined {
    const inst = b.inst
    const acct = this.opts.account
    const fillId = `${this.venue}-F${this.fillN + 1}`
    let fee = this.feeOf(b, o, qty, price, liquidity, time)
    let short: string | undefined
    if (acct.commitFill) {
      for (let tries = 0; ; tries++) {
        const c = acct.commitFill(fillId, o.order.clientOrderId, inst.id, o.order.side, qty, price, fee, tries > 0)
        if (c.ok) break
        short = c.reason
        const scaled = roundQuantity(inst, (qty * c.available) / c.required, 'down')
        qty = tries === 0 ? scaled : roundQuantity(inst, Math.min(scaled, qty - inst.lotSize), 'down')
        if (!(qty >= inst.minQuantity) || tries >= 8) return short
        fee = this.feeOf(b, o, qty, price, liquidity, time)
      }
    }
    this.fillN++
    const notional = qty * price * inst.multiplier
    b.fees.record?.(notional, time)
    o.filled += qty
    o.notional += notional
    o.fees += fee
    o.remaining = roundQuantity(inst, o.order.quantity - o.filled, 'nearest')
    const f: Fill = {
      fillId,
      clientOrderId: o.order.clientOrderId,
      venueOrderId: o.venueOrderId,
      strategyId: o.order.strategyId,
      instrumentId: inst.id,
      side: o.order.side,
      quantity: qty,
      price,
      fee,
      feeCurrency: inst.currency,
      liquidity,
      time,
    }
    this.emit({ kind: 'FILL', fill: f }, time + this.settings.latency.fillMs)
    return short !== undefined && o.remaining > 0 ? short : undefined
  }

  private feeOf(b: Book, o: SimOrder, qty: number, price: number, liquidity: Liquidity, time: EpochMs): number {
    return b.fees.fee(feeInput(b.inst, qty, price, liquidity, time, o.filled, o.notional, o.fees))
  }

  private remove(
    b: Book,
    o: SimOrder,
    done: Set<SimOrder>,
    kind: 'CANCELED' | undefined,
    time: EpochMs,
    reason?: string,
  ): void {
    done.add(o)
    const i = b.orders.indexOf(o)
    if (i >= 0) b.orders.splice(i, 1)
    // After a fill of this order, the cancel is reported behind the fill (fill latency), never before it.
    const at = o.filled > 0 ? time + this.settings.latency.fillMs : time
    if (kind) this.emit({ kind, clientOrderId: o.order.clientOrderId, time, reason }, at)
  }

  /** Venue-side OCO: a filled OCO member (or bracket child) cancels its live siblings at once. */
  private cancelSiblings(b: Book, o: SimOrder, done: Set<SimOrder>, time: EpochMs): void {
    const g = o.order.groupId
    const c = o.order.contingency
    if (!g || !(c === 'OCO' || (c === 'BRACKET' && o.order.parentOrderId))) return
    for (const x of [...b.orders]) {
      if (x.order.groupId === g && x !== o && (c === 'OCO' || x.order.parentOrderId)) {
        this.remove(b, x, done, 'CANCELED', time, `OCO: ${o.order.clientOrderId} filled`)
      }
    }
  }

  /** After the account was marked at `time`: liquidates it when it is below maintenance margin. */
  afterMark(time: EpochMs): void {
    if (this.opts.account.belowMaintenance()) this.liquidate(time)
  }

  /** Closes every position at the last price and cancels every order (margin call). */
  private liquidate(time: EpochMs): void {
    for (const b of this.books.values()) {
      for (const o of [...b.orders]) this.remove(b, o, new Set(), 'CANCELED', time, 'liquidation')
    }
    for (const p of this.opts.account.openPositions()) {
      const b = this.book(p.instrumentId)
      const r = liquidationReport(this.venue, ++this.liqN, ++this.fillN, p, b.inst, b.last, b.fees, time)
      this.emit(r, time)
    }
    this.flush()
  }

  private emit(r: ExecutionReport, at: EpochMs): void {
    const ts = this.queueAt
    let i = ts.length
    while (i > 0 && ts[i - 1]! > at) i--
    if (i === ts.length) {
      ts.push(at)
      this.queue.push(r)
    } else {
      ts.splice(i, 0, at)
      this.queue.splice(i, 0, r)
    }
  }

  private flush(): void {
    if (this.flushing || !this.sink || this.queue.length === 0) return
    this.flushing = true
    try {
      const now = this.opts.now()
      const ts = this.queueAt
      const q = this.queue
      while (q.length > 0 && ts[0]! <= now) {
        ts.shift()
        this.sink(q.shift()!)
      }
    } finally {
      this.flushing = false
    }
  }
}
