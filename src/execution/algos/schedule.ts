/**
 * A liquidation schedule in Almgren & Chriss's notation: the holdings trajectory `x_0 = X, x_1, …, x_N = 0` at the
 * period ends `t_k = kτ` (τ = T/N), and the trades `n_k = x_{k−1} − x_k` done in period k. A buy programme uses
 * the same numbers (the quantity still to buy). Here also: TWAP, rounding to lots so the total is kept, and the
 * expected cost and variance of any schedule under the paper's linear impact model.
 */
import { KestrelError } from '../../core/index.ts'

/** Holdings at t_0..t_N and the trades of periods 1..N (`trades[k−1] = trajectory[k−1] − trajectory[k]`). */
export interface Schedule {
  readonly trajectory: readonly number[]
  readonly trades: readonly number[]
}

/**
 * The linear impact model of Almgren & Chriss (2000), in the paper's units (shares, dollars, days):
 * permanent impact g(v) = γ·v, temporary impact h(n/τ) = ε·sgn(n) + (η/τ)·n, price volatility σ.
 */
export interface ImpactModel {
  /** σ: volatility of the price, $/share/√day. */
  readonly sigma: number
  /** η: temporary impact, ($/share)/(share/day). */
  readonly eta: number
  /** γ: permanent impact, ($/share)/share. */
  readonly gamma: number
  /** ε: fixed cost of selling, $/share (half the spread plus fees). */
  readonly epsilon: number
}

/** The mean and variance of a schedule's implementation shortfall, in dollars and dollars². */
export interface ScheduleCost {
  /** E[x] = ½γX² + ε·Σ|n_k| + (η̃/τ)·Σn_k², η̃ = η − ½γτ. */
  readonly expectedCost: number
  /** V[x] = σ²·τ·Σ_{k=1..N} x_k². */
  readonly variance: number
}

/** Throws PARAM_INVALID naming `name` unless `v` is finite and satisfies `ok`. */
export function requireParam(name: string, v: number, ok: (v: number) => boolean, expected: string): void {
  if (!Number.isFinite(v) || !ok(v))
    throw new KestrelError('PARAM_INVALID', `${name} ${v}: expected ${expected}`, { name, got: v, expected })
}

/**
 * The schedule whose trades are `trades`, starting from `total` (default: their sum). The last trade is what is
 * left of `total`, so a total given exactly (a parent quantity) is kept exactly whatever the rounding of the sum.
 */
export function scheduleFromTrades(trades: readonly number[], total = trades.reduce((s, n) => s + n, 0)): Schedule {
  const trajectory = [total]
  const out: number[] = []
  let left = total
  for (let k = 0; k < trades.length; k++) {
    const n = k === trades.length - 1 ? left : trades[k]!
    out.push(n)
    left = k === trades.length - 1 ? 0 : left - n
    trajectory.push(left)
  }
  return { trajectory, trades: out }
}

/** TWAP: the same trade in each of `periods` periods, x_k = X·(1 − k/N). */
export function twapSchedule(quantity: number, periods: number): Schedule {
  requireParam('quantity', quantity, (q) => q >= 0, 'a number >= 0')
  requireParam('periods', periods, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1')
  const trajectory = Array.from({ length: periods + 1 }, (_, k) =>
    k === periods ? 0 : (quantity * (periods - k)) / periods,
  )
  return { trajectory, trades: trajectory.slice(1).map((x, k) => trajectory[k]! - x) }
}

/**
 * The schedule with trades in whole lots: the cumulative quantity after each period is rounded to the nearest
 * lot (half up) and the last period takes what is left, so the total is kept, each trade differs from its
 * unrounded value by at most one lot and the cumulative quantity by at most half a lot. Trades stay >= 0 when
 * they were. `lot` <= 0 returns the schedule unchanged.
 */
export function roundToLots(s: Schedule, lot: number): Schedule {
  if (!(lot > 0)) return s
  const total = s.trajectory[0] ?? 0
  const trades: number[] = []
  let done = 0
  let cum = 0
  for (let k = 0; k < s.trades.length; k++) {
    cum += s.trades[k]!
    const target = k === s.trades.length - 1 ? total : Math.floor(cum / lot + 0.5) * lot
    trades.push(target - done)
    done = target
  }
  return scheduleFromTrades(trades)
}

/**
 * Expected cost and variance of any schedule over `horizon` (T, days) under the linear impact model; the
 * schedule's trades are spread over N = `trades.length` periods of τ = T/N. Section 2 of Almgren & Chriss (2000).
 */
export function scheduleCost(s: Schedule, horizon: number, m: ImpactModel): ScheduleCost {
  const n = s.trades.length
  requireParam('horizon', horizon, (t) => t > 0, 'a number > 0')
  if (n === 0 || s.trajectory.length !== n + 1)
    throw new KestrelError('PARAM_INVALID', `schedule: expected N >= 1 trades and N + 1 holdings`, {
      trades: n,
      holdings: s.trajectory.length,
    })
  const tau = horizon / n
  const etaTilde = m.eta - 0.5 * m.gamma * tau
  const x0 = s.trajectory[0]!
  let abs = 0
  let sq = 0
  let hold = 0
  for (let k = 0; k < n; k++) {
    const q = s.trades[k]!
    abs += Math.abs(q)
    sq += q * q
    const x = s.trajectory[k + 1]!
    hold += x * x
  }
  return {
    expectedCost: 0.5 * m.gamma * x0 * x0 + m.epsilon * abs + (etaTilde / tau) * sq,
    variance: m.sigma * m.sigma * tau * hold,
  }
}
