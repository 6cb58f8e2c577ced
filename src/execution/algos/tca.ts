/**
 * Transaction-cost analysis of one parent order from its fills and the market's bars over the order's interval.
 * Every cost is signed so that positive is worse for the order: with s = +1 for a buy and −1 for a sell, filled
 * quantity q = Σq_i, average price p̄ = Σq_i·p_i / q, decision price P_d (default: the arrival price P_a) and end
 * price P_e (default: the last close of the interval):
 *
 *   implementation shortfall (Perold 1988) = s·Σq_i(p_i − P_d) + s·(Q − q)(P_e − P_d) + fees
 *     = delay s·q(P_a − P_d) + execution s·Σq_i(p_i − P_a) + opportunity s·(Q − q)(P_e − P_d) + fees,
 *   in dollars and in bps of the paper notional Q·P_d;
 *   slippage vs a benchmark B (arrival, interval VWAP, close) = s·(p̄ − B)/B · 10⁴ bps;
 *   interval VWAP = Σ typical·v / Σv over the interval's bars, typical = (high + low + close)/3;
 *   participation = q / Σv of the interval's bars.
 */
import { KestrelError, type BarSeries, type EpochMs, type OrderSide } from '../../core/index.ts'

/** The parent order as TCA needs it. */
export interface TcaParent {
  readonly side: OrderSide
  /** Q: the quantity decided. */
  readonly quantity: number
  /** P_a: the market price when the order reached the market. */
  readonly arrivalPrice: number
  /** P_d: the price when the decision was taken (default: the arrival price). */
  readonly decisionPrice?: number
  /** The order's interval [start, end): bars whose open falls in it count. */
  readonly start: EpochMs
  readonly end: EpochMs
}

/** One child fill. */
export interface TcaFill {
  readonly quantity: number
  readonly price: number
  /** Fees and commissions paid, in dollars (default 0). */
  readonly fee?: number
}

/** What the market did over the interval. */
export interface TcaMarket {
  readonly bars: BarSeries
  /** P_e, the end (close) price (default: the close of the interval's last bar). */
  readonly closePrice?: number
}

/** Perold's implementation shortfall and its parts, in dollars; `bps` of Q·P_d. */
export interface ImplementationShortfall {
  readonly total: number
  readonly delay: number
  readonly execution: number
  readonly opportunity: number
  readonly fees: number
  readonly bps: number
}

/** The TCA of one parent order. */
export interface TcaReport {
  readonly filled: number
  /** p̄, NaN when nothing filled. */
  readonly averagePrice: number
  readonly implementationShortfall: ImplementationShortfall
  readonly slippageVsArrivalBps: number
  readonly intervalVwap: number
  readonly slippageVsVwapBps: number
  readonly closePrice: number
  readonly slippageVsCloseBps: number
  /** q / market volume over the interval (NaN without volume). */
  readonly participation: number
  /** Market volume over the interval. */
  readonly marketVolume: number
}

/** Σ typical·v / Σv and Σv of the bars whose open is in [start, end), with the last close. */
export function intervalVwap(bars: BarSeries, start: EpochMs, end: EpochMs) {
  let pv = 0
  let v = 0
  let last = NaN
  for (let i = 0; i < bars.openTime.length; i++) {
    const t = bars.openTime[i]!
    if (t < start || t >= end) continue
    const vol = bars.volume[i]!
    pv += ((bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3) * vol
    v += vol
    last = bars.close[i]!
  }
  return { vwap: v > 0 ? pv / v : NaN, volume: v, lastClose: last }
}

/** The TCA of `parent` from its `fills` against `market` (see the file header for every formula). */
export function transactionCosts(parent: TcaParent, fills: readonly TcaFill[], market: TcaMarket): TcaReport {
  if (!(parent.quantity > 0 && parent.arrivalPrice > 0 && parent.end > parent.start))
    throw new KestrelError('PARAM_INVALID', 'TCA parent: expected quantity > 0, arrivalPrice > 0 and end > start', {
      quantity: parent.quantity,
      arrivalPrice: parent.arrivalPrice,
    })
  const s = parent.side === 'BUY' ? 1 : -1
  const Pa = parent.arrivalPrice
  const Pd = parent.decisionPrice ?? Pa
  let q = 0
  let notional = 0
  let fees = 0
  for (const f of fills) {
    q += f.quantity
    notional += f.quantity * f.price
    fees += f.fee ?? 0
  }
  const avg = q > 0 ? notional / q : NaN
  const iv = intervalVwap(market.bars, parent.start, parent.end)
  const Pe = market.closePrice ?? iv.lastClose
  const delay = s * q * (Pa - Pd) + 0 // + 0: a zero reads as 0, never −0
  const execution = s * (notional - q * Pa)
  const unfilled = parent.quantity - q
  const opportunity = unfilled === 0 ? 0 : s * unfilled * (Pe - Pd)
  const total = delay + execution + opportunity + fees
  const slip = (b: number) => (s * (avg - b) * 1e4) / b
  return {
    filled: q,
    averagePrice: avg,
    implementationShortfall: {
      total,
      delay,
      execution,
      opportunity,
      fees,
      bps: (total / (parent.quantity * Pd)) * 1e4,
    },
    slippageVsArrivalBps: slip(Pa),
    intervalVwap: iv.vwap,
    slippageVsVwapBps: slip(iv.vwap),
    closePrice: Pe,
    slippageVsCloseBps: slip(Pe),
    participation: iv.volume > 0 ? q / iv.volume : NaN,
    marketVolume: iv.volume,
  }
}
