/**
 * Layer-1 scanner: unusual volume. Bar i's volume is compared with a reference sample of earlier bars only
 * (no look-ahead: the sample never holds bar i or anything after it):
 * - `rolling`: the previous `lookback` bars;
 * - `time-of-day`: the bars of the same time-of-day slot on the previous `lookback` days that had one, so the
 *   open's and the close's usual bursts are not flagged every day.
 * z is the z-score of ln(1 + volume) against the sample (its standard deviation floored at `minStd`, so a flat
 * history does not make every uptick infinite); relative volume is volume over the sample's mean volume. An
 * alert is raised at bar i, stamped with its close time, when z ≥ `threshold` and relative volume ≥ `minRelVolume`.
 */
import type { BarSeries } from '../../core/index.ts'
import { requireInt, requirePositive, squash, type BarScanner, type ScannerAlert } from './types.ts'

/** Options of {@link unusualVolumeScanner}. */
export interface UnusualVolumeOptions {
  /** Reference sample: `rolling` (previous bars) or `time-of-day` (same slot on previous days). Default rolling. */
  readonly mode?: 'rolling' | 'time-of-day'
  /** Bars (rolling) or days (time-of-day) in the sample. Default 20 (rolling), 5 (time-of-day). */
  readonly lookback?: number
  /** Fewest samples before an alert (time-of-day; rolling needs a full window). Default `lookback`. */
  readonly minSamples?: number
  /** z-score of ln(1 + volume) that raises an alert. Default 3. */
  readonly threshold?: number
  /** Least relative volume (volume / sample mean) that raises an alert. Default 1. */
  readonly minRelVolume?: number
  /** Floor of the sample's standard deviation of ln(1 + volume). Default 0.05. */
  readonly minStd?: number
  /** Scanner name in the alerts. Default `unusual-volume`. */
  readonly name?: string
}

const DAY = 86_400_000

/** The unusual-volume scanner (see the module comment). */
export function unusualVolumeScanner(opts: UnusualVolumeOptions = {}): BarScanner {
  const mode = opts.mode ?? 'rolling'
  const lookback = opts.lookback ?? (mode === 'rolling' ? 20 : 5)
  const minSamples = opts.minSamples ?? lookback
  const threshold = opts.threshold ?? 3
  const minRel = opts.minRelVolume ?? 1
  const minStd = opts.minStd ?? 0.05
  const name = opts.name ?? 'unusual-volume'
  requireInt(lookback, 'unusualVolume.lookback', mode === 'rolling' ? 2 : 1)
  requireInt(minSamples, 'unusualVolume.minSamples', 1)
  requirePositive(threshold, 'unusualVolume.threshold')
  requirePositive(minStd, 'unusualVolume.minStd')

  const alertAt = (
    s: BarSeries,
    i: number,
    n: number,
    sum: number,
    sumSq: number,
    sumRaw: number,
    out: ScannerAlert[],
  ): void => {
    if (n < Math.max(minSamples, 2)) return
    const mean = sum / n
    const sd = Math.max(Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))), minStd)
    const v = s.volume[i]!
    const z = (Math.log1p(v) - mean) / sd
    const rel = sumRaw > 0 ? v / (sumRaw / n) : Infinity
    if (z >= threshold && rel >= minRel)
      out.push({
        time: s.closeTime[i]!,
        instrumentId: s.instrumentId,
        scanner: name,
        score: squash(z / threshold),
        details: { z, relVolume: Number.isFinite(rel) ? rel : null, volume: v, samples: n, mode },
      })
  }

  return {
    name,
    scan(s) {
      const out: ScannerAlert[] = []
      const len = s.volume.length
      if (mode === 'rolling') {
        let sum = 0
        let sumSq = 0
        let sumRaw = 0
        for (let i = 0; i < len; i++) {
          if (i >= lookback) alertAt(s, i, lookback, sum, sumSq, sumRaw, out)
          const x = Math.log1p(s.volume[i]!)
          sum += x
          sumSq += x * x
          sumRaw += s.volume[i]!
          if (i >= lookback) {
            const y = Math.log1p(s.volume[i - lookback]!)
            sum -= y
            sumSq -= y * y
            sumRaw -= s.volume[i - lookback]!
          }
        }
        return out
      }
      // time-of-day: per slot, the indexes of its last `lookback` bars on earlier days.
      const slots = new Map<number, number[]>()
      for (let i = 0; i < len; i++) {
        const t = s.openTime[i]!
        const barMs = Math.max(1, s.closeTime[i]! - t)
        const slot = Math.floor((((t % DAY) + DAY) % DAY) / barMs)
        const day = Math.floor(t / DAY)
        let hist = slots.get(slot)
        if (!hist) slots.set(slot, (hist = []))
        let sum = 0
        let sumSq = 0
        let sumRaw = 0
        let n = 0
        for (const j of hist) {
          if (Math.floor(s.openTime[j]! / DAY) >= day) continue
          const x = Math.log1p(s.volume[j]!)
          sum += x
          sumSq += x * x
          sumRaw += s.volume[j]!
          n++
        }
        alertAt(s, i, n, sum, sumSq, sumRaw, out)
        hist.push(i)
        if (hist.length > lookback) hist.shift()
      }
      return out
    },
  }
}
