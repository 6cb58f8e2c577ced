/** Synthetic bar series for the scanner tests: one-minute bars from a fixed start, closes and volumes given. */
import { allocBarSeries, type BarSeries } from '../../core/index.ts'

/** The start of the synthetic series: 2024-01-02T14:30:00Z. */
export const T0 = Date.UTC(2024, 0, 2, 14, 30)

/** One-minute bars (high = low = close = open) of `id` with the given closes and volumes (default 1000). */
export function synthBars(
  id: string,
  closes: readonly number[],
  volumes?: readonly number[],
  barMs = 60_000,
  start = T0,
): BarSeries {
  const s = allocBarSeries(id, '1m', closes.length)
  for (let i = 0; i < closes.length; i++) {
    s.openTime[i] = start + i * barMs
    s.closeTime[i] = start + (i + 1) * barMs
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = closes[i]!
    s.volume[i] = volumes?.[i] ?? 1000
  }
  return s
}
