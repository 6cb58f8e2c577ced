/**
 * A seeded synthetic backtest result (daily bars, a long/flat moving-average strategy against buy-and-hold) for
 * tests and for looking at a tearsheet. Not market data: a geometric random walk with drift and volatility regimes.
 */
import { Rng } from '../../core/index.ts'
import type { PerformanceInput, TradeRecord } from '../types.ts'

/** Builds a {@link PerformanceInput} of `days` daily points from `seed`. */
export function syntheticPerformance(seed = 7, days = 756, start = Date.UTC(2021, 0, 4)): PerformanceInput {
  const rng = new Rng(seed)
  const n = days
  const time = new Float64Array(n)
  const price = new Float64Array(n)
  const equity = new Float64Array(n)
  const exposure = new Float64Array(n)
  const trades: TradeRecord[] = []
  let p = 100
  let cash = 100_000
  let qty = 0
  let entry = { time: 0, price: 0, fee: 0 }
  let fast = p
  let slow = p
  const feeRate = 0.001
  for (let i = 0; i < n; i++) {
    time[i] = start + i * 86_400_000
    const vol = i % 250 < 60 ? 0.022 : 0.011
    p *= Math.exp(0.0003 + vol * rng.normal())
    price[i] = p
    fast += (p - fast) * (2 / 11)
    slow += (p - slow) * (2 / 41)
    const value = cash + qty * p
    if (i > 40 && qty === 0 && fast > slow) {
      qty = Math.floor((value * 0.95) / p)
      const fee = qty * p * feeRate
      cash -= qty * p + fee
      entry = { time: time[i]!, price: p, fee }
    } else if (qty > 0 && (fast < slow || i === n - 1)) {
      const fee = qty * p * feeRate
      cash += qty * p - fee
      const pnl = qty * (p - entry.price) - entry.fee - fee
      trades.push({
        instrumentId: 'SYN',
        side: 'LONG',
        entryTime: entry.time,
        exitTime: time[i]!,
        entryPrice: entry.price,
        exitPrice: p,
        quantity: qty,
        pnl,
        returnPct: pnl / (qty * entry.price),
        fees: entry.fee + fee,
      })
      qty = 0
    }
    equity[i] = cash + qty * p
    exposure[i] = (qty * p) / equity[i]!
  }
  return {
    title: `ema-cross on a synthetic walk (seed ${seed})`,
    equity: { time, value: equity },
    benchmark: { time, value: price },
    exposure: { time, value: exposure },
    trades,
    periodsPerYear: 252,
  }
}
