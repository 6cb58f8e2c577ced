/**
 * Statistics of outcomes: profit factor, expectancy, hit rate, average win and loss, payoff ratio. They run over
 * round-trip trade P&L, or over periodic returns when no trades are known (then `basis` says `periods`).
 */
import type { TradeRecord } from '../types.ts'

/** Outcome statistics of a list of P&L values (trades or periods). */
export interface TradeStats {
  /** What the outcomes are: round-trip trades (P&L in currency) or periods (returns). */
  readonly basis: 'trades' | 'periods'
  readonly count: number
  readonly wins: number
  readonly losses: number
  /** Gross profit / gross loss; Infinity with wins and no losses; NaN with neither. */
  readonly profitFactor: number
  /** Mean outcome per trade (or period); NaN when there are none. */
  readonly expectancy: number
  /** Fraction of outcomes > 0; NaN when there are none. */
  readonly hitRate: number
  /** Mean of the winning outcomes; NaN without wins. */
  readonly averageWin: number
  /** Mean of the losing outcomes (a negative number); NaN without losses. */
  readonly averageLoss: number
  /** averageWin / |averageLoss|; NaN unless both exist. */
  readonly payoffRatio: number
}

/** Computes {@link TradeStats} over outcomes; a zero outcome counts as neither a win nor a loss. */
export function outcomeStats(outcomes: ArrayLike<number>, basis: 'trades' | 'periods'): TradeStats {
  let wins = 0
  let losses = 0
  let gp = 0
  let gl = 0
  let total = 0
  const n = outcomes.length
  for (let i = 0; i < n; i++) {
    const x = outcomes[i]!
    total += x
    if (x > 0) {
      wins++
      gp += x
    } else if (x < 0) {
      losses++
      gl -= x
    }
  }
  const averageWin = wins > 0 ? gp / wins : NaN
  const averageLoss = losses > 0 ? -gl / losses : NaN
  return {
    basis,
    count: n,
    wins,
    losses,
    profitFactor: gl > 0 ? gp / gl : gp > 0 ? Infinity : NaN,
    expectancy: n > 0 ? total / n : NaN,
    hitRate: n > 0 ? wins / n : NaN,
    averageWin,
    averageLoss,
    payoffRatio: wins > 0 && losses > 0 ? averageWin / Math.abs(averageLoss) : NaN,
  }
}

/** Trade statistics over the net P&L of round-trip trades. */
export function tradeStats(trades: readonly TradeRecord[]): TradeStats {
  return outcomeStats(
    trades.map((t) => t.pnl),
    'trades',
  )
}

/** Total traded notional of round trips: entry and exit, |price × quantity| each. */
export function tradedNotional(trades: readonly TradeRecord[]): number {
  let s = 0
  for (const t of trades) s += Math.abs(t.entryPrice * t.quantity) + Math.abs(t.exitPrice * t.quantity)
  return s
}
