/**
 * Corwin-Schultz (2012) high-low spread, "A Simple Way to Estimate Bid-Ask Spreads from Daily High and Low
 * Prices", J. Finance 67(2), eqs. (14), (18) and (A.1)–(A.3) style two-bar estimate:
 *   β = Σ_{j=0,1} ln(H_{t−j}/L_{t−j})², γ = ln(max(H_t, H_{t−1}) / min(L_t, L_{t−1}))²,
 *   α = (√(2β) − √β)/(3 − 2√2) − √(γ/(3 − 2√2)),  S = 2(e^α − 1)/(1 + e^α).
 * Each two-bar estimate uses the current and the previous bar (no look-ahead); negative estimates are set
 * to 0 as in the paper, then averaged over `window` estimates. The paper's overnight-return adjustment is
 * not applied (intraday bars have none to speak of).
 */
import { RollingSum } from '../common/rolling.ts'
import { intParam, sameLength } from '../common/params.ts'

const K = 3 - 2 * Math.SQRT2

/** The two-bar Corwin-Schultz spread estimate (fraction of price), floored at 0. */
export function corwinSchultzPair(h1: number, l1: number, h2: number, l2: number): number {
  const b = Math.log(h1 / l1) ** 2 + Math.log(h2 / l2) ** 2
  const g = Math.log(Math.max(h1, h2) / Math.min(l1, l2)) ** 2
  const a = (Math.sqrt(2 * b) - Math.sqrt(b)) / K - Math.sqrt(g / K)
  const s = (2 * (Math.exp(a) - 1)) / (1 + Math.exp(a))
  return Number.isNaN(s) ? NaN : Math.max(0, s)
}

/** Streaming Corwin-Schultz spread, averaged over `window` two-bar estimates. */
export class CorwinSchultz {
  private readonly sum: RollingSum
  private ph = NaN
  private pl = NaN
  private last = NaN
  constructor(readonly window: number) {
    this.sum = new RollingSum(intParam('corwinSchultz(window)', window, 1))
  }
  update(high: number, low: number): number {
    const ph = this.ph
    const pl = this.pl
    this.ph = high
    this.pl = low
    if (Number.isNaN(ph)) return (this.last = NaN)
    this.sum.push(corwinSchultzPair(ph, pl, high, low))
    return (this.last = this.sum.mean())
  }
  get value(): number {
    return this.last
  }
  reset(): void {
    this.sum.reset()
    this.ph = NaN
    this.pl = NaN
    this.last = NaN
  }
}

/** Corwin-Schultz spread over a rolling window (fraction of price). */
export function corwinSchultz(high: Float64Array, low: Float64Array, window: number): Float64Array {
  const n = sameLength('corwinSchultz', high, low)
  const s = new CorwinSchultz(window)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = s.update(high[i]!, low[i]!)
  return out
}
