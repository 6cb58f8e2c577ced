/**
 * Optimal f (Ralph Vince, "Portfolio Management Formulas", 1990): the fraction f of the largest loss to risk
 * per trade that maximises the terminal wealth relative TWR(f) = Π (1 + f · (−tradeᵢ / largestLoss)).
 * ln TWR is a sum of concave functions of f, so it has one maximum on (0, 1), found by golden-section search
 * to 1e-12.
 */
import { KestrelError } from '../../core/index.ts'

/** The result of {@link optimalF}: the fraction, its TWR and geometric mean, and the largest loss. */
export interface OptimalF {
  readonly f: number
  readonly twr: number
  /** TWR^(1/N): the growth factor per trade. */
  readonly geometricMean: number
  /** The largest loss (negative), the unit f is a fraction of. */
  readonly largestLoss: number
}

/** Optimal f of a list of trade P&Ls. Needs at least one loss and positive expectancy. */
export function optimalF(trades: readonly number[]): OptimalF {
  if (trades.length === 0 || trades.some((t) => !Number.isFinite(t)))
    throw new KestrelError('PARAM_INVALID', 'optimalF(trades): expected finite trade results, at least one')
  const worst = Math.min(...trades)
  if (!(worst < 0)) throw new KestrelError('PARAM_INVALID', 'optimalF(trades): needs at least one losing trade')
  const sum = trades.reduce((a, b) => a + b, 0)
  if (!(sum > 0))
    throw new KestrelError('PARAM_INVALID', `optimalF(trades): expectancy must be positive, got a total of ${sum}`)
  const lnTwr = (f: number) => trades.reduce((a, t) => a + Math.log(1 + (f * t) / -worst), 0)
  let a = 0
  let b = 1
  const g = (Math.sqrt(5) - 1) / 2
  let c = b - g * (b - a)
  let d = a + g * (b - a)
  while (b - a > 1e-12) {
    if (lnTwr(c) > lnTwr(d)) b = d
    else a = c
    c = b - g * (b - a)
    d = a + g * (b - a)
  }
  const f = (a + b) / 2
  const twr = Math.exp(lnTwr(f))
  return { f, twr, geometricMean: twr ** (1 / trades.length), largestLoss: worst }
}

/** Units to trade for `equity` at optimal f: equity / (largest loss per unit / f). */
export function optimalFUnits(equity: number, of: OptimalF): number {
  return Math.floor(equity / (-of.largestLoss / of.f))
}
