/**
 * The derived series a tearsheet draws: rolling Sharpe and volatility, the underwater curve, calendar-month
 * returns, a histogram, a rebased benchmark, and min/max-preserving downsampling for long curves.
 */
import { requireParam } from '../../core/index.ts'
import { closeDay, dayYearMonth, type SessionClock } from '../metrics/calendar.ts'
import type { EquityCurve } from '../types.ts'

/** Rolling annualised Sharpe (rf = 0) and volatility over `window` returns; NaN until the window is full. */
export function rollingSharpeAndVolatility(
  returns: ArrayLike<number>,
  window: number,
  periodsPerYear: number,
): { sharpe: Float64Array; volatility: Float64Array } {
  requireParam(Number.isInteger(window) && window >= 2, 'window', 'an integer >= 2', window)
  const n = returns.length
  const sharpe = new Float64Array(n).fill(NaN)
  const volatility = new Float64Array(n).fill(NaN)
  const ann = Math.sqrt(periodsPerYear)
  if (n < window) return { sharpe, volatility }
  // sliding mean and sum of squared deviations (Welford's add/remove update), recomputed exactly by two passes
  // every `window` steps so rounding cannot drift, and whenever the dispersion collapses by 1e8 (a large value
  // left the window, so the update's cancellation could dominate): O(n) for any window in practice
  let m = 0
  let m2 = 0
  let m2Ref = 0
  const resum = (end: number) => {
    let s = 0
    for (let i = end - window + 1; i <= end; i++) s += returns[i]!
    m = s / window
    m2 = 0
    for (let i = end - window + 1; i <= end; i++) m2 += (returns[i]! - m) ** 2
    m2Ref = m2
  }
  for (let j = window - 1; j < n; j++) {
    if ((j - window + 1) % window === 0) resum(j)
    else {
      const xIn = returns[j]!
      const xOut = returns[j - window]!
      const mOld = m
      m += (xIn - xOut) / window
      m2 += (xIn - xOut) * (xIn - m + xOut - mOld)
      if (m2 > m2Ref) m2Ref = m2
      else if (m2 < 1e-8 * m2Ref) resum(j)
    }
    const sd = Math.sqrt(Math.max(0, m2) / (window - 1))
    volatility[j] = sd * ann
    sharpe[j] = sd > 1e-15 * Math.max(1, Math.abs(m)) ? (m / sd) * ann : NaN
  }
  return { sharpe, volatility }
}

/** One calendar month's compounded return (by trading day: see {@link SessionClock}). */
export interface MonthlyReturn {
  readonly year: number
  /** 1–12. */
  readonly month: number
  readonly value: number
}

/**
 * Compounded return of each calendar month of an equity curve: the month's last value over the previous
 * month's last value (the first month starts from the curve's first value). A point belongs to the month of its
 * trading day ({@link closeDay}): the close of 2020-03-31, stamped 2020-04-01T00:00Z, ends March.
 */
export function monthlyReturns(equity: EquityCurve, clock: SessionClock = {}): MonthlyReturn[] {
  const out: MonthlyReturn[] = []
  const { time, value } = equity
  if (value.length < 2) return out
  const monthOf = (t: number) => {
    const { year, month } = dayYearMonth(closeDay(t, clock))
    return year * 12 + month - 1
  }
  let base = value[0]!
  let cur = monthOf(time[1]!)
  for (let i = 1; i < value.length; i++) {
    const last = i === value.length - 1
    const next = last ? NaN : monthOf(time[i + 1]!)
    if (last || next !== cur) {
      out.push({ year: Math.floor(cur / 12), month: (cur % 12) + 1, value: value[i]! / base - 1 })
      base = value[i]!
      cur = next
    }
  }
  return out
}

/** Compounded return of each UTC calendar year, from the monthly returns. */
export function yearlyReturns(months: readonly MonthlyReturn[]): Map<number, number> {
  const out = new Map<number, number>()
  for (const m of months) out.set(m.year, (1 + (out.get(m.year) ?? 0)) * (1 + m.value) - 1)
  return out
}

/** A histogram: `edges` has one more entry than `counts`; bin i is [edges[i], edges[i+1]) (the last is closed). */
export interface Histogram {
  readonly edges: number[]
  readonly counts: number[]
}

/** Histogram of finite values in about `bins` equal-width bins (default √n clamped to 5–40), 0 on an edge. */
export function histogram(values: readonly number[], bins?: number): Histogram {
  if (values.length === 0) return { edges: [], counts: [] }
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  const target = bins ?? Math.max(5, Math.min(40, Math.round(Math.sqrt(values.length))))
  if (lo === hi) {
    lo -= 0.5
    hi += 0.5
  }
  // equal widths, with 0 on an edge when the data straddle it (so no bar mixes wins and losses)
  const w = (hi - lo) / target
  const first = lo < 0 && hi > 0 ? Math.floor(lo / w) * w : lo
  const k = Math.max(1, Math.ceil((hi - first) / w - 1e-9))
  const edges = Array.from({ length: k + 1 }, (_, i) => first + i * w)
  edges[k] = Math.max(edges[k]!, hi)
  const counts = new Array<number>(k).fill(0)
  for (const v of values) counts[Math.max(0, Math.min(k - 1, Math.floor((v - first) / w)))]!++
  return { edges, counts }
}

/**
 * A benchmark clipped to [t0, t1] and rebased so that its first point inside equals `start` (e.g. the strategy's
 * first equity value). Empty when the benchmark has no point in the range.
 */
export function rebase(curve: EquityCurve, start: number, t0 = -Infinity, t1 = Infinity): EquityCurve {
  let a = 0
  while (a < curve.time.length && curve.time[a]! < t0) a++
  let b = a
  while (b < curve.time.length && curve.time[b]! <= t1) b++
  const time = curve.time.slice(a, b)
  if (time.length === 0) return { time, value: new Float64Array(0) }
  const f = start / curve.value[a]!
  return { time, value: Float64Array.from(curve.value.subarray(a, b), (v) => v * f) }
}

/** A curve sampled for drawing: at most ~`2 × buckets` points, keeping each bucket's min and max in time order. */
export function downsample(time: ArrayLike<number>, value: ArrayLike<number>, buckets = 800): EquityCurve {
  const n = value.length
  if (n <= 2 * buckets) return { time: Float64Array.from(time), value: Float64Array.from(value) }
  const t: number[] = []
  const v: number[] = []
  for (let b = 0; b < buckets; b++) {
    const a = Math.floor((b * n) / buckets)
    const z = Math.floor(((b + 1) * n) / buckets)
    let iMin = -1
    let iMax = -1
    for (let i = a; i < z; i++) {
      const x = value[i]!
      if (Number.isNaN(x)) continue
      if (iMin < 0 || x < value[iMin]!) iMin = i
      if (iMax < 0 || x > value[iMax]!) iMax = i
    }
    if (iMin < 0) {
      t.push(time[a]!)
      v.push(NaN)
      continue
    }
    for (const i of iMin <= iMax ? [iMin, iMax] : [iMax, iMin]) {
      if (t.length > 0 && t[t.length - 1] === time[i]) continue
      t.push(time[i]!)
      v.push(value[i]!)
    }
  }
  return { time: Float64Array.from(t), value: Float64Array.from(v) }
}
