/**
 * The order factory: builds validated {@link OrderRequest}s stamped with the strategy's id and a deterministic
 * client order id. Groups (OCO, OTO, bracket) come back as arrays that share a group id; submit them whole.
 * Inside an engine the ids come from the engine (`ctx.orders`), which accepts each id once, from the strategy
 * it was issued to (see the execution layer's `order-ids.ts` for the scheme).
 */
import { KestrelError, formatValue } from '../core/index.ts'
import type {
  EpochMs,
  Instrument,
  OrderRequest,
  OrderSide,
  OrderType,
  TimeInForce,
  TrailingOffsetType,
} from '../core/index.ts'

/** Options shared by every order type. */
export interface OrderOptions {
  readonly timeInForce?: TimeInForce
  readonly reduceOnly?: boolean
  readonly postOnly?: boolean
  readonly expireTime?: EpochMs
  readonly tags?: readonly string[]
}

/** A bracket: an entry (market, or limit when `entryPrice` is given) with a stop-loss and a take-profit. */
export interface BracketSpec {
  readonly instrument: Instrument | string
  readonly side: OrderSide
  readonly quantity: number
  readonly entryPrice?: number
  readonly stopLoss: number
  readonly takeProfit: number
  readonly timeInForce?: TimeInForce
}

const idOf = (i: Instrument | string): string => (typeof i === 'string' ? i : i.id)

function invalid(what: string, got: unknown): never {
  throw new KestrelError('ORDER_INVALID', `order: ${what}, got ${formatValue(got)}`, { what, got })
}

/** Where a factory takes its ids from (the engine hands one to each strategy). */
export interface OrderIdSource {
  /** A new client order id. */
  order(): string
  /** A new group id (OCO / OTO / bracket). */
  group(): string
}

/**
 * Builds orders for one strategy. Ids come from `ids` (the engine's, inside a run); standalone the factory
 * numbers them `<strategyId>-<n>`. Either way a rerun gives the same ids.
 */
export class OrderFactory {
  private n = 0
  private groups = 0
  readonly #ids: OrderIdSource | undefined

  constructor(
    readonly strategyId: string,
    ids?: OrderIdSource,
  ) {
    this.#ids = ids
  }

  /** A market order. */
  market(instrument: Instrument | string, side: OrderSide, quantity: number, opts: OrderOptions = {}): OrderRequest {
    return this.build('MARKET', instrument, side, quantity, {}, opts)
  }

  /** A limit order at `price` (post-only makes it maker-or-reject). */
  limit(
    instrument: Instrument | string,
    side: OrderSide,
    quantity: number,
    price: number,
    opts: OrderOptions = {},
  ): OrderRequest {
    return this.build('LIMIT', instrument, side, quantity, { limitPrice: price }, opts)
  }

  /** A stop (stop-market) order: becomes a market order once the price trades through `stopPrice`. */
  stop(
    instrument: Instrument | string,
    side: OrderSide,
    quantity: number,
    stopPrice: number,
    opts: OrderOptions = {},
  ): OrderRequest {
    return this.build('STOP', instrument, side, quantity, { stopPrice }, opts)
  }

  /** A stop-limit order: becomes a limit at `limitPrice` once the price reaches `stopPrice`. */
  stopLimit(
    instrument: Instrument | string,
    side: OrderSide,
    quantity: number,
    stopPrice: number,
    limitPrice: number,
    opts: OrderOptions = {},
  ): OrderRequest {
    return this.build('STOP_LIMIT', instrument, side, quantity, { stopPrice, limitPrice }, opts)
  }

  /**
   * A trailing stop: the stop follows the best price since submission at `offset` (a price distance, or a
   * fraction such as 0.02 for 2% when `offsetType` is PERCENT).
   */
  trailingStop(
    instrument: Instrument | string,
    side: OrderSide,
    quantity: number,
    offset: number,
    offsetType: TrailingOffsetType = 'PRICE',
    opts: OrderOptions = {},
  ): OrderRequest {
    if (!(offset > 0) || (offsetType === 'PERCENT' && offset >= 1)) {
      invalid(`trailing offset must be > 0${offsetType === 'PERCENT' ? ' and < 1 (a fraction)' : ''}`, offset)
    }
    return this.build(
      'TRAILING_STOP',
      instrument,
      side,
      quantity,
      { trailingOffset: offset, trailingOffsetType: offsetType },
      opts,
    )
  }

  /** One-cancels-other: the first fill of one cancels the rest. */
  oco(...orders: OrderRequest[]): OrderRequest[] {
    if (orders.length < 2) invalid('an OCO group needs at least two orders', orders.length)
    const groupId = this.groupId()
    return orders.map((o) => ({ ...o, groupId, contingency: 'OCO' as const }))
  }

  /** One-triggers-other: the children are sent only once the parent is filled. */
  oto(parent: OrderRequest, ...children: OrderRequest[]): OrderRequest[] {
    if (children.length === 0) invalid('an OTO group needs at least one child', 0)
    const groupId = this.groupId()
    return [
      { ...parent, groupId, contingency: 'OTO' },
      ...children.map((c) => ({ ...c, groupId, contingency: 'OTO' as const, parentOrderId: parent.clientOrderId })),
    ]
  }

  /** Entry, then a stop-loss and a take-profit that cancel each other (reduce-only, GTC). */
  bracket(spec: BracketSpec): OrderRequest[] {
    const exit: OrderSide = spec.side === 'BUY' ? 'SELL' : 'BUY'
    const long = spec.side === 'BUY'
    if (spec.entryPrice !== undefined) {
      const ok = long
        ? spec.stopLoss < spec.entryPrice && spec.takeProfit > spec.entryPrice
        : spec.stopLoss > spec.entryPrice && spec.takeProfit < spec.entryPrice
      if (!ok) invalid('bracket: stop-loss and take-profit must lie on either side of the entry', spec)
    } else if (long ? spec.stopLoss >= spec.takeProfit : spec.stopLoss <= spec.takeProfit) {
      invalid('bracket: stop-loss must be on the losing side of the take-profit', spec)
    }
    const tif = spec.timeInForce ?? 'GTC'
    const entry =
      spec.entryPrice === undefined
        ? this.market(spec.instrument, spec.side, spec.quantity, { timeInForce: tif })
        : this.limit(spec.instrument, spec.side, spec.quantity, spec.entryPrice, { timeInForce: tif })
    const sl = this.stop(spec.instrument, exit, spec.quantity, spec.stopLoss, { reduceOnly: true })
    const tp = this.limit(spec.instrument, exit, spec.quantity, spec.takeProfit, { reduceOnly: true })
    const groupId = this.groupId()
    return [
      { ...entry, groupId, contingency: 'BRACKET' },
      { ...sl, groupId, contingency: 'BRACKET', parentOrderId: entry.clientOrderId },
      { ...tp, groupId, contingency: 'BRACKET', parentOrderId: entry.clientOrderId },
    ]
  }

  private groupId(): string {
    return this.#ids ? this.#ids.group() : `${this.strategyId}-G${++this.groups}`
  }

  private build(
    type: OrderType,
    instrument: Instrument | string,
    side: OrderSide,
    quantity: number,
    prices: Partial<Pick<OrderRequest, 'limitPrice' | 'stopPrice' | 'trailingOffset' | 'trailingOffsetType'>>,
    opts: OrderOptions,
  ): OrderRequest {
    const instrumentId = idOf(instrument)
    if (side !== 'BUY' && side !== 'SELL') invalid(`${instrumentId}: side must be BUY or SELL`, side)
    if (!(quantity > 0) || !Number.isFinite(quantity)) invalid(`${instrumentId}: quantity must be > 0`, quantity)
    for (const k of ['limitPrice', 'stopPrice'] as const) {
      const v = prices[k]
      if (v !== undefined && !(v > 0 && Number.isFinite(v))) invalid(`${instrumentId}: ${k} must be > 0`, v)
    }
    const postOnly = opts.postOnly ?? false
    if (postOnly && type !== 'LIMIT') invalid(`${instrumentId}: post-only applies to limit orders only`, type)
    const timeInForce = opts.timeInForce ?? 'GTC'
    if (postOnly && (timeInForce === 'IOC' || timeInForce === 'FOK')) {
      invalid(`${instrumentId}: post-only cannot be ${timeInForce}`, timeInForce)
    }
    // Explicit fields (absent ones undefined) so every order has one shape on the hot path.
    return {
      clientOrderId: this.#ids ? this.#ids.order() : `${this.strategyId}-${++this.n}`,
      strategyId: this.strategyId,
      instrumentId,
      side,
      type,
      quantity,
      limitPrice: prices.limitPrice,
      stopPrice: prices.stopPrice,
      trailingOffset: prices.trailingOffset,
      trailingOffsetType: prices.trailingOffsetType,
      timeInForce,
      reduceOnly: opts.reduceOnly ?? false,
      postOnly,
      expireTime: opts.expireTime,
      tags: opts.tags,
    }
  }
}
