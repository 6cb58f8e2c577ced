/**
 * Drawdowns of a compounded return path: the underwater curve, maximum drawdown (empyrical: a negative
 * fraction, from a starting value before the first return), its longest duration and the ulcer index.
 */

/** Underwater curve: `wealth / runningPeak − 1` after each period (≤ 0), starting from wealth 1 before period 0. */
export function drawdownCurve(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length)
  let w = 1
  let peak = 1
  for (let i = 0; i < returns.length; i++) {
    w *= 1 + returns[i]!
    if (w > peak) peak = w
    out[i] = w / peak - 1
  }
  return out
}

/** Maximum drawdown as a negative fraction (−0.1 = 10% peak-to-trough), 0 when never under water, NaN when empty. */
export function maxDrawdown(returns: ArrayLike<number>): number {
  if (returns.length < 1) return NaN
  const dd = drawdownCurve(returns)
  let m = 0
  for (let i = 0; i < dd.length; i++) if (dd[i]! < m) m = dd[i]!
  return m
}

/**
 * Longest time under water, in periods: from the period after a peak to the period that regains it (or to the
 * end when it never does). 0 when never under water.
 */
export function maxDrawdownDuration(returns: ArrayLike<number>): number {
  const dd = drawdownCurve(returns)
  let longest = 0
  let run = 0
  for (let i = 0; i < dd.length; i++) {
    run = dd[i]! < 0 ? run + 1 : 0
    if (run > longest) longest = run
  }
  return longest
}

/**
 * Ulcer index (Peter Martin, 1987): root mean square of the drawdowns over all periods, as a fraction
 * (0.05 = the "5" of the percent-based definition). NaN when empty.
 */
export function ulcerIndex(returns: ArrayLike<number>): number {
  if (returns.length < 1) return NaN
  const dd = drawdownCurve(returns)
  let s = 0
  for (let i = 0; i < dd.length; i++) s += dd[i]! * dd[i]!
  return Math.sqrt(s / dd.length)
}
