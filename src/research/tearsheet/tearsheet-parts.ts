/**
 * Pieces of the tearsheet built from more than the equity curve: the benchmark on the strategy's time axis, the
 * per-instrument table, and the price charts with the trades on them.
 */
import type { SessionClock } from '../metrics/calendar.ts'
import type { EquityCurve, PriceSeries, TradeRecord } from '../types.ts'

/**
 * The benchmark's value at each of the strategy's times (its last point at or before it), from the first
 * strategy time the benchmark covers: a curve on the tail of `equity.time` (empty when they never overlap).
 */
export function alignAsOf(equity: EquityCurve, benchmark: EquityCurve): EquityCurve {
  const t = equity.time
  const bt = benchmark.time
  const out = new Float64Array(t.length)
  let j = -1
  let first = -1
  for (let i = 0; i < t.length; i++) {
    while (j + 1 < bt.length && bt[j + 1]! <= t[i]!) j++
    if (j < 0) continue
    if (first < 0) first = i
    out[i] = benchmark.value[j]!
  }
  if (first < 0) return { time: new Float64Array(0), value: new Float64Array(0) }
  return { time: t.slice(first), value: out.slice(first) }
}

/** One row of the per-instrument table. */
export interface InstrumentRow {
  readonly instrumentId: string
  readonly trades: number
  readonly wins: number
  /** Fraction of trades with P&L > 0; NaN (null in JSON) without trades. */
  readonly hitRate: number
  readonly pnl: number
  readonly fees: number
  /** Mean of the trades' `returnPct`. */
  readonly averageReturn: number
  /** Σ |price × quantity| of entries and exits. */
  readonly notional: number
  readonly long: number
  readonly short: number
}

/** Trade figures per instrument, in order of first appearance (instruments with prices but no trades too). */
export function instrumentRows(trades: readonly TradeRecord[], prices: readonly PriceSeries[]): InstrumentRow[] {
  const ids = [...new Set([...trades.map((t) => t.instrumentId), ...prices.map((p) => p.instrumentId)])]
  return ids.map((id) => {
    const mine = trades.filter((t) => t.instrumentId === id)
    const wins = mine.filter((t) => t.pnl > 0).length
    let pnl = 0
    let fees = 0
    let ret = 0
    let notional = 0
    for (const t of mine) {
      pnl += t.pnl
      fees += t.fees
      ret += t.returnPct
      notional += Math.abs(t.entryPrice * t.quantity) + Math.abs(t.exitPrice * t.quantity)
    }
    return {
      instrumentId: id,
      trades: mine.length,
      wins,
      hitRate: mine.length ? wins / mine.length : NaN,
      pnl,
      fees,
      averageReturn: mine.length ? ret / mine.length : NaN,
      notional,
      long: mine.filter((t) => t.side === 'LONG').length,
      short: mine.filter((t) => t.side === 'SHORT').length,
    }
  })
}

/** A marker of a trade on its price chart, at the bar it happened in. */
export interface TradeMarker {
  /** Epoch ms of the (possibly merged) bar's open. */
  readonly time: number
  readonly kind: 'entry' | 'exit'
  readonly side: 'LONG' | 'SHORT'
  readonly price: number
  /** Index of the trade in the report's trade list. */
  readonly trade: number
}

/** One instrument's bars (by their open time) and its trades' markers. */
export interface PriceChart {
  readonly instrumentId: string
  readonly time: number[]
  readonly open: number[]
  readonly high: number[]
  readonly low: number[]
  readonly close: number[]
  /** Bars in the data; more than `time.length` means `merge` bars were merged into one for drawing. */
  readonly sourceBars: number
  readonly merge: number
  readonly markers: TradeMarker[]
}

/** Index of the last bar opening at or before `t` (bars open at `close − barMs`), clamped to the first bar. */
function barAt(opens: readonly number[], t: number): number {
  let lo = 0
  let hi = opens.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (opens[mid]! <= t) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Price charts of the instruments with at most `maxBars` bars each and the trades placed on their bars. */
export function priceCharts(
  prices: readonly PriceSeries[],
  trades: readonly TradeRecord[],
  clock: SessionClock,
  maxBars: number,
): PriceChart[] {
  const barMs = clock.barMs ?? 0
  return prices.map((p) => {
    const n = p.close.length
    const merge = Math.max(1, Math.ceil(n / maxBars))
    const c: { time: number[]; open: number[]; high: number[]; low: number[]; close: number[] } = {
      time: [],
      open: [],
      high: [],
      low: [],
      close: [],
    }
    for (let a = 0; a < n; a += merge) {
      const z = Math.min(n, a + merge)
      let hi = -Infinity
      let lo = Infinity
      for (let i = a; i < z; i++) {
        hi = Math.max(hi, p.high[i]!)
        lo = Math.min(lo, p.low[i]!)
      }
      c.time.push(p.time[a]! - barMs)
      c.open.push(p.open[a]!)
      c.high.push(hi)
      c.low.push(lo)
      c.close.push(p.close[z - 1]!)
    }
    const markers: TradeMarker[] = []
    trades.forEach((t, i) => {
      if (t.instrumentId !== p.instrumentId || c.time.length === 0) return
      markers.push({
        time: c.time[barAt(c.time, t.entryTime)]!,
        kind: 'entry',
        side: t.side,
        price: t.entryPrice,
        trade: i,
      })
      // an open trade's exit is a bar close: it belongs to the bar that closed then, not the one opening then
      const exitAt = t.open ? t.exitTime - Math.max(1, barMs) : t.exitTime
      markers.push({ time: c.time[barAt(c.time, exitAt)]!, kind: 'exit', side: t.side, price: t.exitPrice, trade: i })
    })
    markers.sort((a, b) => a.time - b.time || a.trade - b.trade)
    return { instrumentId: p.instrumentId, ...c, sourceBars: n, merge, markers }
  })
}
