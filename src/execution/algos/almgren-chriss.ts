/**
 * Almgren-Chriss optimal liquidation (Almgren & Chriss, "Optimal execution of portfolio transactions", 2000):
 * the trajectory that minimises E[x] + λ·V[x] for a risk aversion λ under the linear impact model of
 * {@link ImpactModel}. With τ = T/N, η̃ = η − ½γτ and κ̃² = λσ²/η̃, κ solves cosh(κτ) = 1 + κ̃²τ²/2 and
 *
 *   x_j = sinh(κ(T − t_j)) / sinh(κT) · X,   j = 0..N.
 *
 * It solves the discrete first-order conditions exactly, so it is the optimum among all schedules of N periods
 * (the problem is strictly convex when η̃ > 0, which is required). With λ = 0, κ = 0 and x_j = X(1 − j/N): TWAP.
 */
import { KestrelError } from '../../core/index.ts'
import { requireParam, scheduleCost, type ImpactModel, type Schedule, type ScheduleCost } from './schedule.ts'

/** What an Almgren-Chriss plan needs: the programme, the impact model and the risk aversion. */
export interface AlmgrenChrissInput extends ImpactModel {
  /** X: shares to trade (>= 0). */
  readonly quantity: number
  /** N: number of periods (>= 1). */
  readonly periods: number
  /** T: horizon, days (> 0). */
  readonly horizon: number
  /** λ: risk aversion, 1/$ (>= 0). */
  readonly lambda: number
}

/** The optimal schedule with κ and its expected cost and variance. */
export interface AlmgrenChrissPlan extends Schedule, ScheduleCost {
  /** κ, 1/day: the urgency; 1/κ is the trade's half-life scale. 0 for TWAP. */
  readonly kappa: number
}

/** η̃ = η − ½γτ; throws PARAM_INVALID when it is not > 0 (the cost is then not convex and has no optimum). */
export function etaTilde(eta: number, gamma: number, tau: number): number {
  const e = eta - 0.5 * gamma * tau
  if (!(e > 0))
    throw new KestrelError(
      'PARAM_INVALID',
      `eta ${eta}, gamma ${gamma}, tau ${tau}: η̃ = η − γτ/2 = ${e} must be > 0 (raise eta or the number of periods)`,
      { eta, gamma, tau, etaTilde: e },
    )
  return e
}

/**
 * κ from cosh(κτ) = 1 + κ̃²τ²/2, computed as κ = 2·asinh(κ̃τ/2)/τ (the same equation, since
 * cosh(2u) = 1 + 2sinh²u), which keeps its precision as λ → 0.
 */
export function almgrenChrissKappa(lambda: number, sigma: number, etaT: number, tau: number): number {
  const kt = Math.sqrt((lambda * sigma * sigma) / etaT)
  return (2 * Math.asinh((kt * tau) / 2)) / tau
}

/** sinh(a)/sinh(b) for 0 <= a <= b, b > 0, without overflow for large b. */
function sinhRatio(a: number, b: number): number {
  if (b < 20) return Math.sinh(a) / Math.sinh(b)
  return (Math.exp(a - b) * -Math.expm1(-2 * a)) / -Math.expm1(-2 * b)
}

function validate(p: AlmgrenChrissInput): void {
  requireParam('quantity', p.quantity, (q) => q >= 0, 'a number >= 0')
  requireParam('periods', p.periods, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1')
  requireParam('horizon', p.horizon, (t) => t > 0, 'a number > 0')
  requireParam('sigma', p.sigma, (s) => s >= 0, 'a number >= 0')
  requireParam('gamma', p.gamma, (g) => g >= 0, 'a number >= 0')
  requireParam('epsilon', p.epsilon, (e) => e >= 0, 'a number >= 0')
  requireParam('lambda', p.lambda, (l) => l >= 0, 'a number >= 0')
  requireParam('eta', p.eta, (e) => e > 0, 'a number > 0')
}

/** The Almgren-Chriss optimal trajectory, its trades, κ, and the expected cost and variance of the schedule. */
export function almgrenChriss(p: AlmgrenChrissInput): AlmgrenChrissPlan {
  validate(p)
  const { quantity: X, periods: N, horizon: T } = p
  const tau = T / N
  const kappa = almgrenChrissKappa(p.lambda, p.sigma, etaTilde(p.eta, p.gamma, tau), tau)
  const trajectory: number[] = []
  for (let j = 0; j <= N; j++) {
    if (j === 0) trajectory.push(X)
    else if (j === N) trajectory.push(0)
    else if (kappa === 0) trajectory.push((X * (N - j)) / N)
    else trajectory.push(X * sinhRatio(kappa * (T - j * tau), kappa * T))
  }
  const trades = trajectory.slice(1).map((x, k) => trajectory[k]! - x)
  const s = { trajectory, trades }
  return { ...s, kappa, ...scheduleCost(s, T, p) }
}

/** One point of the efficient frontier: a risk aversion and the optimal schedule's E and V. */
export interface FrontierPoint extends ScheduleCost {
  readonly lambda: number
  readonly kappa: number
}

/**
 * The efficient frontier: E and V of the optimal schedule for each λ in `lambdas`. Higher λ trades sooner:
 * V falls and E rises along it (Almgren & Chriss, section 3).
 */
export function efficientFrontier(p: Omit<AlmgrenChrissInput, 'lambda'>, lambdas: readonly number[]): FrontierPoint[] {
  return lambdas.map((lambda) => {
    const plan = almgrenChriss({ ...p, lambda })
    return { lambda, kappa: plan.kappa, expectedCost: plan.expectedCost, variance: plan.variance }
  })
}
