/**
 * The worst drawdowns of an equity curve (pyfolio's drawdown table): each stretch under water from a peak to the
 * point that regains it, with its trough, depth and length in points and calendar days. Indices are into the
 * curve, so the caller maps them to its own dates.
 */

/** One drawdown: `peak` is the last high before it, `recovery` the first point back at or above it (if any). */
export interface DrawdownPeriod {
  readonly peak: number
  readonly trough: number
  /** Undefined while still under water at the end. */
  readonly recovery?: number
  /** Trough value / peak value − 1 (negative). */
  readonly depth: number
  /** Points from the peak to the recovery (or to the last point). */
  readonly bars: number
  /** Calendar days from the peak to the recovery (or to the last point). */
  readonly days: number
}

/** The `top` deepest drawdowns of `equity`, deepest first (ties: the earlier one first). */
export function worstDrawdowns(
  equity: { readonly time: ArrayLike<number>; readonly value: ArrayLike<number> },
  top = 5,
): DrawdownPeriod[] {
  const { time, value } = equity
  const n = value.length
  const out: DrawdownPeriod[] = []
  let peak = 0
  let trough = -1
  const close = (end: number, recovered: boolean) => {
    out.push({
      peak,
      trough,
      ...(recovered ? { recovery: end } : {}),
      depth: value[trough]! / value[peak]! - 1,
      bars: end - peak,
      days: (time[end]! - time[peak]!) / 86_400_000,
    })
  }
  for (let i = 1; i < n; i++) {
    if (value[i]! >= value[peak]!) {
      if (trough >= 0) close(i, true)
      peak = i
      trough = -1
    } else if (trough < 0 || value[i]! < value[trough]!) trough = i
  }
  if (trough >= 0) close(n - 1, false)
  return out.sort((a, b) => a.depth - b.depth || a.peak - b.peak).slice(0, top)
}
