/**
 * The account and its positions: cash, equity, margin, borrow fees and round-trip trades. Several strategies
 * share one account; each keeps its own position per instrument, and the account nets them for margin.
 *
 * Cash moves with every fill (buy: -qty·price·multiplier - fee; sell: +qty·price·multiplier - fee), so
 * equity = cash + Σ net quantity · last price · multiplier at every moment, and
 * equity − initial cash = realised + unrealised − fees − borrow fees + carry (dividends, funding and swap
 * received, see {@link Portfolio.applyAccountEvent}).
 *
 * Cash, equity, fees, margin and buying power are in the account's currency. An instrument quoted in another
 * currency (ETH-BTC on a USD account) needs a conversion: its prices, fees and position P&L stay in the quote
 * currency, and every amount entering the account is multiplied by the latest rate given to
 * {@link Portfolio.setFxRate} (the close of the last FX bar that has closed: no look-ahead). Without a
 * conversion the instrument is refused (CURRENCY_MISMATCH); a same-currency book has rate 1.
 */
import { KestrelError, checkAccountEvent, roundQuantity } from '../core/index.ts'
import type {
  AccountEvent,
  AccountState,
  CashFlow,
  EpochMs,
  Fill,
  Instrument,
  OrderSide,
  Position,
} from '../core/index.ts'
import { PositionTracker, type RoundTrip } from './position-tracker.ts'
import { INSUFFICIENT_BUYING_POWER, Reservations } from './reservations.ts'

const YEAR_MS = 365 * 86_400_000

/** Account settings. */
export interface AccountConfig {
  readonly accountId?: string
  readonly currency?: string
  /** Starting cash. */
  readonly cash: number
  /** `cash`: no leverage, no shorting. `margin`: leverage, shorting, maintenance margin and liquidation. */
  readonly type?: 'cash' | 'margin'
  /** Maximum gross exposure / equity for margin accounts (initial margin = notional / leverage). Default 1. */
  readonly leverage?: number
  /** Maintenance margin as a fraction of gross notional; below it the account is liquidated. Default 0.25. */
  readonly maintenanceMargin?: number
  /** Annual borrow fee on the market value of short positions, as a fraction (0.03 = 3%/year). Default 0. */
  readonly borrowRate?: number
  /**
   * Quote currencies other than the account's that have an FX series (e.g. `['BTC']` for ETH-BTC on a USD
   * account); their rates arrive with {@link Portfolio.setFxRate}. An instrument quoted in any other currency
   * is refused.
   */
  readonly fxCurrencies?: readonly string[]
}

/** Per-instrument state: the last price and the strategies' positions in it. */
export interface InstrumentBook {
  readonly instrument: Instrument
  lastPrice: number
  /** Net quantity over all strategies. */
  netQuantity: number
  lastAccrual: EpochMs
  readonly trackers: PositionTracker[]
  /** Account currency per unit of the instrument's quote currency: 1, or the latest FX rate (NaN before one). */
  rate: number
  /** The FX rates of the quote currency over time; undefined when it is the account currency. */
  readonly fx: FxHistory | undefined
}

/**
 * The last {@link FxHistory.capacity} FX rates of one currency with the close times of their bars. A fill is
 * stamped at the open of the bar that filled it, possibly before FX bars that closed since; it converts at the
 * rate of the last FX bar closed by its time, and a time older than the history kept is an error.
 */
export class FxHistory {
  static readonly capacity = 4096
  private readonly times = new Float64Array(FxHistory.capacity)
  private readonly rates = new Float64Array(FxHistory.capacity)
  private count = 0

  constructor(readonly currency: string) {}

  push(time: EpochMs, rate: number): void {
    const last = this.count > 0 ? this.times[(this.count - 1) % FxHistory.capacity]! : -Infinity
    if (!(time >= last))
      throw new KestrelError('DATA_BAD_ROW', `FX ${this.currency}: rate at ${time} is before the previous one`)
    const i = this.count++ % FxHistory.capacity
    this.times[i] = time
    this.rates[i] = rate
  }

  /** The rate of the last bar closed at or before `time`; NaN when none has closed. */
  at(time: EpochMs): number {
    const cap = FxHistory.capacity
    const n = Math.min(this.count, cap)
    for (let k = 1; k <= n; k++) {
      const i = (this.count - k) % cap
      if (this.times[i]! <= time) return this.rates[i]!
    }
    if (this.count > cap)
      throw new KestrelError('STATE_INVALID', `FX ${this.currency}: no rate kept for ${time}, older than ${cap} rates`)
    return NaN
  }
}

/** Result of a pre-trade affordability check. */
export type Affordability = { ok: true } | { ok: false; reason: string }

/** The one "it fits" answer, shared (frozen). */
const OK: { readonly ok: true } = Object.freeze({ ok: true as const })

/** Result of a fill check: when it does not fit, the buying power available and what the fill needs. */
export type FillCheck = { ok: true } | { ok: false; reason: string; available: number; required: number }

/** Cash or margin account with positions, P&L and round trips. */
export class Portfolio {
  readonly accountId: string
  readonly currency: string
  readonly type: 'cash' | 'margin'
  readonly leverage: number
  readonly maintenanceMargin: number
  readonly borrowRate: number
  readonly initialCash: number
  cash: number
  feesPaid = 0
  borrowPaid = 0
  /** Dividends, funding and swap received, in total (negative: paid), in the account currency. */
  carry = 0
  /** Time of the latest fill or mark (-Infinity before the first). */
  time: EpochMs = -Infinity
  /** Buying power held for open orders and for fills reported but not yet applied. */
  readonly reservations = new Reservations()
  private readonly books = new Map<string, InstrumentBook>()
  private readonly bookList: InstrumentBook[] = []
  private readonly trackers = new Map<string, PositionTracker>()
  private readonly trackerIndex = new Map<string, Map<string, PositionTracker>>()
  private readonly closedTrades: RoundTrip[] = []
  private keepTrades = true
  private tradeCount = 0
  private lastClosed: RoundTrip | undefined
  private readonly fx: ReadonlySet<string>
  private readonly rates = new Map<string, FxHistory>()

  constructor(cfg: AccountConfig) {
    if (!(cfg.cash >= 0) || !Number.isFinite(cfg.cash)) {
      throw new KestrelError('CONFIG_INVALID', `account cash: expected a number >= 0, got ${cfg.cash}`)
    }
    this.accountId = cfg.accountId ?? 'SIM-001'
    this.currency = cfg.currency ?? 'USD'
    this.type = cfg.type ?? 'cash'
    this.leverage = this.type === 'cash' ? 1 : (cfg.leverage ?? 1)
    this.maintenanceMargin = cfg.maintenanceMargin ?? 0.25
    this.borrowRate = cfg.borrowRate ?? 0
    if (!(this.leverage >= 1)) throw new KestrelError('CONFIG_INVALID', `account leverage: expected >= 1`)
    this.initialCash = cfg.cash
    this.cash = cfg.cash
    this.fx = new Set(cfg.fxCurrencies ?? [])
    for (const c of this.fx) if (c !== this.currency) this.rates.set(c, new FxHistory(c))
  }

  /** Stop keeping closed round trips in memory (long streamed runs); counts are still kept. */
  discardTrades(): void {
    this.keepTrades = false
  }

  /** Registers an instrument (idempotent) and returns its book; the kernel keeps the reference. */
  book(instrument: Instrument): InstrumentBook {
    let b = this.books.get(instrument.id)
    if (!b) {
      const quote = instrument.currency
      if (quote !== this.currency && !this.fx.has(quote)) {
        throw new KestrelError(
          'CURRENCY_MISMATCH',
          `instrument ${instrument.id} is quoted in ${quote}, the account in ${this.currency}: ` +
            `run the account in ${quote} (--currency ${quote}) or configure an FX series ` +
            `(backtest.fx: { ${quote}${this.currency}: <csv> })`,
          { instrumentId: instrument.id, quoteCurrency: quote, accountCurrency: this.currency },
        )
      }
      const fx = quote === this.currency ? undefined : this.rates.get(quote)!
      const rate = fx ? fx.at(Infinity) : 1
      b = { instrument, lastPrice: NaN, netQuantity: 0, lastAccrual: NaN, trackers: [], rate, fx }
      this.books.set(instrument.id, b)
      this.bookList.push(b)
    }
    return b
  }

  /** The book of an instrument, or throws DATA_NOT_FOUND. */
  bookOf(instrumentId: string): InstrumentBook {
    const b = this.books.get(instrumentId)
    if (!b) throw new KestrelError('DATA_NOT_FOUND', `portfolio: unknown instrument ${instrumentId}`)
    return b
  }

  /**
   * The price of one unit of `currency` in the account currency from `time` on (the close of an FX bar that
   * closed at `time`); every book quoted in it converts at this rate from its next mark, fill or valuation.
   */
  setFxRate(currency: string, rate: number, time: EpochMs): void {
    const h = this.rates.get(currency)
    if (!h) throw new KestrelError('STATE_INVALID', `FX rate for ${currency}: not a configured conversion`)
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new KestrelError('DATA_BAD_ROW', `FX rate ${currency}${this.currency} ${rate}: expected a finite price > 0`)
    h.push(time, rate)
    for (const b of this.bookList) if (b.instrument.currency === currency) b.rate = rate
  }

  /** Account-currency value of one unit of an instrument's quote currency now (NaN before the first FX rate). */
  rateOf(instrumentId: string): number {
    return this.bookOf(instrumentId).rate
  }

  /** The tracker of one strategy's position in one instrument (created flat on first use). */
  tracker(strategyId: string, instrumentId: string): PositionTracker {
    let byInst = this.trackerIndex.get(strategyId)
    if (!byInst) this.trackerIndex.set(strategyId, (byInst = new Map()))
    let t = byInst.get(instrumentId)
    if (!t) {
      const b = this.bookOf(instrumentId)
      t = new PositionTracker(strategyId, instrumentId, b.instrument.multiplier)
      if (!Number.isNaN(b.lastPrice)) t.mark(b.lastPrice)
      this.trackers.set(`${strategyId}\u0000${instrumentId}`, t)
      byInst.set(instrumentId, t)
      b.trackers.push(t)
    }
    return t
  }

  /** The tracker of a strategy in a book: a scan of the book's few trackers, else {@link tracker}. */
  private trackerIn(b: InstrumentBook, strategyId: string): PositionTracker {
    const ts = b.trackers
    if (ts.length <= 8) for (let i = 0; i < ts.length; i++) if (ts[i]!.position.strategyId === strategyId) return ts[i]!
    return this.tracker(strategyId, b.instrument.id)
  }

  /** Applies a fill to cash, the strategy's position and the account; returns the position and a closed trip. */
  applyFill(fill: Fill): { position: Readonly<Position>; closed?: RoundTrip } {
    const n = this.tradeCount
    const t = this.applyFillTo(fill)
    const closed = this.tradeCount > n ? this.lastClosed : undefined
    return closed ? { position: t.position, closed } : { position: t.position }
  }

  /**
   * {@link applyFill} for the engine's fill path: returns the tracker of the position it changed (read it, do
   * not keep its position: it keeps changing), allocating nothing but a closed round trip.
   */
  applyFillTo(fill: Fill): PositionTracker {
    if (!(fill.fee >= 0) && fill.liquidity !== 'MAKER') {
      throw new KestrelError('STATE_INVALID', `fill ${fill.fillId}: negative fee ${fill.fee} on a taker fill`)
    }
    const b = this.bookOf(fill.instrumentId)
    const m = b.instrument.multiplier
    const signed = fill.side === 'BUY' ? fill.quantity : -fill.quantity
    this.accrue(b, fill.time)
    this.reservations.settle(fill.fillId)
    const r = b.fx === undefined ? 1 : b.fx.at(fill.time)
    if (!(r > 0)) {
      throw new KestrelError(
        'STATE_INVALID',
        `fill ${fill.fillId} of ${fill.instrumentId}: no ${b.instrument.currency}${this.currency} rate closed by ${fill.time}`,
      )
    }
    this.cash -= (signed * fill.price * m + fill.fee) * r
    this.feesPaid += fill.fee * r
    b.netQuantity += signed
    if (Math.abs(b.netQuantity) < 1e-12 * fill.quantity) b.netQuantity = 0
    if (Number.isNaN(b.lastPrice)) b.lastPrice = fill.price
    const t = this.trackerIn(b, fill.strategyId)
    const closed = t.apply(fill)
    if (closed) {
      this.tradeCount++
      this.lastClosed = closed
      if (this.keepTrades) this.closedTrades.push(closed)
    }
    if (fill.time > this.time) this.time = fill.time
    return t
  }

  /** Marks an instrument at `price` at `time`; accrues borrow fees on a short position. */
  mark(b: InstrumentBook, price: number, time: EpochMs): void {
    if (b.netQuantity < 0) this.accrue(b, time)
    else b.lastAccrual = time
    b.lastPrice = price
    const ts = b.trackers
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!
      if (t.position.quantity !== 0 || t.position.unrealizedPnl !== 0) t.mark(price)
      else t.position.lastPrice = price
    }
    if (time > this.time) this.time = time
  }

  private accrue(b: InstrumentBook, time: EpochMs): void {
    if (b.netQuantity < 0 && this.borrowRate > 0 && b.lastAccrual < time && !Number.isNaN(b.lastPrice)) {
      const fee =
        (-b.netQuantity * b.lastPrice * b.instrument.multiplier * b.rate * this.borrowRate * (time - b.lastAccrual)) /
        YEAR_MS
      this.cash -= fee
      this.borrowPaid += fee
      attributeBorrow(b.trackers, fee / b.rate)
    }
    b.lastAccrual = time
  }

  /**
   * Applies an account event at `time` to every strategy's position in the instrument; returns what it did to
   * each position that was not flat (none when all were flat, or before the instrument's first price).
   *
   * A split multiplies quantities and divides average and last prices; a quantity that is no longer a whole
   * number of lots is rounded toward zero and the rest is sold back at the post-split last price (cash in
   * lieu, as brokers pay it). Dividends credit `amount` per unit to longs and charge it to shorts; funding
   * and swap charge their rate × notional at the last price. A delisting closes each position at the last
   * price × (1 + delisting return) (see `DelistingEvent` in core). Cash flows are converted at the book's rate.
   */
  applyAccountEvent(e: AccountEvent, time: EpochMs): CashFlow[] {
    checkAccountEvent(e)
    const b = this.bookOf(e.instrumentId)
    const out: CashFlow[] = []
    if (e.kind === 'SPLIT') {
      this.reservations.scale(b.instrument.id, e.ratio)
      if (!Number.isNaN(b.lastPrice)) b.lastPrice /= e.ratio
      b.netQuantity *= e.ratio
      for (const t of b.trackers) {
        const q = t.position.quantity
        if (q === 0) {
          if (!Number.isNaN(t.position.lastPrice)) t.position.lastPrice /= e.ratio
          continue
        }
        t.split(e.ratio)
        out.push({
          kind: 'SPLIT',
          time,
          instrumentId: b.instrument.id,
          strategyId: t.position.strategyId!,
          quantity: q,
          amount: 0,
        })
        const whole = roundQuantity(b.instrument, t.position.quantity, 'down')
        const rest = t.position.quantity - whole
        if (Math.abs(rest) > 1e-9 * Math.max(1, Math.abs(whole))) {
          const price = Number.isNaN(t.position.lastPrice) ? t.position.avgPrice : t.position.lastPrice
          const fill: Fill = {
            fillId: `CASH-IN-LIEU-${e.instrumentId}-${time}-${t.position.strategyId}`,
            clientOrderId: '',
            strategyId: t.position.strategyId!,
            instrumentId: b.instrument.id,
            side: rest > 0 ? 'SELL' : 'BUY',
            quantity: Math.abs(rest),
            price,
            fee: 0,
            feeCurrency: b.instrument.currency,
            liquidity: 'TAKER',
            time,
          }
          const cash0 = this.cash
          this.applyFillTo(fill)
          out.push({
            kind: 'CASH_IN_LIEU',
            time,
            instrumentId: b.instrument.id,
            strategyId: fill.strategyId,
            quantity: rest,
            amount: this.cash - cash0,
          })
        } else if (rest !== 0) {
          t.position.quantity = whole
        }
      }
      // The book nets the rounded positions exactly.
      let net = 0
      for (const t of b.trackers) net += t.position.quantity
      b.netQuantity = net
      return out
    }
    if (Number.isNaN(b.lastPrice) && e.kind !== 'DIVIDEND') return out
    if (e.kind === 'DELISTING') return this.delist(b, e.delistingReturn, time)
    this.accrue(b, time)
    const m = b.instrument.multiplier
    const r = b.fx === undefined ? 1 : b.fx.at(time)
    for (const t of b.trackers) {
      const q = t.position.quantity
      if (q === 0) continue
      let perUnit: number
      if (e.kind === 'DIVIDEND') perUnit = e.amount
      else if (e.kind === 'FUNDING') perUnit = -b.lastPrice * e.rate
      else perUnit = -b.lastPrice * (q > 0 ? e.longRate : e.shortRate) * Math.sign(q)
      const local = q * perUnit * m
      const amount = local * r
      if (!Number.isFinite(amount)) {
        throw new KestrelError(
          'STATE_INVALID',
          `${e.kind} of ${e.instrumentId} at ${time}: amount ${amount} is not finite`,
        )
      }
      this.cash += amount
      this.carry += amount
      t.addCarry(local)
      out.push({
        kind: e.kind,
        time,
        instrumentId: b.instrument.id,
        strategyId: t.position.strategyId!,
        quantity: q,
        amount,
      })
    }
    return out
  }

  /**
   * Closes every position in the book at the last price × (1 + `ret`) with a fill of no fee (a closed round
   * trip), and leaves the book at that price; one DELISTING cash flow per position with the proceeds.
   */
  private delist(b: InstrumentBook, ret: number, time: EpochMs): CashFlow[] {
    const out: CashFlow[] = []
    const price = b.lastPrice * (1 + ret)
    for (const t of b.trackers) {
      const q = t.position.quantity
      if (q === 0) continue
      const cash0 = this.cash
      this.applyFillTo({
        fillId: `DELISTING-${b.instrument.id}-${time}-${t.position.strategyId}`,
        clientOrderId: '',
        strategyId: t.position.strategyId!,
        instrumentId: b.instrument.id,
        side: q > 0 ? 'SELL' : 'BUY',
        quantity: Math.abs(q),
        price,
        fee: 0,
        feeCurrency: b.instrument.currency,
        liquidity: 'TAKER',
        time,
      })
      out.push({
        kind: 'DELISTING',
        time,
        instrumentId: b.instrument.id,
        strategyId: t.position.strategyId!,
        quantity: q,
        amount: this.cash - cash0,
      })
    }
    b.netQuantity = 0
    b.lastPrice = price
    for (const t of b.trackers) t.position.lastPrice = price
    return out
  }

  /** Cash plus the market value of every position. */
  equity(): number {
    let e = this.cash
    const bs = this.bookList
    for (let i = 0; i < bs.length; i++) {
      const b = bs[i]!
      if (b.netQuantity !== 0) e += b.netQuantity * b.lastPrice * b.instrument.multiplier * b.rate
    }
    return e
  }

  /** Σ |net quantity · price · multiplier · rate|, in the account currency. */
  grossExposure(): number {
    let g = 0
    const bs = this.bookList
    for (let i = 0; i < bs.length; i++) {
      const b = bs[i]!
      if (b.netQuantity !== 0) g += Math.abs(b.netQuantity * b.lastPrice * b.instrument.multiplier * b.rate)
    }
    return g
  }

  /** Initial margin in use (gross exposure / leverage). */
  marginUsed(): number {
    return this.grossExposure() / this.leverage
  }

  /** True when a margin account's equity fell below its maintenance requirement. */
  belowMaintenance(): boolean {
    if (this.type !== 'margin') return false
    const g = this.grossExposure()
    return g > 0 && this.equity() < g * this.maintenanceMargin
  }

  /** Buying power left after open reservations: cash (cash accounts) or equity − margin in use (margin). */
  buyingPower(): number {
    const base = this.type === 'cash' ? this.cash : this.equity() - this.marginUsed()
    return base - this.reservations.total
  }

  /**
   * What an order of `quantity` at about `price` with fee `fee` needs from the account: the buying power to hold
   * (cash: notional + fee of a buy, nothing for a sell; margin: the initial margin it adds + fee, nothing when it
   * only reduces), and for a cash account the position quantity a sell uses. A cash account cannot go short,
   * counting the quantity open sells already hold (an OCO `group` holds its largest member once). Sets
   * {@link needAmount} and {@link needSellQty} and returns undefined, or returns the problem.
   */
  private requirement(
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    group: string | undefined,
  ): string | undefined {
    const b = this.bookOf(instrumentId)
    const r = b.rate
    if (!(r > 0))
      return `no ${b.instrument.currency}${this.currency} rate known yet for ${instrumentId} (the FX series has no closed bar)`
    const m = b.instrument.multiplier * r
    fee *= r
    if (this.type === 'cash') {
      if (side === 'BUY') return this.need(quantity * price * m + fee, 0)
      const held = this.reservations.sellQty(instrumentId, group)
      const need = Math.max(quantity, this.reservations.groupSellQty(group))
      if (b.netQuantity - held - need < -1e-12 * quantity)
        return (
          `cash account cannot sell short ${instrumentId}: selling ${quantity}, position ${b.netQuantity}` +
          (held > 0 ? `, ${held} already held by open sells` : '')
        )
      return this.need(Math.max(0, fee - quantity * price * m), quantity)
    }
    const after = b.netQuantity + (side === 'BUY' ? quantity : -quantity)
    const extra = ((Math.abs(after) - Math.abs(b.netQuantity)) * price * m) / this.leverage
    return this.need(extra > 0 ? extra + fee : 0, 0)
  }

  /** What the last {@link requirement} or {@link check} found an order needs (scratch: no result objects). */
  private needAmount = 0
  private needSellQty = 0

  private need(amount: number, sellQty: number): undefined {
    this.needAmount = amount
    this.needSellQty = sellQty
    return undefined
  }

  /**
   * Can the account take this order at about `price` with fee `fee`, given what open orders already hold? Cash
   * accounts need the cash and cannot go short; margin accounts need the extra initial margin. A member of OCO
   * `group` needs only what it adds to the group's largest hold.
   */
  canAfford(
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    group?: string,
  ): Affordability {
    const why = this.check(instrumentId, side, quantity, price, fee, group)
    return why === undefined ? OK : { ok: false, reason: why }
  }

  /** {@link requirement} against the buying power: undefined (and the need set) when it fits, else why not. */
  private check(
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    group: string | undefined,
  ): string | undefined {
    const problem = this.requirement(instrumentId, side, quantity, price, fee, group)
    if (problem !== undefined) return problem
    const amount = this.needAmount
    const add = group === undefined ? amount : amount - this.reservations.groupAmount(group)
    if (add <= 0) return this.need(Math.max(0, amount), this.needSellQty)
    const free = this.buyingPower()
    if (add <= free * (1 + 1e-12) + 1e-9) return undefined
    const what = this.type === 'cash' ? 'cash' : 'initial margin'
    const held = this.reservations.total
    return (
      `${INSUFFICIENT_BUYING_POWER}: ${side} ${quantity} ${instrumentId} @ ${price} needs ${round2(add)} ${what}` +
      ` (fee ${round2(fee)}), buying power ${round2(free)}` +
      (held > 0 ? ` after ${round2(held)} held by open orders` : '')
    )
  }

  /** Checks an order like {@link canAfford} and, when it fits, holds its buying power until it ends. */
  reserve(
    clientOrderId: string,
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    group?: string,
  ): Affordability {
    const why = this.check(instrumentId, side, quantity, price, fee, group)
    if (why !== undefined) return { ok: false, reason: why }
    this.reservations.add(clientOrderId, instrumentId, group, quantity, this.needAmount, this.needSellQty)
    return OK
  }

  /**
   * A venue is about to fill `quantity` of order `clientOrderId` at `price` with `fee`. In a cash account the real
   * cost must fit the cash not held by other orders (the order's own share of its reservation counts as
   * available; with `final`, the rest of the order is canceled after this fill, so its whole reservation counts),
   * and a sell must fit the position not held by other sells. When it fits, the share moves into a hold of the
   * real cost that {@link applyFill} releases; when not, `available / required` is the fraction that would fit.
   * Margin accounts always accept (maintenance margin and liquidation guard them) and hold the order's share.
   */
  commitFill(
    fillId: string,
    clientOrderId: string,
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    price: number,
    fee: number,
    final = false,
  ): FillCheck {
    const rs = this.reservations
    const own = rs.of(clientOrderId)
    // The order's share of its reservation (all of it with `final`), without a result object.
    let shareAmount = 0
    let shareSellQty = 0
    if (own !== undefined) {
      if (final) {
        shareAmount = own.amount
        shareSellQty = own.sellQty
      } else if (own.qty > 0) {
        const f = Math.min(1, quantity / own.qty)
        shareAmount = own.amount * f
        shareSellQty = own.sellQty * f
      }
    }
    if (this.type !== 'cash') {
      rs.take(clientOrderId, fillId, instrumentId, quantity, shareAmount, 0)
      return OK
    }
    const b = this.bookOf(instrumentId)
    if (side === 'SELL') {
      const free = b.netQuantity - rs.sellQty(instrumentId, own?.group) + (own?.group === undefined ? shareSellQty : 0)
      if (quantity > free + 1e-12 * quantity)
        return {
          ok: false,
          available: Math.max(0, free),
          required: quantity,
          reason: `cash account cannot sell short ${instrumentId}: fill of ${quantity}, ${Math.max(0, free)} free to sell`,
        }
    }
    const r = b.rate
    const required = Math.max(0, ((side === 'BUY' ? quantity : -quantity) * price * b.instrument.multiplier + fee) * r)
    const available = this.cash - (rs.total - shareAmount)
    if (required > 0 && required > available * (1 + 1e-12) + 1e-9) {
      return {
        ok: false,
        available: Math.max(0, available),
        required,
        reason:
          `${INSUFFICIENT_BUYING_POWER}: fill of ${side} ${quantity} ${instrumentId} @ ${price} needs ` +
          `${round2(required)} cash, buying power ${round2(Math.max(0, available))}`,
      }
    }
    rs.take(clientOrderId, fillId, instrumentId, quantity, required, side === 'SELL' ? quantity : 0)
    if (final) rs.release(clientOrderId)
    return OK
  }

  /** Releases what a terminal order (filled, canceled, rejected, expired) still holds. */
  release(clientOrderId: string): void {
    this.reservations.release(clientOrderId)
  }

  /** Account snapshot. */
  state(time: EpochMs = this.time): AccountState {
    const equity = this.equity()
    const gross = this.grossExposure()
    const marginUsed = gross / this.leverage
    return {
      accountId: this.accountId,
      currency: this.currency,
      time,
      cash: this.cash,
      equity,
      marginUsed,
      marginAvailable: equity - marginUsed,
      leverage: equity > 0 ? gross / equity : gross > 0 ? Infinity : 0,
    }
  }

  /** Every position (per strategy and instrument), including flat ones. */
  positions(): Readonly<Position>[] {
    return [...this.trackers.values()].map((t) => t.position)
  }

  /** Σ realised and Σ unrealised P&L over every position (before fees and borrow). */
  pnl(): { realized: number; unrealized: number } {
    let realized = 0
    let unrealized = 0
    for (const t of this.trackers.values()) {
      realized += t.position.realizedPnl
      unrealized += t.position.unrealizedPnl
    }
    return { realized, unrealized }
  }

  /** Closed round trips, then (with `includeOpen`) the open ones valued at the last mark. */
  trades(includeOpen = true): RoundTrip[] {
    const out = [...this.closedTrades]
    if (includeOpen)
      for (const t of this.trackers.values()) {
        const o = t.openTrade(this.time)
        if (o) out.push(o)
      }
    return out
  }

  /** Number of closed round trips (also when they are not kept). */
  get closedTradeCount(): number {
    return this.tradeCount
  }
}

/** Splits a borrow fee over the short positions of a book, by short quantity. */
function attributeBorrow(trackers: readonly PositionTracker[], fee: number): void {
  let short = 0
  for (const t of trackers) if (t.position.quantity < 0) short -= t.position.quantity
  if (short <= 0) return
  for (const t of trackers) if (t.position.quantity < 0) t.chargeBorrow((fee * -t.position.quantity) / short)
}

function round2(v: number): number {
  return Math.round(v * 100) / 100
}
